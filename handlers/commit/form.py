"""The /commit form: what the command text prefills, what a submission says, what's wrong.

Pure functions: no Slack, no database. Who is a bot or deactivated is looked up by the
listener and passed in as `people`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeGuard

from bot.listeners import forms
from bot.slack import markup
from bot.slack.text import as_typed
from handlers.commit.ids import Field

CHECK_BACK_AFTER = timedelta(days=14)
CHECK_BACK_WITHIN = timedelta(days=366)
MAX_DISSENTERS = 10
DECISION_MAX = 3000
NOTE_MAX = 3000
SLACKBOT = "USLACKBOT"

# With `should_escape`, Slack writes a mention as <@U123|alice> or just <@U123>.
_PERSON = re.compile(r"[UW][A-Z0-9]+")
# What may stand between leading mentions: `@alice, @bob and @carol`, `@alice & @bob`.
_LEADING = re.compile(r"^(?:\s|,|;|:|\band\b|&)*")


@dataclass(frozen=True)
class Prefill:
    """What `/commit @alice @bob We ship on Friday` puts in the form."""

    decision: str
    dissenters: list[str]


@dataclass(frozen=True)
class Person:
    """What the form needs to know about someone picked in it."""

    user_id: str
    name: str | None = None
    is_bot: bool = False
    deleted: bool = False

    @property
    def shown(self) -> str:
        return self.name or "That person"


@dataclass(frozen=True)
class Submission:
    decision: str
    owner: str | None
    dissenters: list[str]
    summary: str
    check_back: date | None
    people: list[str] = field(default_factory=list)  # owner and dissenters, once each

    def __post_init__(self) -> None:
        everyone = ([self.owner] if self.owner else []) + self.dissenters
        object.__setattr__(self, "people", list(dict.fromkeys(everyone)))


def prefill(text: str, *, author: str) -> Prefill:
    """Dissenters from the mentions (leading ones leave the text); the rest is the decision."""
    tokens = list(markup.tokens(text.strip()))
    mentioned = [token.id for token in tokens if _is_person(token)]
    while tokens:  # leading mentions, and what separates them, leave the text
        first = tokens[0]
        if isinstance(first, markup.Text):
            kept = _LEADING.sub("", first.raw, count=1)
            if kept:
                tokens[0] = markup.Text(kept)
                break
        elif not (_is_person(first) or isinstance(first, markup.Entity) and first.char == "&"):
            break
        del tokens[0]
    # A mention inside the sentence stays readable; the person is still a likely dissenter.
    rest = "".join(
        "@" + (token.label or token.id) if _is_person(token) else token.raw for token in tokens
    )
    dissenters = [u for u in dict.fromkeys(mentioned) if u != author][:MAX_DISSENTERS]
    return Prefill(decision=as_typed(rest.strip()), dissenters=dissenters)


def _is_person(token: markup.Token) -> TypeGuard[markup.User]:
    return isinstance(token, markup.User) and _PERSON.fullmatch(token.id) is not None


def read(view: dict[str, Any]) -> Submission:
    """The form's state exactly as Slack sends it in a view_submission."""
    picked = forms.element(view, Field.CHECK_BACK).get("selected_date")
    try:
        check_back = date.fromisoformat(picked) if picked else None
    except (TypeError, ValueError):
        raise forms.stale(view, f"a check-back date Slack sends ({picked!r})") from None
    return Submission(
        decision=forms.text(view, Field.DECISION),
        owner=forms.element(view, Field.OWNER).get("selected_user") or None,
        dissenters=list(forms.element(view, Field.DISSENTERS).get("selected_users") or []),
        summary=forms.text(view, Field.SUMMARY),
        check_back=check_back,
    )


def problems(form: Submission, *, today: date, people: dict[str, Person]) -> dict[str, str]:
    """What's missing or wrong, by the block it belongs next to; empty when all is well.

    `today` is the day in the author's zone; `people` holds whoever could be looked up.
    """
    errors: dict[str, str] = {}
    if not form.decision:
        errors[Field.DECISION] = "Say what was decided: a sentence is enough."
    elif len(form.decision) > DECISION_MAX:
        errors[Field.DECISION] = f"Keep it under {DECISION_MAX:,} characters."
    if form.owner is None:
        errors[Field.OWNER] = "Pick who owns the decision."
    elif (why := _not_a_person(people.get(form.owner), form.owner)) is not None:
        errors[Field.OWNER] = f"{why} Pick a person to own the decision."
    if (why := _dissenter_problem(form, people)) is not None:
        errors[Field.DISSENTERS] = why
    if len(form.summary) > NOTE_MAX:
        errors[Field.SUMMARY] = f"Keep it under {NOTE_MAX:,} characters."
    if form.check_back is None:
        errors[Field.CHECK_BACK] = "Pick the day Doorway should ask how it turned out."
    elif form.check_back <= today:
        errors[Field.CHECK_BACK] = "Pick a day after today: it's when Doorway asks how it went."
    elif form.check_back > today + CHECK_BACK_WITHIN:
        errors[Field.CHECK_BACK] = "Pick a day within the next year."
    return errors


def _dissenter_problem(form: Submission, people: dict[str, Person]) -> str | None:
    if not form.dissenters:
        return "Pick at least one person who disagreed."
    if len(form.dissenters) > MAX_DISSENTERS:
        return f"Up to {MAX_DISSENTERS} people, please."
    seen: set[str] = set()
    for user_id in form.dissenters:
        person = people.get(user_id)
        if user_id in seen:
            return f"{_shown(person)} is listed twice: name each person once."
        seen.add(user_id)
        if user_id == form.owner:
            return (
                f"{_shown(person)} owns the decision, so can't also disagree with it. "
                "Change the owner, or leave them out here."
            )
        if (why := _not_a_person(person, user_id)) is not None:
            return f"{why} Only people can disagree and commit."
    return None


def _not_a_person(person: Person | None, user_id: str) -> str | None:
    if user_id == SLACKBOT or (person is not None and person.is_bot):
        return f"{_shown(person)} is a bot."
    if person is not None and person.deleted:
        return f"{_shown(person)}'s account is deactivated."
    return None


def _shown(person: Person | None) -> str:
    return person.shown if person is not None else "That person"
