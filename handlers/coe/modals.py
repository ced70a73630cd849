"""The Correction of Error room's modals: the /coe form, one per question, and the small
forms of the review and the actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.slack import text as t
from bot.slack.views import input_block, modal, text_input
from handlers.coe.ids import Callback, Field, Priority, Severity, why_field
from handlers.coe.questions import BLAMELESS, MAX_WHYS, Question
from storage.models import CoeAnswer, CoeReview

TITLE_MAX = 200
ACTION_MAX = 500
REASON_MAX = 3000
MAX_WRITERS = 20


def _rich(initial: list[Any] | dict[str, Any] | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "rich_text_input"}
    if isinstance(initial, dict) and initial.get("elements"):
        element["initial_value"] = initial
    return element


def _options(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"text": t.plain_text(label, 75), "value": value} for value, label in pairs]


def open_review(
    *, channel_id: str, owner: str, title: str, draft_due: date, decisions: str = ""
) -> dict[str, Any]:
    """The /coe form, the title prefilled from the command's text."""
    severities = _options([(s.value, s.label) for s in Severity])
    return modal(
        Callback.OPEN,
        "Correction of Error",
        [
            t.context(BLAMELESS),
            input_block(
                Field.TITLE, "What went wrong, in a line", text_input(TITLE_MAX, initial=title)
            ),
            input_block(
                Field.STARTED, "When it started", {"type": "datetimepicker"}, optional=True
            ),
            input_block(
                Field.DETECTED, "When it was detected", {"type": "datetimepicker"}, optional=True
            ),
            input_block(
                Field.DURATION,
                "How long it lasted (minutes)",
                {"type": "number_input", "is_decimal_allowed": False, "min_value": "0"},
                optional=True,
            ),
            input_block(
                Field.SEVERITY,
                "Severity",
                {"type": "static_select", "options": severities},
            ),
            input_block(
                Field.CHANNEL,
                "Where it was handled",
                {"type": "conversations_select", "initial_conversation": channel_id},
                hint="The review's message goes to this channel.",
            ),
            input_block(
                Field.OWNER,
                "Owner of the review",
                {"type": "users_select", "initial_user": owner},
                hint="One person: the single-threaded owner. They can add anyone to write it.",
            ),
            input_block(
                Field.WRITERS,
                "Who writes it with the owner",
                {"type": "multi_users_select", "max_selected_items": MAX_WRITERS},
                optional=True,
                hint="They can answer the questions and add corrective actions.",
            ),
            input_block(
                Field.DRAFT_DUE,
                "First draft due",
                {"type": "datepicker", "initial_date": draft_due.isoformat()},
            ),
            input_block(
                Field.DECISIONS,
                "Decisions that led here",
                text_input(200, initial=decisions),
                optional=True,
                hint="Their numbers from /door or /commit, e.g. #12, #15.",
            ),
        ],
        channel=channel_id,
    )


