"""Correction of Error reviews: the review, its answers to the seven questions, its actions

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, UTCDateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "coereview",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32), nullable=True),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("thread_ts", sa.String(32), nullable=True),
        sa.Column("author_id", sa.String(32), nullable=False),
        sa.Column("owner_id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        _when("started_at"),
        _when("detected_at"),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("draft_due", sa.Date(), nullable=False),
        sa.Column("decision_ids", sa.JSON(), nullable=False),
        sa.Column("writers", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reviewer_id", sa.String(32), nullable=True),
        sa.Column("sent_back", sa.String(3000), nullable=True),
        sa.Column("request_key", sa.String(128), nullable=False),
        _when("created_at", nullable=False),
        _when("updated_at", nullable=False),
        _when("approved_at"),
        sa.Column("message_channel", sa.String(32), nullable=True),
        sa.Column("message_ts", sa.String(32), nullable=True),
        sa.Column("message_error", sa.String(200), nullable=True),
        sa.Column("document_ts", sa.String(32), nullable=True),
        sa.Column("canvas_id", sa.String(32), nullable=True),
        sa.UniqueConstraint("team_id", "request_key", name="uq_coe_request"),
    )
    op.create_index(
        "ix_coe_team_channel_created", "coereview", ["team_id", "channel_id", "created_at"]
    )
    op.create_index("ix_coe_team_owner", "coereview", ["team_id", "owner_id"])
    op.create_table(
        "coeanswer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("coereview.id"), nullable=False),
        sa.Column("question", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("rich", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("answered_by", sa.String(32), nullable=False),
        _when("answered_at", nullable=False),
        sa.UniqueConstraint("review_id", "question", name="uq_coe_answer"),
    )
    op.create_index("ix_coeanswer_team_id", "coeanswer", ["team_id"])
    op.create_index("ix_coeanswer_review_id", "coeanswer", ["review_id"])
    op.create_table(
        "coeaction",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("coereview.id"), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("owner_id", sa.String(32), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(3000), nullable=True),
        sa.Column("closed_by", sa.String(32), nullable=True),
        _when("closed_at"),
        sa.Column("request_key", sa.String(128), nullable=False),
        _when("created_at", nullable=False),
        sa.UniqueConstraint("team_id", "request_key", name="uq_coe_action_request"),
    )
    op.create_index("ix_coe_action_team_owner_state", "coeaction", ["team_id", "owner_id", "state"])
    op.create_index("ix_coeaction_review_id", "coeaction", ["review_id"])


def downgrade() -> None:
    op.drop_table("coeaction")
    op.drop_table("coeanswer")
    op.drop_table("coereview")
