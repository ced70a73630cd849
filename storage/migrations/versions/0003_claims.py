"""claims that a failed post gives back: seenevent.lease_until

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows stay NULL: what they remember was done.
    with op.batch_alter_table("seenevent", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lease_until", storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("seenevent", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
