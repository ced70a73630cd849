"""Every action, callback, block id, section and job kind of the PR/FAQ room."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Action(StrEnum):
    REVISE = "prfaq_revise"  # a section's button: its value is the section
    SHARE = "prfaq_share"  # the author widens the circle by one
    HISTORY = "prfaq_history"
    READ = "prfaq_read"  # the whole document, in a modal
    DONE_READING = "prfaq_done_reading"  # "I've read it"
    ASK = "prfaq_ask"  # a question for the internal FAQ


class Callback(StrEnum):
    OPEN = "prfaq_open"  # the five customer questions
    REVISE = "prfaq_revise"  # one section, for editing
    SHARE = "prfaq_share"  # who the next circle is
    ASK = "prfaq_ask"  # a reader's question


class Block(StrEnum):
    CARD = "prfaq_card"  # the card's buttons: `prfaq_card:<id>`
    SECTION = "prfaq_section"  # a section's message: `prfaq_section:<id>`
    READER = "prfaq_reader"  # a reader's buttons: `prfaq_reader:<id>`


class Field(StrEnum):
    IDEA = "idea"
    CUSTOMER = "customer"
    PROBLEM = "problem"
    BENEFIT = "benefit"
    EVIDENCE = "evidence"
    EXPERIENCE = "experience"
    TEXT = "text"  # a revised section
    READERS = "readers"  # the next circle's people
    CHANNEL = "channel"  # where the PR/FAQ is shared last
    QUESTION = "question"


# The five customer questions, in the order they are asked.
QUESTIONS: tuple[tuple[Field, str, str], ...] = (
    (Field.CUSTOMER, "Who is the customer?", "Be specific: who, in what situation."),
    (
        Field.PROBLEM,
        "What is their problem or opportunity?",
        "In their words, not ours.",
    ),
    (
        Field.BENEFIT,
        "What is the most important customer benefit?",
        "One benefit, the one they would tell a friend about.",
    ),
    (
        Field.EVIDENCE,
        "How do we know what they need?",
        "Data, interviews, support tickets: what we saw, not what we think.",
    ),
    (
        Field.EXPERIENCE,
        "What does the customer experience look like?",
        "From the first moment to the benefit, step by step.",
    ),
)


class Section(StrEnum):
    """The Working Backwards document, in order: the press release, then the two FAQs."""

    HEADING = "heading"
    SUBHEADING = "subheading"
    SUMMARY = "summary"
    PROBLEM = "problem"
    SOLUTION = "solution"
    LEADER_QUOTE = "leader_quote"
    GETTING_STARTED = "getting_started"
    CUSTOMER_QUOTE = "customer_quote"
    EXTERNAL_FAQ = "external_faq"
    INTERNAL_FAQ = "internal_faq"

    @property
    def spec(self) -> SectionSpec:
        return SECTIONS[self]

    @property
    def in_press_release(self) -> bool:
        return self not in (Section.EXTERNAL_FAQ, Section.INTERNAL_FAQ)


@dataclass(frozen=True)
class SectionSpec:
    title: str
    limit: int  # characters, as stored and revised
    guide: str  # what the section says, shown when it is revised


SECTIONS: dict[Section, SectionSpec] = {
    Section.HEADING: SectionSpec("Heading", 150, "The product's name and what it is, in a line."),
    Section.SUBHEADING: SectionSpec(
        "Subheading", 300, "One sentence: who the customer is and the benefit they get."
    ),
    Section.SUMMARY: SectionSpec(
        "Summary", 1500, "City, date, and what launches: the whole story in a paragraph."
    ),
    Section.PROBLEM: SectionSpec(
        "Problem", 1500, "The customer's problem, from their point of view."
    ),
    Section.SOLUTION: SectionSpec(
        "Solution", 1500, "How the product solves it, simply and in the customer's terms."
    ),
    Section.LEADER_QUOTE: SectionSpec(
        "A leader's quote", 800, "Why we built it, in a spokesperson's words."
    ),
    Section.GETTING_STARTED: SectionSpec(
        "How to get started", 800, "How easy it is to begin, step by step."
    ),
    Section.CUSTOMER_QUOTE: SectionSpec(
        "A customer's quote", 800, "A customer describes the benefit in their own words."
    ),
    Section.EXTERNAL_FAQ: SectionSpec(
        "External FAQ", 2900, "What customers and reporters will ask, and our answers."
    ),
    Section.INTERNAL_FAQ: SectionSpec(
        "Internal FAQ",
        2900,
        "What the team and leaders will ask: cost, risks, dependencies, what we won't do.",
    ),
}


class Piece(StrEnum):
    """The document's messages in the card's thread: the press release, then each FAQ."""

    PRESS_RELEASE = "press_release"
    EXTERNAL_FAQ = "external_faq"
    INTERNAL_FAQ = "internal_faq"

    @property
    def sections(self) -> tuple[Section, ...]:
        if self is Piece.PRESS_RELEASE:
            return tuple(s for s in Section if s.in_press_release)
        return (Section(self.value),)


def piece_of(section: Section) -> Piece:
    return Piece.PRESS_RELEASE if section.in_press_release else Piece(section.value)


class Circle(IntEnum):
    """Who has been asked to read it: each circle is wider than the one before."""

    AUTHOR = 0
    REVIEWERS = 1  # a few reviewers
    WIDER = 2  # a wider circle
    CHANNEL = 3  # everyone in the channel

    @property
    def label(self) -> str:
        return {
            Circle.AUTHOR: "only you",
            Circle.REVIEWERS: "a few reviewers",
            Circle.WIDER: "a wider circle",
            Circle.CHANNEL: "the channel",
        }[self]


class Writer(StrEnum):
    """Who wrote the first draft; the card always says."""

    MODEL = "model"
    TEMPLATE = "template"
