"""Block Kit for the door room: the card, the modal, the help."""

from __future__ import annotations

from typing import Any

from bot import dates
from bot.decisions.judgment import Door
from bot.slack import text as t
from handlers.door import asking
from handlers.door.ids import Action, Block, Callback, Field
from storage.models import DecisionStatus, DoorDecision

SOURCE_WORDS = {"rules": "built-in rules", "model": "the model", "person": "a person"}

MEANING = {
    Door.TWO_WAY: (
        "*Decide now.* It's reversible, so speed beats certainty: the owner decides, "
        "no committee needed. Set a review date and walk back through the door if it "
        "doesn't work out."
    ),
    Door.ONE_WAY: (
        "*Slow down.* This is hard to undo: write it up (a one-page memo), widen the "
        "circle to the people it affects and someone outside the team, and pick a date "
        "(*Review on…*) to look at it again before it's final."
    ),
}

HELP = (
    "*Doorway sizes decisions.*\n"
    "• A *two-way door* is reversible: decide fast, let the owner decide, review later.\n"
    "• A *one-way door* is hard to undo: slow down, write it up, widen the circle.\n"
    "Most decisions are two-way doors; treating them as one-way makes a team slow.\n\n"
    "*How to use it*\n"
    "`/door Move billing to the new provider` sizes a decision and shows why. "
    "Anyone can *Overrule* the door, *Share* the card in the channel, or pick a *Review* date.\n"
    "`/door` on its own opens a form. `/chair <topic>` asks what the customer would. "
    "`/commit` records a disagree-and-commit. `/coe` opens a Correction of Error review. "
    "`/prfaq <idea>` works backwards from the press release. `/memo <link>` runs a silent "
    "reading. `/digest on` sends this channel a weekly digest."
)


def card(decision: DoorDecision, *, for_channel: bool) -> list[dict[str, Any]]:
    """The decision card: ephemeral for its author, or shared for the channel."""
    door = Door(decision.door)
    icon = ":door:" if door is Door.TWO_WAY else ":no_entry:"
    blocks: list[dict[str, Any]] = [
        t.header(f"{door.label}?" if asks(decision) else door.label),
        t.section(f"{icon} *Decision:* {t.safe(decision.text, 2500)}", block_id=Block.DECISION),
    ]
    if decision.context:
        blocks.append(t.context(f"Context: {t.safe(decision.context, 2000)}"))
    blocks.append(t.section(_why(decision)))
    if asks(decision):
        blocks += _questions(decision)
    else:
        blocks.append(t.section(MEANING[door]))
    if decision.chair_question:
        blocks.append(
            t.section(f":chair: *The empty chair asks:* _{t.safe(decision.chair_question, 600)}_")
        )
    blocks.append(
        {
            "type": "actions",
            "block_id": f"{Block.ACTIONS}:{decision.id}",
            "elements": _actions(decision, for_channel=for_channel),
        }
    )
    blocks.append(
        {
            "type": "context",
            "block_id": Block.CONTEXT,
            "elements": [t.mrkdwn(t.cut(_footer(decision), t.CONTEXT_TEXT))],
        }
    )
    return blocks


def fallback(decision: DoorDecision) -> str:
    return t.fallback(f"{Door(decision.door).label}: {decision.text}")


def asks(decision: DoorDecision) -> bool:
    """The sizing was unsure and no person has sized the door yet: the card asks."""
    return decision.unsure and decision.door_source != "person"


def _questions(decision: DoorDecision) -> list[dict[str, Any]]:
    """The three questions, each with Yes / No until answered, then with its answer."""
    door = Door(decision.door)
    lead = f"{t.safe(decision.sizing_note, 600)}\n" if decision.sizing_note else ""
    blocks = [
        t.section(
            f":thinking_face: {lead}*Not sure yet.* A few quick answers will size it; "
            f"until then, treat it as a {door.label.lower()}. Anyone can answer."
        )
    ]
    answers = decision.answers or {}
    for question in asking.Question:
        if question.value in answers:
            said = "Yes" if answers[question.value] else "No"
            blocks.append(t.context(f"{question.text} *{said}*"))
            continue
        blocks.append(t.section(f"*{question.text}*"))
        value = f"{decision.id}:{question.value}"
        blocks.append(
            {
                "type": "actions",
                "block_id": f"{Block.ASK}:{decision.id}:{question.value}",
                "elements": [
                    t.button("Yes", Action.ANSWER_YES, value),
                    t.button("No", Action.ANSWER_NO, value),
                ],
            }
        )
    return blocks


