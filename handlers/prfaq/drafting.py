"""The first draft of a PR/FAQ, from the author's five answers: written by the model where
one is configured and its answer validates, else by a template that leaves marked gaps.

Either way the result is the same shape (one text per section) and says who wrote it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field, ValidationInfo, field_validator

import prompts
from bot.model.client import MAX_CONTEXT_CHARS, ModelClient, as_data, fill
from handlers.prfaq.ids import Field as Answer
from handlers.prfaq.ids import Section, Writer

log = logging.getLogger(__name__)

DRAFT_BUDGET = 25.0  # seconds: the draft is written after the ack, while the author waits
GAP = "[TO WRITE: {}]"
GAP_MARK = "[TO WRITE"
MAX_FAQ = 8
ONE_PAGE_WORDS = 550  # the press release (heading to customer quote) fits on one page

Texts = dict[Section, str]


@dataclass(frozen=True)
class Draft:
    texts: Texts
    written_by: Writer
    note: str | None  # why the template wrote it, when it did


def gap(what: str) -> str:
    return GAP.format(what)


def gaps_in(texts: list[str]) -> int:
    """How many marked gaps are left for the author."""
    return sum(text.count(GAP_MARK) for text in texts)


def words_in_press_release(texts: dict[str, str]) -> int:
    return sum(len(texts.get(s.value, "").split()) for s in Section if s.in_press_release)


def faq_text(pairs: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"Q: {q.strip()}\nA: {a.strip()}" for q, a in pairs)


# --- The model's draft ------------------------------------------------------------------------


def _fit(value: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise ValueError("empty")
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


class FaqItem(BaseModel):
    question: str = Field(description="A question someone will ask.")
    answer: str = Field(description="Its plain answer, or a marked gap.")


class PrfaqReply(BaseModel):
    heading: str
    subheading: str
    summary: str
    problem: str
    solution: str
    leader_quote: str
    getting_started: str
    customer_quote: str
    external_faq: list[FaqItem]
    internal_faq: list[FaqItem]

    @field_validator(
        "heading",
        "subheading",
        "summary",
        "problem",
        "solution",
        "leader_quote",
        "getting_started",
        "customer_quote",
    )
    @classmethod
    def _section(cls, value: str, info: ValidationInfo) -> str:
        section = Section(str(info.field_name))
        if section in (Section.HEADING, Section.SUBHEADING):
            value = " ".join(value.split())
        return _fit(value, section.spec.limit)

    @field_validator("external_faq", "internal_faq")
    @classmethod
    def _faq(cls, value: list[FaqItem]) -> list[FaqItem]:
        kept = [item for item in value if item.question.strip() and item.answer.strip()]
        if not kept:
            raise ValueError("no questions")
        return kept[:MAX_FAQ]

    def texts(self) -> Texts:
        found: Texts = {}
        for section in Section:
            value = getattr(self, section.value)
            if isinstance(value, list):
                pairs = [(item.question, item.answer) for item in value]
                value = _fit(faq_text(pairs), section.spec.limit)
            found[section] = value
        return found


def _prompt(idea: str, answers: dict[str, str], today: date) -> str:
    return fill(
        prompts.load("prfaq_user.txt"),
        today=today.isoformat(),
        idea=as_data(idea, 200),
        **{
            name.value: as_data(answers.get(name.value, ""), MAX_CONTEXT_CHARS) or "(no answer)"
            for name in (
                Answer.CUSTOMER,
                Answer.PROBLEM,
                Answer.BENEFIT,
                Answer.EVIDENCE,
                Answer.EXPERIENCE,
            )
        },
    )


# --- The template -----------------------------------------------------------------------------


def _said(answers: dict[str, str], name: Answer, missing: str) -> str:
    return " ".join(answers.get(name.value, "").split()) or gap(missing)


def template(idea: str, answers: dict[str, str]) -> Texts:
    """The Working Backwards structure filled from the answers as written; what they don't
    say is left as a marked gap for the author."""
    customer = _said(answers, Answer.CUSTOMER, "who the customer is")
    benefit = _said(answers, Answer.BENEFIT, "the most important benefit")
    idea = " ".join(idea.split()) or gap("the product's name")
    texts: Texts = {
        Section.HEADING: idea,
        Section.SUBHEADING: f"For {customer}: {benefit}",
        Section.SUMMARY: (
            f"{gap('city')} — {gap('launch date')} — Today we launch {idea}. {benefit} "
            f"{gap('what launches, and why customers will care, in a sentence or two')}"
        ),
        Section.PROBLEM: answers.get(Answer.PROBLEM.value, "").strip()
        or gap("the customer's problem, in their words"),
        Section.SOLUTION: (
            answers.get(Answer.EXPERIENCE.value, "").strip()
            or gap("what the customer experiences, step by step")
        )
        + f"\n\n{gap('how this solves the problem, in the customer’s terms')}",
        Section.LEADER_QUOTE: (
            f"“{gap('why we built it')}” said {gap('name and title of the spokesperson')}."
        ),
        Section.GETTING_STARTED: gap("how a customer begins, step by step"),
        Section.CUSTOMER_QUOTE: (
            f"“{gap('the benefit, in a customer’s own words')}” said {gap('customer’s name')}."
        ),
        Section.EXTERNAL_FAQ: faq_text(
            [
                ("Who is it for?", customer),
                (gap("a question customers will ask"), gap("its answer")),
            ]
        ),
        Section.INTERNAL_FAQ: faq_text(
            [
                (
                    "How do we know customers need this?",
                    _said(answers, Answer.EVIDENCE, "what we saw that says they need it"),
                ),
                ("What will it cost, and what won't we do?", gap("cost, and what is out of scope")),
                ("How will we know it worked?", gap("the measure of success")),
            ]
        ),
    }
    return {
        s: text if len(text) <= s.spec.limit else text[: s.spec.limit - 1] + "…"
        for s, text in texts.items()
    }


async def draft(
    idea: str, answers: dict[str, str], *, model: ModelClient | None, today: date
) -> Draft:
    """The first draft: the model's if it answers and validates, else the template's."""
    if model is None:
        return Draft(template(idea, answers), Writer.TEMPLATE, "no model is configured")
    reply = await model.write(
        "prfaq",
        prompts.load("prfaq_system.txt"),
        _prompt(idea, answers, today),
        PrfaqReply,
        budget=DRAFT_BUDGET,
    )
    if reply is None:
        return Draft(template(idea, answers), Writer.TEMPLATE, "the model gave no usable draft")
    return Draft(reply.texts(), Writer.MODEL, None)
