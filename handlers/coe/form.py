"""Reading the Correction of Error forms: what a submission says, or what's wrong with it.

Pure functions over `view.state.values`: no Slack, no database. Slack's forms enforce
their own limits; a forged submission does not, so each is checked again here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.listeners import forms
from bot.slack import text as t
from handlers.coe.ids import Field, Priority, Severity, why_field
from handlers.coe.modals import ACTION_MAX, MAX_WRITERS, REASON_MAX, TITLE_MAX
from handlers.coe.questions import (
    ANSWER_MAX,
    MAX_CHAINS,
    MAX_WHYS,
    Question,
    clean,
    rich_to_mrkdwn,
    whys_of,
)

DRAFT_WORKING_DAYS = 2
MAX_DECISIONS = 20
_NUMBER = re.compile(r"#?(\d{1,9})")
LATEST_DUE = timedelta(days=3 * 366)

Errors = dict[str, str]


def draft_due(today: date) -> date:
    """Two working days after `today` (weekends skipped)."""
    day, left = today, DRAFT_WORKING_DAYS
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def meta_id(view: dict[str, Any], name: str) -> int:
    return forms.metadata_number(view, name)


def _selected(view: dict[str, Any], name: str, key: str) -> Any:
    return forms.element(view, name).get(key)


def _option(view: dict[str, Any], name: str) -> str:
    option = _selected(view, name, "selected_option")
    return str(option.get("value") or "") if isinstance(option, dict) else ""


def _when(view: dict[str, Any], name: str) -> datetime | None:
    value = _selected(view, name, "selected_date_time")
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**40:
        return datetime.fromtimestamp(value, UTC)
    return None


def _day(view: dict[str, Any], name: str) -> date | None:
    value = _selected(view, name, "selected_date")
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _whole(view: dict[str, Any], name: str) -> int | None | str:
    raw = str(forms.element(view, name).get("value") or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        return "A whole number, please."
    return int(raw)


@dataclass(frozen=True)
class Opened:
    title: str
    severity: Severity
    channel_id: str
    owner_id: str
    draft_due: date
    started_at: datetime | None
    detected_at: datetime | None
    duration_minutes: int | None
    decision_ids: list[int]
    writers: list[str]


def opened(view: dict[str, Any], *, today: date) -> Opened | Errors:
    """The /coe form's submission, or the errors to show in it."""
    errors: Errors = {}
    title = forms.text(view, Field.TITLE)
    if not title:
        errors[Field.TITLE] = "Name what went wrong, in a line."
    elif len(title) > TITLE_MAX:
        errors[Field.TITLE] = f"Up to {TITLE_MAX} characters."
    severity = _option(view, Field.SEVERITY)
    if severity not in {s.value for s in Severity}:
        errors[Field.SEVERITY] = "Pick a severity."
    channel = str(_selected(view, Field.CHANNEL, "selected_conversation") or "")
    if not channel.isalnum():
        errors[Field.CHANNEL] = "Pick the channel where it was handled."
    owner = str(_selected(view, Field.OWNER, "selected_user") or "")
    if not owner.isalnum():
        errors[Field.OWNER] = "One person owns the review."
    due = _day(view, Field.DRAFT_DUE)
    if due is None:
        errors[Field.DRAFT_DUE] = "Pick the day the first draft is due."
    elif due < today or due > today + LATEST_DUE:
        errors[Field.DRAFT_DUE] = "Pick a day from today on."
    duration = _whole(view, Field.DURATION)
    if isinstance(duration, str):
        errors[Field.DURATION] = duration
    started, detected = _when(view, Field.STARTED), _when(view, Field.DETECTED)
    if started and detected and detected < started:
        errors[Field.DETECTED] = "It can't have been detected before it started."
    raw = forms.text(view, Field.DECISIONS)
    numbers = [int(n) for n in _NUMBER.findall(raw)]
    if raw and (not numbers or len(numbers) > MAX_DECISIONS or not _only_numbers(raw)):
        errors[Field.DECISIONS] = "Decision numbers, like #12, #15 (up to 20)."
    writers = people(view, Field.WRITERS)
    if len(writers) > MAX_WRITERS:
        errors[Field.WRITERS] = f"Up to {MAX_WRITERS} people."
    if errors:
        return errors
    assert due is not None and not isinstance(duration, str)
    return Opened(
        title=title,
        severity=Severity(severity),
        channel_id=channel,
        owner_id=owner,
        draft_due=due,
        started_at=started,
        detected_at=detected,
        duration_minutes=duration,
        decision_ids=list(dict.fromkeys(numbers)),
        writers=writers,
    )


