"""each kind of decision its own table: door (for /door) and commitment (for /commit), with
only the columns it uses; decision keeps the number (id) both share, and the kind

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 14:30:00.000000

Every row is copied with its id, so cards, job keys and payloads that name "decision #N"
find it after the upgrade. Ids are still handed out by `decision` (its PostgreSQL sequence
is untouched); `door.id` and `commitment.id` are its foreign keys and have no sequence of
their own, so none needs setting. A /commit decision's `review_at` becomes its
`check_back`, its `outcome` and `outcome_at` its `verdict` and `verdict_at`; dissent and
check-ins refer to the commitment.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Str = sqlmodel.sql.sqltypes.AutoString
UTC = storage.types.UTCDateTime


def _shared() -> list[sa.Column]:
    """The columns both kinds keep, as `decision` had them."""
    return [
        sa.Column("team_id", Str(length=32), nullable=False),
        sa.Column("enterprise_id", Str(length=32), nullable=True),
        sa.Column("channel_id", Str(length=32), nullable=False),
        sa.Column("author_id", Str(length=32), nullable=False),
        sa.Column("owner_id", Str(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("door", Str(length=16), nullable=False),
        sa.Column("door_source", Str(length=16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("chair_question", Str(length=1000), nullable=False),
        sa.Column("status", Str(length=16), nullable=False),
        sa.Column("request_key", Str(length=128), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.Column("shared_at", UTC(timezone=True), nullable=True),
        sa.Column("message_channel", Str(length=32), nullable=True),
        sa.Column("message_ts", Str(length=32), nullable=True),
        sa.Column("permalink", Str(length=500), nullable=True),
    ]


def _door_only() -> list[sa.Column]:
    return [
        sa.Column("review_at", sa.Date(), nullable=True),
        sa.Column("overruled_by", Str(length=32), nullable=True),
        sa.Column("overruled_at", UTC(timezone=True), nullable=True),
        sa.Column("outcome", Str(length=32), nullable=True),
        sa.Column("outcome_by", Str(length=32), nullable=True),
        sa.Column("outcome_at", UTC(timezone=True), nullable=True),
        sa.Column("unsure", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("sizing_note", Str(length=1000), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("answered_by", Str(length=32), nullable=True),
        sa.Column("undo_as_said", Str(length=16), nullable=True),
        sa.Column("undo_by", Str(length=32), nullable=True),
        sa.Column("undo_at", UTC(timezone=True), nullable=True),
        sa.Column("sized_door", Str(length=16), nullable=True),
        sa.Column("sized_source", Str(length=16), nullable=True),
    ]


# A commitment's own columns, and the `decision` column each was copied from.
COMMITMENT_FROM = {"check_back": "review_at", "verdict": "outcome", "verdict_at": "outcome_at"}


def _commitment_only() -> list[sa.Column]:
    return [
        sa.Column("check_back", sa.Date(), nullable=True),
        sa.Column("verdict", Str(length=32), nullable=True),
        sa.Column("verdict_at", UTC(timezone=True), nullable=True),
    ]


def _names(columns: list[sa.Column]) -> list[str]:
    return [c.name for c in columns]


def _create(name: str, own: list[sa.Column]) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        *_shared(),
        *own,
        sa.ForeignKeyConstraint(["id"], ["decision.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "request_key", name=f"uq_{name}_request"),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(
            f"ix_{name}_team_channel_created", ["team_id", "channel_id", "created_at"]
        )
        batch_op.create_index(batch_op.f(f"ix_{name}_team_id"), ["team_id"], unique=False)


# SQLite keeps the foreign keys of 0001 unnamed; batch mode finds them by these names.
SQLITE_NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _refer(table: str, old: str, new: str) -> None:
    """Point `table.decision_id` at `new`.id instead of `old`.id."""
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(table, naming_convention=SQLITE_NAMES) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_decision_id_{old}", type_="foreignkey")
            batch_op.create_foreign_key(
                f"fk_{table}_decision_id_{new}", new, ["decision_id"], ["id"]
            )
        return
    [found] = [
        fk["name"]
        for fk in sa.inspect(op.get_bind()).get_foreign_keys(table)
        if fk["constrained_columns"] == ["decision_id"]
    ]
    op.drop_constraint(found, table, type_="foreignkey")
    op.create_foreign_key(None, table, new, ["decision_id"], ["id"])


def upgrade() -> None:
    _create("door", _door_only())
    _create("commitment", _commitment_only())
    shared = ", ".join(["id", *_names(_shared())])
    door = ", ".join(_names(_door_only()))
    op.execute(
        f"INSERT INTO door ({shared}, {door}) "
        f"SELECT {shared}, {door} FROM decision WHERE kind <> 'commit'"
    )
    into = ", ".join(COMMITMENT_FROM)
    source = ", ".join(COMMITMENT_FROM.values())
    op.execute(
        f"INSERT INTO commitment ({shared}, {into}) "
        f"SELECT {shared}, {source} FROM decision WHERE kind = 'commit'"
    )
    _refer("dissent", "decision", "commitment")
    _refer("checkin", "decision", "commitment")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index("ix_decision_team_channel_created")
        batch_op.drop_constraint("uq_decision_request", type_="unique")
        for name in _names(_shared()) + _names(_door_only()):
            if name != "team_id":
                batch_op.drop_column(name)


def downgrade() -> None:
    # Back to one table: the columns return nullable, are filled from each kind's table,
    # and only then become NOT NULL again.
    shared = [c for c in _shared() if c.name != "team_id"]
    with op.batch_alter_table("decision", schema=None) as batch_op:
        for column in shared + _door_only():
            batch_op.add_column(
                sa.Column(column.name, column.type, nullable=True, server_default=None)
            )
    names = _names(shared)
    door = names + _names(_door_only())
    op.execute(
        f"UPDATE decision SET ({', '.join(door)}) = "
        f"(SELECT {', '.join(door)} FROM door WHERE door.id = decision.id) "
        "WHERE kind <> 'commit'"
    )
    into = names + list(COMMITMENT_FROM.values())
    source = names + list(COMMITMENT_FROM)
    op.execute(
        f"UPDATE decision SET ({', '.join(into)}) = "
        f"(SELECT {', '.join(source)} FROM commitment WHERE commitment.id = decision.id) "
        "WHERE kind = 'commit'"
    )
    op.execute("UPDATE decision SET unsure = false WHERE unsure IS NULL")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        for column in shared + _door_only():
            if not column.nullable:
                batch_op.alter_column(
                    column.name,
                    existing_type=column.type,
                    nullable=False,
                    server_default=sa.false() if column.name == "unsure" else None,
                )
        batch_op.create_unique_constraint("uq_decision_request", ["team_id", "request_key"])
        batch_op.create_index(
            "ix_decision_team_channel_created", ["team_id", "channel_id", "created_at"]
        )
    _refer("dissent", "commitment", "decision")
    _refer("checkin", "commitment", "decision")
    for name in ("commitment", "door"):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{name}_team_id"))
            batch_op.drop_index(f"ix_{name}_team_channel_created")
        op.drop_table(name)
