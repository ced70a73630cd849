"""queries that don't grow with history: App Home by indexes on owner and author; a job
key prefix as a byte-ordered range

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 19:20:00.000000

App Home lists a person's open decisions, as owner or author, newest first. Without these
it read every decision of the workspace (a sequential scan that grows with history); now
each side of the OR is one index range, read newest first.

`job.key` is compared byte by byte on PostgreSQL too (collation "C"; SQLite's order already
is), so a key prefix (`review:12:`, cancelled on every Share, date change and outcome) is
the range `key >= 'review:12:' AND key < 'review:12;'` that uq_job_key serves, where a LIKE
read the whole table under a language collation.
"""

from collections.abc import Sequence

import sqlalchemy as sa
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
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("job", "key", type_=sa.String(200, collation="C"), existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("job", "key", type_=sa.String(200), existing_nullable=False)
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
