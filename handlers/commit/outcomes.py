"""What the check-backs add up to: one decision's verdict, and one person's own record.

Pure functions over stored rows. Nothing here ranks people: a record is only ever shown
to the person it belongs to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from handlers.commit.ids import Answer
from storage.models import Commitment, DecisionStatus, Dissent, DissentState


def verdict(answers: Iterable[str | None]) -> Answer | None:
    """The decision's outcome from everyone's answers: the most common, ties are mixed.

    "Too early" only wins when nobody could say more; no answers at all is no verdict.
    """
    given = [Answer(a) for a in answers if a]
    telling = Counter(a for a in given if a is not Answer.TOO_EARLY)
    if not telling:
        return Answer.TOO_EARLY if given else None
    (top, count), *rest = telling.most_common()
    if rest and rest[0][1] == count:
        return Answer.MIXED
    return top


def tally(answers: Iterable[str | None]) -> Counter[Answer]:
    return Counter(Answer(a) for a in answers if a)


@dataclass
class Record:
    """One person's disagree-and-commit history, for their eyes only."""

    dissented: int = 0
    committed: int = 0
    not_yet: int = 0
    pending: int = 0
    as_dissenter: Counter[Answer] = field(default_factory=Counter)
    owned: int = 0
    as_owner: Counter[Answer] = field(default_factory=Counter)
    recent: list[tuple[Commitment, str]] = field(default_factory=list)  # (decision, role)

    @property
    def judged_as_dissenter(self) -> int:
        return sum(n for a, n in self.as_dissenter.items() if a is not Answer.TOO_EARLY)

    @property
    def judged_as_owner(self) -> int:
        return sum(n for a, n in self.as_owner.items() if a is not Answer.TOO_EARLY)


RECENT = 5


def record(
    *, owned: Sequence[Commitment], dissents: Sequence[tuple[Commitment, Dissent]]
) -> Record:
    """Count how a person's dissents and decisions turned out, by each decision's verdict."""
    result = Record(owned=len(owned), dissented=len(dissents))
    for decision, dissent in dissents:
        if dissent.state == DissentState.COMMITTED:
            result.committed += 1
        elif dissent.state == DissentState.NOT_YET:
            result.not_yet += 1
        else:
            result.pending += 1
        if (judged := _judged(decision)) is not None:
            result.as_dissenter[judged] += 1
    for decision in owned:
        if (judged := _judged(decision)) is not None:
            result.as_owner[judged] += 1
    both = [(d, "owner") for d in owned] + [(d, "dissenter") for d, _ in dissents]
    both.sort(key=lambda pair: (pair[0].created_at, pair[0].id or 0), reverse=True)
    result.recent = both[:RECENT]
    return result


def _judged(decision: Commitment) -> Answer | None:
    """The check-back's verdict, once the decision was summed up with one."""
    if decision.status != DecisionStatus.CLOSED or decision.verdict not in set(Answer):
        return None
    return Answer(decision.verdict)
