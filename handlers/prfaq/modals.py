"""The PR/FAQ room's forms: the five customer questions, a section's revision, the next
circle of readers, a reader's question."""

from __future__ import annotations

from typing import Any

from bot.slack import text as t
from bot.slack.views import input_block, modal, text_input
from handlers.prfaq.ids import QUESTIONS, Callback, Circle, Field, Section
from storage.models import Prfaq, PrfaqSection

IDEA_MAX = 200
ANSWER_MAX = 2000
QUESTION_MAX = 1000
MAX_READERS = {Circle.REVIEWERS: 5, Circle.WIDER: 30}

WORKING_BACKWARDS = (
    "Working backwards: start from the customer. Answer these five questions and Doorway "
    "drafts the press release announcing the finished product, and its FAQ."
)


def open_prfaq(*, channel_id: str, idea: str) -> dict[str, Any]:
    """The /prfaq form, the idea prefilled from the command's text."""
    blocks: list[dict[str, Any]] = [
        t.context(WORKING_BACKWARDS),
        input_block(Field.IDEA, "The idea, in a line", text_input(IDEA_MAX, initial=idea)),
    ]
    for name, label, hint in QUESTIONS:
        blocks.append(input_block(name, label, text_input(ANSWER_MAX, multiline=True), hint=hint))
    return modal(Callback.OPEN, "Working backwards", blocks, submit="Draft it", channel=channel_id)


def revise(prfaq: Prfaq, found: PrfaqSection) -> dict[str, Any]:
    """One section, for editing, with the version it was opened at (saved only over it)."""
    section = Section(found.section)
    spec = section.spec
    return modal(
        Callback.REVISE,
        t.cut(f"Revise: {spec.title}", 24),
        [
            t.context(t.safe(spec.guide)),
            input_block(
                Field.TEXT,
                spec.title,
                text_input(spec.limit, initial=found.text, multiline=spec.limit > 300),
            ),
        ],
        prfaq=prfaq.id,
        section=section.value,
        version=found.version,
    )


def share(prfaq: Prfaq, to: Circle) -> dict[str, Any]:
    """Who the next circle is: a few reviewers, a wider circle, or the channel."""
    if to is Circle.CHANNEL:
        blocks = [
            t.section(
                "Everyone in the channel sees the PR/FAQ and its document in the card's thread, "
                "and can say they have read it or ask a question."
            ),
            input_block(
                Field.CHANNEL,
                "Share it in",
                {"type": "conversations_select", "initial_conversation": prfaq.channel_id},
            ),
        ]
    else:
        limit = MAX_READERS[to]
        lead = (
            "A few reviewers first: people whose questions will make it better."
            if to is Circle.REVIEWERS
            else "A wider circle: the people who will build, sell or support it."
        )
        blocks = [
            t.section(lead + " Each is asked by DM; their questions go into the internal FAQ."),
            input_block(
                Field.READERS,
                f"Who reads it (up to {limit})",
                {"type": "multi_users_select", "max_selected_items": limit},
            ),
        ]
    return modal(
        Callback.SHARE, "Share the PR/FAQ", blocks, submit="Share", prfaq=prfaq.id, to=int(to)
    )


def ask(prfaq: Prfaq, heading: str) -> dict[str, Any]:
    return modal(
        Callback.ASK,
        "Ask a question",
        [
            t.context(
                f"Your question about *{t.safe(heading, 200)}* goes into its internal FAQ, "
                "for the author to answer."
            ),
            input_block(Field.QUESTION, "Your question", text_input(QUESTION_MAX, multiline=True)),
        ],
        submit="Ask",
        prfaq=prfaq.id,
    )


def asked(prfaq: Prfaq, heading: str, question: str) -> dict[str, Any]:
    """The ask form, once sent: where the question went. `heading` is already escaped."""
    return modal(
        "prfaq_asked",
        "Question sent",
        [
            t.section(
                f":white_check_mark: Your question about *{heading}* goes into its internal FAQ, "
                f"and {t.user(prfaq.author_id)} is told:\n> {t.safe(question, 1000)}"
            )
        ],
        submit=None,
        close="Close",
    )
