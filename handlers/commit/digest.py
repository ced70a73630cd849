"""The commit room's part of a channel's weekly digest: commitments made, check-backs done."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.decisions.digest_sections import DigestSection, DigestWindow
from bot.slack import text as t
from handlers.commit.ids import Answer
from storage.models import CheckIn, Commitment, Dissent
from storage.queries import commits as q

TITLE = "Disagree and commit"
MAX_LINES = 15


async def sections(
    session: AsyncSession, windows: Sequence[DigestWindow]
) -> list[DigestSection | None]:
    """Per window: who disagreed and committed, and how checked-back decisions turned out.

    Two batch queries (and one for the check-backs' answers) for all the windows at once.
    """
    committed = await q.commitments_in(session=session, windows=windows)
    checked = await q.checkbacks_in(session=session, windows=windows)
    return [_section(c, k) for c, k in zip(committed, checked, strict=True)]


def _section(
    committed: Sequence[tuple[Commitment, Dissent]],
    checked: Sequence[tuple[Commitment, list[CheckIn]]],
) -> DigestSection | None:
    lines = [
        f"• {t.user(d.user_id)} disagreed and committed to {_decision(decision)}"
        for decision, d in committed
    ]
    for decision, answers in checked:
        result = Answer(decision.verdict).label.lower() if decision.verdict else "nobody answered"
        lines.append(
            f"• Checked back on {_decision(decision)}: {result} "
            f"({len(answers)} answer{'s' * (len(answers) != 1)})"
        )
    if not lines:
        return None
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"… and {len(lines) - MAX_LINES} more"]
    return DigestSection(title=TITLE, lines=lines)


def _decision(decision: Commitment) -> str:
    shown = f"“{t.safe(decision.text, 200)}”"
    if decision.permalink and decision.permalink.startswith("https://"):
        return f"<{decision.permalink}|{shown}>"
    return shown
