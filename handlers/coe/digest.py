"""The Correction of Error room's part of a channel's weekly digest: its reviews' open
corrective actions, the overdue ones first and flagged, until each is closed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.decisions.digest_sections import DigestSection, DigestWindow
from bot.slack import text as t
from storage.models import CoeAction, CoeReview
from storage.queries import coe as q

TITLE = "Corrective actions still open"
MAX_LINES = 15


async def sections(
    session: AsyncSession, windows: Sequence[DigestWindow]
) -> list[DigestSection | None]:
    """Per window: the open actions of reviews handled in its channel (one query in all)."""
    found = await q.open_actions_in_channels(
        session=session, channels=[(w.team_id, w.channel_id) for w in windows]
    )
    return [_section(found.get((w.team_id, w.channel_id), []), w) for w in windows]


def _section(
    rows: Sequence[tuple[CoeAction, CoeReview]], window: DigestWindow
) -> DigestSection | None:
    if not rows:
        return None
    overdue = [(a, r) for a, r in rows if a.due < window.today]
    later = [(a, r) for a, r in rows if a.due >= window.today]
    lines = [_line(a, r, late=True) for a, r in overdue] + [
        _line(a, r, late=False) for a, r in later
    ]
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"… and {len(lines) - MAX_LINES} more"]
    return DigestSection(title=TITLE, lines=lines)


def _line(action: CoeAction, review: CoeReview, *, late: bool) -> str:
    flag = ":warning: overdue since" if late else "due"
    return (
        f"• {t.safe(action.title, 200)} — {t.user(action.owner_id)}, {flag} "
        f"{action.due.isoformat()} (from “{t.safe(review.title, 100)}”)"
    )
