"""sizing that asks: decision.unsure, sizing_note, answers, answered_by; the review's
undo_as_said, undo_by, undo_at; the card's first door: sized_door, sized_source

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 07:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Decisions sized before this revision were never asked about: unsure is false for them.
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unsure", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("sizing_note", sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column("answers", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("answered_by", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("undo_as_said", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("undo_by", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("undo_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        # Null until a person overrules the card; decisions overruled before this revision
        # keep null (the export derives what it can for them).
        batch_op.add_column(sa.Column("sized_door", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("sized_source", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        for name in (
            "sized_source",
            "sized_door",
            "undo_at",
            "undo_by",
            "undo_as_said",
            "answered_by",
            "answers",
            "sizing_note",
            "unsure",
        ):
            batch_op.drop_column(name)
