"""App Home served by indexes: a person's decisions found by owner and by author

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 19:20:00.000000

App Home lists a person's open decisions, as owner or author, newest first. Without these
it read every decision of the workspace (a sequential scan that grows with history); now
each side of the OR is one index range, read newest first.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    (f"ix_{table}_team_{who}_created", table, ["team_id", f"{who}_id", "created_at"])
    for table in ("door", "commitment")
    for who in ("owner", "author")
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
