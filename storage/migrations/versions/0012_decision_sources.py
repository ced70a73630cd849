"""Decisions made from a Slack message: the message's link, and why Slack refused the card

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-03 12:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("door", "commitment")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("source_url", sa.String(500), nullable=True))
            batch.add_column(sa.Column("post_error", sa.String(200), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("post_error")
            batch.drop_column("source_url")