def _only_numbers(raw: str) -> bool:
    return not re.sub(r"[#\d\s,;and]", "", raw)


@dataclass(frozen=True)
class Answered:
    text: str  # mrkdwn, escaped
    rich: dict[str, Any]
    details: dict[str, Any]


def answered(
    view: dict[str, Any], question: Question, chains: list[list[str]]
) -> Answered | Errors:
    """A question's modal, submitted; or the errors to show in it."""
    errors: Errors = {}
    rich = clean(_selected(view, Field.ANSWER, "rich_text_value"))  # only what Slack sends
    shown = rich_to_mrkdwn(rich)
    if not t.readable(shown).strip():  # markup alone is no answer
        errors[Field.ANSWER] = (
            "This one can't be skipped: if there are none, write 'none'."
            if question is Question.IMPLICATIONS
            else "Write an answer: a sentence is enough to start."
        )
    elif len(shown) > ANSWER_MAX:
        errors[Field.ANSWER] = f"Doorway keeps up to {ANSWER_MAX:,} characters here."
    details: dict[str, Any] = {}
    if question is Question.IMPACT:
        for name in (Field.CUSTOMERS, Field.MINUTES):
            value = _whole(view, name)
            if value is None:
                errors[name] = "A number, please (0 if none)."
            elif isinstance(value, str):
                errors[name] = value
            else:
                details[name] = value
        cost = forms.text(view, Field.COST)
        if not cost:
            errors[Field.COST] = "What it cost: a number and its unit (0 if nothing)."
        details[Field.COST] = cost[:200]
    if question is Question.ROOT_CAUSE:
        whys = whys_of([forms.text(view, why_field(n)) for n in range(1, MAX_WHYS + 1)])
        if isinstance(whys, str):
            errors[why_field(1)] = whys
        picked = _option(view, Field.CHAIN)
        number = int(picked) if picked.isdigit() else len(chains) + 1
        kept = [list(c) for c in chains]
        if not isinstance(whys, str):
            whys = [w[:300] for w in whys]
            if 1 <= number <= len(kept):
                kept[number - 1] = whys
            elif len(kept) >= MAX_CHAINS:
                errors[Field.CHAIN] = f"Up to {MAX_CHAINS} chains: pick one to replace."
            else:
                kept.append(whys)
        details["chains"] = kept
    if errors:
        return errors
    return Answered(text=shown, rich=rich, details=details)


@dataclass(frozen=True)
class NewAction:
    title: str
    owner_id: str
    due: date
    priority: Priority


def new_action(view: dict[str, Any], *, today: date) -> NewAction | Errors:
    errors: Errors = {}
    title = forms.text(view, Field.ACTION_TITLE)
    if not title:
        errors[Field.ACTION_TITLE] = "What will be done?"
    elif len(title) > ACTION_MAX:
        errors[Field.ACTION_TITLE] = f"Up to {ACTION_MAX} characters."
    owner = str(_selected(view, Field.OWNER, "selected_user") or "")
    if not owner.isalnum():
        errors[Field.OWNER] = "One person owns each action."
    due = due_of(view, today=today)
    if isinstance(due, str):
        errors[Field.DUE] = due
    priority = _option(view, Field.PRIORITY)
    if priority not in {p.value for p in Priority}:
        errors[Field.PRIORITY] = "Pick a priority."
    if errors:
        return errors
    assert isinstance(due, date)
    return NewAction(title=title, owner_id=owner, due=due, priority=Priority(priority))


def due_of(view: dict[str, Any], *, today: date) -> date | str:
    due = _day(view, Field.DUE)
    if due is None:
        return "Pick a due date."
    if due < today or due > today + LATEST_DUE:
        return "Pick a day from today on."
    return due


def reason(view: dict[str, Any]) -> str | Errors:
    found = forms.text(view, Field.REASON)
    if not found:
        return {Field.REASON: "Say why: the owner reads it."}
    if len(found) > REASON_MAX:
        return {Field.REASON: f"Up to {REASON_MAX:,} characters."}
    return found


def people(view: dict[str, Any], name: str) -> list[str]:
    """A multi_users_select's people, once each ([] for anything Slack wouldn't send)."""
    picked = _selected(view, name, "selected_users")
    if not isinstance(picked, list):
        return []
    return list(dict.fromkeys(p for p in picked if isinstance(p, str) and p.isalnum()))


def person(view: dict[str, Any], name: str) -> str:
    return str(_selected(view, name, "selected_user") or "")