def _why(decision: DoorDecision) -> str:
    sure = round(decision.confidence * 100)
    source = SOURCE_WORDS.get(decision.door_source, decision.door_source)
    # What a person said last has the last word: an overrule after the review's answer
    # is what the card explains, not the review it overruled.
    overruled_since = bool(
        decision.overruled_at and (not decision.undo_at or decision.overruled_at > decision.undo_at)
    )
    if (
        decision.door_source == "person"
        and decision.undo_as_said in ("harder", "easier")
        and not overruled_since
    ):
        how = "harder" if decision.undo_as_said == "harder" else "easier"
        who = t.user(decision.undo_by) if decision.undo_by else "the owner"
        head = (
            f"*Why* — at the review {who} said it was {how} to undo than the card said: "
            f"what happened has the last word.\n_The card had said otherwise, because:_"
        )
        reasons = [t.safe(r, 400) for r in decision.reasons[:3]]
    elif decision.door_source == "person" and decision.answered_by and not decision.overruled_by:
        guessed = Door(decision.sized_door or decision.door).label.lower()
        head = (
            f"*Why* — the card's questions were answered ({t.user(decision.answered_by)}'s "
            f"answer settled it): {asking.because(decision.answers or {})}.\n"
            f"_Before the answers it was guessed as a {guessed}, because:_"
        )
        reasons = [t.safe(r, 400) for r in decision.reasons[:3]]
    elif decision.door_source == "person" and decision.overruled_by:
        was = Door(decision.sized_door or Door(decision.door).flipped()).label.lower()
        head = (
            f"*Why* — {t.user(decision.overruled_by)} overruled the sizing: the people "
            f"who know the decision have the last word.\n_It had been sized as a {was}, "
            f"because:_"
        )
        reasons = [t.safe(r, 400) for r in decision.reasons[:3]]
    elif sure < 50:
        # Kept one-way though the words lean two-way (a step that can't be undone): the
        # probability of the door shown is under a half, which is no way to say "sure".
        head = f"*Why* — unsure, sized by {source}: the card asks rather than guess"
        reasons = [t.safe(r, 400) for r in decision.reasons[:6]]
    else:
        head = f"*Why* — {sure}% sure, sized by {source}"
        reasons = [t.safe(r, 400) for r in decision.reasons[:6]]
    return head + "\n" + "\n".join(f"• {r}" for r in reasons)


def _actions(decision: DoorDecision, *, for_channel: bool) -> list[dict[str, Any]]:
    door = Door(decision.door)
    elements: list[dict[str, Any]] = []
    if not for_channel and decision.status == DecisionStatus.OPEN:
        elements.append(
            t.button("Share in channel", Action.SHARE, str(decision.id), style="primary")
        )
    target = door.flipped()
    elements.append(
        t.button(
            f"Overrule: it's a {target.label.lower()}",
            Action.OVERRULE,
            f"{decision.id}:{target.value}",
        )
    )
    picker: dict[str, Any] = {
        "type": "datepicker",
        "action_id": Action.REVIEW_DATE,
        "placeholder": t.plain_text("Review on…"),
    }
    if decision.review_at:
        picker["initial_date"] = decision.review_at.isoformat()
    elements.append(picker)
    return elements


def _footer(decision: DoorDecision) -> str:
    parts = [f"Decision #{decision.id}", f"recorded by {t.user(decision.author_id)}"]
    if t.is_link(decision.source_url):
        parts.append(f"from <{decision.source_url}|a message>")
    if decision.status != DecisionStatus.OPEN:
        parts.append("shared in the channel")
    if decision.review_at:
        parts.append(f"review on {dates.day(decision.review_at)}")
    else:
        parts.append("no review date yet")
    return " · ".join(parts)


def shared_note(decision: DoorDecision) -> str:
    return f":white_check_mark: Shared in the channel. {_review_note(decision)}"


def _review_note(decision: DoorDecision) -> str:
    if decision.review_at is None:
        return ""
    return f"Review on *{dates.day(decision.review_at)}*; change it with the date picker."


def modal(
    *,
    channel_id: str,
    initial: str = "",
    context: str = "",
    metadata: str | None = None,
    note: str = "",
    pick_channel: bool = False,
) -> dict[str, Any]:
    """The form `/door` opens when typed with no text; `note` (mrkdwn) above the inputs, and
    `pick_channel` for a conversation select of where the card goes (the global shortcut)."""
    decision_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": Field.DECISION,
        "multiline": True,
        "max_length": 3000,
        "placeholder": t.plain_text("e.g. Move billing to the new provider"),
    }
    if initial:
        decision_input["initial_value"] = t.cut(initial, 3000)
    return {
        "type": "modal",
        "callback_id": Callback.MODAL,
        "private_metadata": metadata if metadata is not None else channel_id,
        "title": t.plain_text("Size a decision", 24),
        "submit": t.plain_text("Size it", 24),
        "close": t.plain_text("Cancel", 24),
        "blocks": [
            *([t.context(note)] if note else []),
            {
                "type": "input",
                "block_id": Field.DECISION,
                "label": t.plain_text("What are you deciding?"),
                "element": decision_input,
            },
            {
                "type": "input",
                "block_id": Field.CONTEXT,
                "optional": True,
                "label": t.plain_text("Context (optional)"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": Field.CONTEXT,
                    "multiline": True,
                    "max_length": 3000,
                    **({"initial_value": t.cut(context, 3000)} if context else {}),
                },
            },
            *([_post_in()] if pick_channel else []),
        ],
    }


def _post_in() -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": Field.POST_IN,
        "optional": True,
        "label": t.plain_text("Post the card in"),
        "element": {
            "type": "conversations_select",
            "action_id": Field.POST_IN,
            "placeholder": t.plain_text("A channel you're in"),
            "filter": {"include": ["public", "private"], "exclude_bot_users": True},
        },
        "hint": t.plain_text("Left empty, the card comes to you in a DM with Doorway."),
    }


def help_blocks() -> list[dict[str, Any]]:
    return [t.section(HELP)]


def notice(message: str) -> list[dict[str, Any]]:
    return [t.section(message)]
