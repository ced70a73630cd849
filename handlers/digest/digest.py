"""What a channel's weekly digest says. Pure: facts in, titled sections out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot import dates
from bot.decisions.digest_sections import DigestSection, DigestWindow
from bot.decisions.judgment import Door
from bot.slack import text as t
from storage.models import DecisionOutcome

LINE_TEXT = 150
OUTCOME_WORDS: dict[str, str] = {
    DecisionOutcome.WORKED: ":white_check_mark: worked out",
    DecisionOutcome.DID_NOT_WORK: ":x: didn't work out",
}


class Shown(Protocol):
    """What a line reads of a decision: a /door or /commit row, or the batch queries' plain
    storage.queries.digests.Shown."""

    @property
    def text(self) -> str: ...
    @property
    def permalink(self) -> str | None: ...
    @property
    def owner_id(self) -> str: ...
    @property
    def door(self) -> str: ...
    @property
    def door_source(self) -> str: ...


class ShownDoor(Shown, Protocol):
    """A /door decision's line also reads its overrule, outcome and review."""

    @property
    def overruled_by(self) -> str | None: ...
    @property
    def outcome(self) -> str | None: ...
    @property
    def outcome_by(self) -> str | None: ...
    @property
    def review_at(self) -> date | None: ...


@dataclass(frozen=True)
class Facts:
    """Everything the digest reports for one channel and window."""

    window: DigestWindow
    made: Sequence[Shown] = ()  # /door and /commit decisions alike
    overruled: Sequence[ShownDoor] = ()
    outcomes: Sequence[ShownDoor] = ()
    upcoming: Sequence[ShownDoor] = ()
    overdue: Sequence[ShownDoor] = ()


def compose(facts: Facts, extra: Sequence[DigestSection] = ()) -> list[DigestSection]:
    """The digest's sections, those with something in them; [] means nothing to report."""
    one_way = [d for d in facts.made if d.door == Door.ONE_WAY]
    two_way = [d for d in facts.made if d.door != Door.ONE_WAY]
    sections = [
        DigestSection(":no_entry: One-way doors decided this week", [_made(d) for d in one_way]),
        DigestSection(":door: Two-way doors decided this week", [_made(d) for d in two_way]),
        DigestSection(
            ":twisted_rightwards_arrows: Doors overruled", [_overruled(d) for d in facts.overruled]
        ),
        DigestSection(":bar_chart: Outcomes recorded", [_outcome(d) for d in facts.outcomes]),
        DigestSection(
            ":calendar: Reviews due in the coming week", [_review(d, "due") for d in facts.upcoming]
        ),
        DigestSection(
            ":hourglass: Reviews overdue", [_review(d, "was due") for d in facts.overdue]
        ),
        *extra,
    ]
    return [s for s in sections if s.lines]


def summary(sections: Sequence[DigestSection]) -> str:
    """One line for notifications: what the digest holds."""
    counts = ", ".join(f"{len(s.lines)} {_plain_title(s.title)}" for s in sections)
    return f"Weekly decision digest: {counts}" if counts else "Nothing to report this week"


def _plain_title(title: str) -> str:
    words = [w for w in title.split() if not (w.startswith(":") and w.endswith(":"))]
    return " ".join(words).lower()


def _title(decision: Shown) -> str:
    """The decision's text, linked to its message when we know where that is."""
    label = t.safe(" ".join(decision.text.split()), LINE_TEXT)
    if decision.permalink and decision.permalink.startswith("https://"):
        return f"<{decision.permalink}|{label.replace('|', '¦')}>"
    return f"*{label}*"


def _made(decision: Shown) -> str:
    source = " (door set by a person)" if decision.door_source == "person" else ""
    return f"• {_title(decision)} — owner {t.user(decision.owner_id)}{source}"


def _overruled(decision: ShownDoor) -> str:
    door = Door(decision.door).label.lower()
    by = f" by {t.user(decision.overruled_by)}" if decision.overruled_by else ""
    return f"• {_title(decision)} — now a {door}{by}"


def _outcome(decision: ShownDoor) -> str:
    words = OUTCOME_WORDS.get(decision.outcome or "", decision.outcome or "")
    by = f" ({t.user(decision.outcome_by)})" if decision.outcome_by else ""
    return f"• {_title(decision)} — {words}{by}"


def _review(decision: ShownDoor, verb: str) -> str:
    assert decision.review_at is not None
    return (
        f"• {_title(decision)} — {verb} {dates.short_day(decision.review_at)}, "
        f"owner {t.user(decision.owner_id)}"
    )
