"""PR/FAQ documents: the document, its sections and their history, its readers, its posts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, UTCDateTime(), nullable=nullable)


def _id(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(32), nullable=nullable)


def _of_prfaq() -> sa.Column:
    return sa.Column("prfaq_id", sa.Integer(), sa.ForeignKey("prfaq.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "prfaq",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("team_id"),
        _id("enterprise_id", nullable=True),
        _id("channel_id"),
        _id("author_id"),
        sa.Column("idea", sa.String(200), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("written_by", sa.String(16), nullable=False),
        sa.Column("draft_note", sa.String(200), nullable=True),
        sa.Column("circle", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("request_key", sa.String(128), nullable=False),
        _when("created_at", nullable=False),
        _when("updated_at", nullable=False),
        sa.Column("post_error", sa.String(200), nullable=True),
        sa.Column("canvas_id", sa.String(32), nullable=True),
        sa.UniqueConstraint("team_id", "request_key", name="uq_prfaq_request"),
    )
    op.create_index("ix_prfaq_team_author", "prfaq", ["team_id", "author_id"])
    op.create_table(
        "prfaqsection",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("team_id"),
        _of_prfaq(),
        sa.Column("section", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _id("updated_by"),
        _when("updated_at", nullable=False),
        sa.UniqueConstraint("prfaq_id", "section", name="uq_prfaq_section"),
    )
    op.create_index("ix_prfaqsection_team_id", "prfaqsection", ["team_id"])
    op.create_index("ix_prfaqsection_prfaq_id", "prfaqsection", ["prfaq_id"])
    op.create_table(
        "prfaqrevision",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("team_id"),
        _of_prfaq(),
        sa.Column("section", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _id("changed_by"),
        sa.Column("note", sa.String(200), nullable=False),
        _when("changed_at", nullable=False),
        sa.UniqueConstraint("prfaq_id", "section", "version", name="uq_prfaq_revision"),
    )
    op.create_index("ix_prfaqrevision_team_id", "prfaqrevision", ["team_id"])
    op.create_index("ix_prfaqrevision_prfaq_id", "prfaqrevision", ["prfaq_id"])
    op.create_table(
        "prfaqreader",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("team_id"),
        _of_prfaq(),
        _id("user_id"),
        sa.Column("circle", sa.Integer(), nullable=False),
        _when("asked_at", nullable=False),
        _when("read_at"),
        sa.Column("questions", sa.Integer(), nullable=False),
        sa.Column("dm_error", sa.String(200), nullable=True),
        sa.UniqueConstraint("prfaq_id", "user_id", name="uq_prfaq_reader"),
    )
    op.create_index("ix_prfaq_reader_team_user", "prfaqreader", ["team_id", "user_id"])
    op.create_index("ix_prfaqreader_prfaq_id", "prfaqreader", ["prfaq_id"])
    op.create_table(
        "prfaqpost",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("team_id"),
        _of_prfaq(),
        sa.Column("place", sa.String(16), nullable=False),
        sa.Column("piece", sa.String(32), nullable=False),
        _id("channel"),
        sa.Column("ts", sa.String(32), nullable=False),
        sa.UniqueConstraint("prfaq_id", "place", "piece", name="uq_prfaq_post"),
    )
    op.create_index("ix_prfaqpost_team_id", "prfaqpost", ["team_id"])
    op.create_index("ix_prfaqpost_prfaq_id", "prfaqpost", ["prfaq_id"])


def downgrade() -> None:
    for table in ("prfaqpost", "prfaqreader", "prfaqrevision", "prfaqsection", "prfaq"):
        op.drop_table(table)
