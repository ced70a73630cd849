"""Silent readings (/memo): the session, its readers, its private comments

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, UTCDateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "memosession",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32), nullable=True),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("owner_id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=False),
        _when("started_at", nullable=False),
        _when("ends_at", nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("ended_reason", sa.String(16), nullable=True),
        sa.Column("ended_by", sa.String(32), nullable=True),
        _when("ended_at"),
        sa.Column("message_channel", sa.String(32), nullable=True),
        sa.Column("message_ts", sa.String(32), nullable=True),
        sa.Column("message_error", sa.String(200), nullable=True),
        sa.Column("reveal_ts", sa.String(32), nullable=True),
        sa.Column("reveal_pages", sa.Integer(), nullable=False),
        sa.Column("reveal_error", sa.String(200), nullable=True),
        _when("revealed_at"),
        sa.Column("request_key", sa.String(128), nullable=False),
        _when("created_at", nullable=False),
        sa.UniqueConstraint("team_id", "request_key", name="uq_memo_request"),
    )
    op.create_index(
        "ix_memo_team_channel_created", "memosession", ["team_id", "channel_id", "created_at"]
    )
    op.create_table(
        "memoreader",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("memosession.id"), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        _when("started_at", nullable=False),
        _when("finished_at"),
        sa.UniqueConstraint("session_id", "user_id", name="uq_memo_reader"),
    )
    op.create_index("ix_memoreader_team_id", "memoreader", ["team_id"])
    op.create_table(
        "memocomment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("memosession.id"), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("section", sa.String(200), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.String(3000), nullable=False),
        sa.Column("request_key", sa.String(128), nullable=False),
        _when("created_at", nullable=False),
        sa.UniqueConstraint("team_id", "request_key", name="uq_memo_comment_request"),
    )
    op.create_index("ix_memocomment_session_id", "memocomment", ["session_id"])


def downgrade() -> None:
    op.drop_table("memocomment")
    op.drop_table("memoreader")
    op.drop_table("memosession")