def answer(review: CoeReview, question: Question, found: CoeAnswer | None) -> dict[str, Any]:
    """The modal for one of the seven questions, with what was written before."""
    spec = question.spec
    details = found.details if found else {}
    rich = found.rich[0] if found and found.rich else None
    blocks: list[dict[str, Any]] = [
        t.context(BLAMELESS),
        t.section(f"*{t.safe(review.title, 200)}*\n{t.escape(spec.title)}"),
    ]
    if question is Question.IMPACT:
        number = {"type": "number_input", "is_decimal_allowed": False, "min_value": "0"}
        for name, label in (
            (Field.CUSTOMERS, "Customers affected"),
            (Field.MINUTES, "For how many minutes"),
        ):
            element = dict(number)
            if details.get(name) is not None:
                element["initial_value"] = str(details[name])
            blocks.append(input_block(name, label, element))
        blocks.append(
            input_block(
                Field.COST,
                "What it cost",
                text_input(200, initial=str(details.get(Field.COST) or "")),
                hint="Money, hours, credits: a number and its unit.",
            )
        )
    blocks.append(input_block(Field.ANSWER, spec.prompt, _rich(rich), hint=spec.hint))
    if question is Question.ROOT_CAUSE:
        chains: list[list[str]] = details.get("chains") or []
        for index, chain in enumerate(chains, 1):
            shown = "\n".join(f"{n}. {t.safe(why, 300)}" for n, why in enumerate(chain, 1))
            blocks.append(t.section(f"*Chain {index}*\n{shown}"))
        choices = [(str(n), f"Chain {n}") for n in range(1, len(chains) + 1)]
        choices.append((str(len(chains) + 1), "A new chain"))
        picked = _options(choices)
        blocks.append(
            input_block(
                Field.CHAIN,
                "The whys below are",
                {"type": "static_select", "options": picked, "initial_option": picked[-1]},
                hint="Pick a chain to replace it, or add a new one.",
            )
        )
        for n in range(1, MAX_WHYS + 1):
            blocks.append(input_block(why_field(n), f"Why? ({n})", text_input(300), optional=n > 1))
    return modal(
        Callback.ANSWER, "Correction of Error", blocks, review=review.id, question=question.value
    )


def action(review: CoeReview, *, owner: str, due: date) -> dict[str, Any]:
    """A new corrective action of `review`."""
    priorities = _options([(p.value, p.value.capitalize()) for p in Priority])
    return modal(
        Callback.ACTION,
        "Corrective action",
        [
            t.section(f"For *{t.safe(review.title, 200)}*"),
            input_block(
                Field.ACTION_TITLE, "What will be done", text_input(ACTION_MAX, multiline=True)
            ),
            input_block(
                Field.OWNER,
                "Owner",
                {"type": "users_select", "initial_user": owner},
                hint="One person, who sees it through.",
            ),
            input_block(Field.DUE, "Due", {"type": "datepicker", "initial_date": due.isoformat()}),
            input_block(
                Field.PRIORITY,
                "Priority",
                {"type": "static_select", "options": priorities, "initial_option": priorities[1]},
            ),
        ],
        review=review.id,
    )


def writers(review: CoeReview) -> dict[str, Any]:
    """Who writes the review with its owner."""
    element: dict[str, Any] = {"type": "multi_users_select", "max_selected_items": MAX_WRITERS}
    if review.writers:
        element["initial_users"] = list(review.writers)
    return modal(
        Callback.WRITERS,
        "Who writes it",
        [
            t.section(f"Who writes *{t.safe(review.title, 200)}* with you?"),
            input_block(
                Field.WRITERS,
                "Writers",
                element,
                optional=True,
                hint="They can answer the questions and add corrective actions.",
            ),
        ],
        review=review.id,
    )


def reviewer(review: CoeReview) -> dict[str, Any]:
    return modal(
        Callback.REVIEWER,
        "Ask for review",
        [
            t.section(f"Who raises the bar on *{t.safe(review.title, 200)}*?"),
            input_block(
                Field.REVIEWER,
                "Bar raiser",
                {"type": "users_select"},
                hint=(
                    "Someone outside the team that owns the incident: "
                    "they approve it or send it back."
                ),
            ),
        ],
        review=review.id,
    )


def reason(callback: Callback, title: str, prompt: str, **meta: Any) -> dict[str, Any]:
    """A modal asking only for a reason (send back; not doing)."""
    return modal(
        callback,
        title,
        [input_block(Field.REASON, prompt, text_input(REASON_MAX, multiline=True))],
        **meta,
    )


def move(*, action_id: int, due: date) -> dict[str, Any]:
    return modal(
        Callback.MOVE,
        "Move the date",
        [
            input_block(
                Field.DUE, "New due date", {"type": "datepicker", "initial_date": due.isoformat()}
            )
        ],
        action=action_id,
    )
