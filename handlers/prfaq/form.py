"""Reading the PR/FAQ forms: what a submission says, or what's wrong with it.

Pure functions over `view.state.values`. Slack's forms enforce their own limits; a forged
submission does not, so each is checked again here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.listeners import forms
from handlers.prfaq.ids import QUESTIONS, Circle, Field, Section
from handlers.prfaq.modals import ANSWER_MAX, IDEA_MAX, MAX_READERS, QUESTION_MAX

Errors = dict[str, str]


def meta_number(view: dict[str, Any], name: str) -> int:
    return forms.metadata_number(view, name, lowest=0)


@dataclass(frozen=True)
class Opened:
    idea: str
    answers: dict[str, str]


def opened(view: dict[str, Any]) -> Opened | Errors:
    """The five customer questions, answered; or the errors to show."""
    errors: Errors = {}
    idea = forms.text(view, Field.IDEA)
    if not idea:
        errors[Field.IDEA] = "Name the idea, in a line."
    elif len(idea) > IDEA_MAX:
        errors[Field.IDEA] = f"Up to {IDEA_MAX} characters."
    answers: dict[str, str] = {}
    for name, _, _ in QUESTIONS:
        answer = forms.text(view, name)
        if not answer:
            errors[name] = "Working backwards starts here: a sentence is enough."
        elif len(answer) > ANSWER_MAX:
            errors[name] = f"Up to {ANSWER_MAX:,} characters."
        answers[name.value] = answer
    return errors or Opened(idea=idea, answers=answers)


@dataclass(frozen=True)
class Revised:
    prfaq_id: int
    section: Section
    version: int
    text: str


def revised(view: dict[str, Any]) -> Revised | Errors:
    prfaq_id = meta_number(view, "prfaq")
    version = meta_number(view, "version")
    try:
        section = Section(str(forms.metadata(view).get("section")))
    except ValueError:
        raise forms.stale(view, "the section it belongs to") from None
    text = forms.text(view, Field.TEXT)
    if not text:
        return {Field.TEXT: "A section can't be empty: write what it should say."}
    if len(text) > section.spec.limit:
        return {Field.TEXT: f"Up to {section.spec.limit:,} characters."}
    return Revised(prfaq_id=prfaq_id, section=section, version=version, text=text)


@dataclass(frozen=True)
class Shared:
    prfaq_id: int
    to: Circle
    readers: list[str]
    channel_id: str | None


def shared(view: dict[str, Any], *, author: str) -> Shared | Errors:
    prfaq_id = meta_number(view, "prfaq")
    try:
        to = Circle(meta_number(view, "to"))
    except ValueError:
        raise forms.stale(view, "the circle it widens to") from None
    if to is Circle.AUTHOR:
        raise forms.stale(view, "the circle it widens to")
    if to is Circle.CHANNEL:
        channel = forms.element(view, Field.CHANNEL).get("selected_conversation")
        if not isinstance(channel, str) or not channel.isalnum() or len(channel) > 32:
            return {Field.CHANNEL: "Pick the channel to share it in."}
        return Shared(prfaq_id=prfaq_id, to=to, readers=[], channel_id=channel)
    picked = forms.element(view, Field.READERS).get("selected_users") or []
    if not isinstance(picked, list):
        picked = []
    readers = list(dict.fromkeys(u for u in picked if isinstance(u, str) and u.isalnum()))
    readers = [u for u in readers if u != author and len(u) <= 32]
    if not readers:
        return {Field.READERS: "Pick at least one person other than you."}
    if len(readers) > MAX_READERS[to]:
        return {Field.READERS: f"Up to {MAX_READERS[to]} people in this circle."}
    return Shared(prfaq_id=prfaq_id, to=to, readers=readers, channel_id=None)


def question(view: dict[str, Any]) -> tuple[int, str] | Errors:
    prfaq_id = meta_number(view, "prfaq")
    text = forms.text(view, Field.QUESTION)
    if not text:
        return {Field.QUESTION: "What would you like to ask?"}
    if len(text) > QUESTION_MAX:
        return {Field.QUESTION: f"Up to {QUESTION_MAX:,} characters."}
    return prfaq_id, " ".join(text.split())
