"""/decisions in a DM: the commitments a person disagreed with, by an index on
(team_id, user_id)

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-03 12:40:00.000000

A DM's /decisions lists what a person recorded, owns or disagreed with. The first two are
ranges of the owner and author indexes (0006); the third read every dissent of the
workspace (only team_id was indexed) and now is one range of this index.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_dissent_team_user", "dissent", ["team_id", "user_id"])


def downgrade() -> None:
    op.drop_index("ix_dissent_team_user", table_name="dissent")
