"""Digests read through indexes shaped like their queries: (team, channel, the fact's time)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 20:00:00.000000

A batch of digests joins the batch's windows (team, channel, start < t <= end) against
each fact: decisions shared, doors overruled, outcomes recorded, reviews pending, check-backs
summarised. Before, each channel's digest read the channel's whole history through
(team, channel, created) and filtered it; with these, each window is one index range.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("ix_door_team_channel_shared", "door", ["team_id", "channel_id", "shared_at"]),
    ("ix_door_team_channel_overruled", "door", ["team_id", "channel_id", "overruled_at"]),
    ("ix_door_team_channel_outcome", "door", ["team_id", "channel_id", "outcome_at"]),
    ("ix_door_team_channel_review", "door", ["team_id", "channel_id", "review_at"]),
    ("ix_commitment_team_channel_shared", "commitment", ["team_id", "channel_id", "shared_at"]),
    ("ix_commitment_team_channel_verdict", "commitment", ["team_id", "channel_id", "verdict_at"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
