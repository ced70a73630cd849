"""Block Kit messages of the commit room: the card, the DMs, the summary, the record.

Every piece of user text goes through `bot.slack.text` (escaped and cut). A message returns
`{"text": …, "blocks": …}`, ready to splat into chat.postMessage or chat.update.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from bot import dates
from bot.decisions.judgment import Door
from bot.decisions.links import open_review_block
from bot.slack import text as t
from handlers.commit.ids import ANSWER_LABELS, Action, Answer, Block, outcome_action
from handlers.commit.outcomes import Record, tally
from storage.models import CheckIn, Commitment, DecisionStatus, Dissent, DissentState

Message = dict[str, Any]

SOURCE_WORDS = {"rules": "built-in rules", "model": "the model", "person": "a person"}
# On the channel's card. "Can't commit yet" is between the dissenter and the owner (the
# form promises the reason goes to the owner and nowhere else), so on the card it looks
# the same as not having answered: the channel can't tell who is holding out.
STATE_LINES = {
    DissentState.PENDING: ":hourglass_flowing_sand: asked to commit",
    DissentState.COMMITTED: ":white_check_mark: *disagrees and commits*",
    DissentState.NOT_YET: ":hourglass_flowing_sand: asked to commit",
}
ANSWER_ICONS = {
    Answer.HELD_UP: ":white_check_mark:",
    Answer.CONCERNS_RIGHT: ":dart:",
    Answer.MIXED: ":scales:",
    Answer.TOO_EARLY: ":hourglass:",
}
PRIVATE_BELOW = 2  # the thread names an answer only when at least this many gave it
COMMITTING = (
    "Disagreeing and committing means backing the decision fully while your concern stays "
    "on record. On the check-back date Doorway asks everyone how it turned out."
)
HELP = (
    "*Disagree and commit.*\n"
    "`/commit @alice @bob We ship on Friday` opens a form with the decision, its owner, who "
    "disagreed and when to check back. The card goes to the channel; each person who "
    "disagreed is asked by DM to commit in their own words, or to say why they can't yet.\n"
    "On the check-back date Doorway asks the owner and the dissenters how it turned out, "
    "and sums it up in the card's thread.\n"
    "`/commit me` shows your own record, only to you."
)


def day(value: date | None) -> str:
    return dates.day(value) if value else "—"


def _quote(text: str | None, limit: int = 2500) -> str:
    return "\n".join(f">{line}" for line in t.safe(text, limit).splitlines() or ["—"])


def _door(decision: Commitment) -> str:
    door = Door(decision.door)
    icon = ":door:" if door is Door.TWO_WAY else ":no_entry:"
    source = SOURCE_WORDS.get(decision.door_source, decision.door_source)
    return f"{icon} {door.label} (sized by {source})"


def _facts(decision: Commitment) -> str:
    return (
        f"{_door(decision)} · Owner {t.user(decision.owner_id)} · "
        f"Check back on {day(decision.check_back)}"
    )


# -- the channel card -----------------------------------------------------------------


def card(decision: Commitment, dissent: Sequence[Dissent]) -> Message:
    """The card in the channel: decision, door, owner, and each dissenter's state."""
    blocks: list[dict[str, Any]] = [
        t.header("Disagree and commit"),
        t.section(
            f":handshake: *Decision:* {t.safe(decision.text, 2500)}",
            block_id=f"{Block.CARD}:{decision.id}",
        ),
        t.context(_facts(decision)),
    ]
    if decision.context:
        blocks.append(t.section(f"*The disagreement:* {t.safe(decision.context, 2500)}"))
    blocks += [_dissenter_line(d) for d in dissent]
    if decision.status == DecisionStatus.CLOSED:
        blocks.append(t.section(_verdict_line(decision) + " Details in the thread."))
    committed = sum(d.state == DissentState.COMMITTED for d in dissent)
    blocks.append(
        t.context(
            f"Decision #{decision.id} · recorded by {t.user(decision.author_id)} with `/commit` · "
            f"{committed} of {len(dissent)} committed"
        )
    )
    return {"text": t.fallback(f"Disagree and commit: {decision.text}"), "blocks": blocks}


def _dissenter_line(dissent: Dissent) -> dict[str, Any]:
    line = f"{t.user(dissent.user_id)} — {STATE_LINES[DissentState(dissent.state)]}"
    if dissent.state == DissentState.PENDING and dissent.dm_error:
        line = f"{t.user(dissent.user_id)} — :warning: couldn't be asked by DM"
    if dissent.state == DissentState.COMMITTED:
        if dissent.concern:
            line += f"\n*Concern:* {t.safe(dissent.concern, 1000)}"
        if dissent.expectation:
            line += f"\n*Expects:* {t.safe(dissent.expectation, 1000)}"
    return t.section(line)


def _verdict_line(decision: Commitment) -> str:
    if decision.verdict is None:
        return ":bar_chart: *Checked back:* nobody answered."
    answer = Answer(decision.verdict)
    return f"{ANSWER_ICONS[answer]} *Checked back:* {answer.label.lower()}."


# -- asking a dissenter ---------------------------------------------------------------


def ask(decision: Commitment, dissent: Dissent, *, reminder: bool = False) -> Message:
    """The DM asking a dissenter to commit, or showing what they answered."""
    lead = "*Reminder:* you haven't answered yet. " if reminder else ""
    blocks: list[dict[str, Any]] = [
        t.section(
            f"{lead}:handshake: {t.user(decision.author_id)} recorded a decision in "
            f"<#{decision.channel_id}> that you disagreed with:\n"
            f"{_quote(decision.text)}"
        ),
        t.context(_facts(decision)),
    ]
    if decision.context:
        blocks.append(
            t.section(f"*The disagreement, as recorded:* {t.safe(decision.context, 2500)}")
        )
    state = DissentState(dissent.state)
    buttons = []
    if state is DissentState.PENDING:
        blocks.append(t.section(COMMITTING))
        buttons = [
            t.button("I disagree and commit", Action.COMMIT, str(decision.id), style="primary"),
            t.button("I can't commit yet", Action.NOT_YET, str(decision.id)),
        ]
    elif state is DissentState.NOT_YET:
        blocks.append(
            t.section(
                ":raised_hand: You said you can't commit yet; the owner has "
                "your reason. When you can:"
            )
        )
        buttons = [
            t.button("I disagree and commit", Action.COMMIT, str(decision.id), style="primary")
        ]
    else:
        blocks.append(
            t.section(
                ":white_check_mark: *You disagreed and committed.* Your "
                "words are on the card in the channel. Thank you."
            )
        )
    if buttons:
        blocks.append(
            {"type": "actions", "block_id": f"{Block.ASK}:{decision.id}", "elements": buttons}
        )
    text = (
        f"Will you disagree and commit? {decision.text}"
        if buttons
        else f"You disagreed and committed: {decision.text}"
    )
    return {"text": t.fallback(("Reminder: " if reminder else "") + text), "blocks": blocks}


def not_named() -> Message:
    return _note(
        ":no_entry_sign: You weren't named as disagreeing with this decision, so "
        "there's nothing for you to commit to.",
        "Not yours to commit to",
    )


def gone() -> Message:
    return _note("That decision no longer exists.", "That decision no longer exists.")


def held_for_owner(decision: Commitment, dissent: Dissent) -> Message:
    """To the owner: a dissenter can't commit yet, and why."""
    return {
        "text": t.fallback(f"Someone can't commit yet to: {decision.text}"),
        "blocks": [
            t.section(
                f":raised_hand: {t.user(dissent.user_id)} can't commit yet to your "
                f"decision:\n{_quote(decision.text, 1000)}"
            ),
            t.section(f"*Their reason:*\n{_quote(dissent.reason, 2000)}"),
            t.context(
                "Only you see this. Talking it through usually helps; they can still "
                "commit from their DM."
            ),
        ],
    }


def dm_failed(decision: Commitment, user_id: str, error: str, *, what: str) -> Message:
    """To the owner: Slack wouldn't let Doorway DM someone involved."""
    return _note(
        f":warning: I couldn't DM {t.user(user_id)} {what} about your decision "
        f"“{t.safe(decision.text, 300)}” (Slack said `{t.safe(error, 100)}`; "
        "they may have DMs from apps turned off). Please ask them in person.",
        f"I couldn't DM someone about your decision: {decision.text}",
    )


def card_failed(decision: Commitment, error: str, shown: Message) -> Message:
    """To the author: the card couldn't go to the channel, so here it is."""
    note = t.section(
        f":warning: I couldn't post this card in <#{decision.channel_id}> "
        f"(Slack said `{t.safe(error, 100)}`). If it's a private channel, invite "
        "me with `/invite @Doorway`. The dissenters are asked by DM all the same."
    )
    return {"text": shown["text"], "blocks": [note, *shown["blocks"]]}


# -- the check-back -------------------------------------------------------------------


def check_back(decision: Commitment, *, role: str, dissent: Dissent | None) -> Message:
    """To the owner or a dissenter on the check-back date: how did it turn out?"""
    whose = "your decision" if role == "owner" else "a decision you disagreed with"
    blocks: list[dict[str, Any]] = [
        t.section(
            f":mag: *Check-back* on {whose}, made on {day(decision.created_at.date())} "
            f"in <#{decision.channel_id}>:\n{_quote(decision.text)}"
        ),
    ]
    if dissent is not None and (dissent.concern or dissent.expectation):
        said = []
        if dissent.concern:
            said.append(f"*Your concern:* {t.safe(dissent.concern, 1000)}")
        if dissent.expectation:
            said.append(f"*You expected:* {t.safe(dissent.expectation, 1000)}")
        blocks.append(t.section("\n".join(said)))
    blocks.append(t.section("*How did it turn out?*"))
    blocks.append(
        {
            "type": "actions",
            "block_id": f"{Block.CHECKBACK}:{decision.id}",
            "elements": [
                t.button(a.label, outcome_action(a), f"{decision.id}:{a.value}") for a in Answer
            ],
        }
    )
    blocks.append(t.context("The thread gets a count of the answers, not who gave which."))
    return {"text": t.fallback(f"How did it turn out? {decision.text}"), "blocks": blocks}


def answered(decision: Commitment, answer: Answer, *, already: bool) -> Message:
    head = "You already answered" if already else "Thanks: you answered"
    note = _note(
        f"{ANSWER_ICONS[answer]} {head} *{answer.label.lower()}* for the decision "
        f"“{t.safe(decision.text, 500)}”.",
        f"{head}: {answer.label}",
    )
    if answer is Answer.CONCERNS_RIGHT and decision.id is not None:
        # What went wrong can be reviewed, blamelessly, from here.
        note["blocks"].append(open_review_block(decision.id))
    return note


def summary(decision: Commitment, checkins: Sequence[CheckIn]) -> Message:
    """In the card's thread: how it turned out, counted, without names."""
    counts = tally(c.answer for c in checkins)
    lines = [
        f"• {ANSWER_ICONS[a]} {ANSWER_LABELS[a]}: {counts[a]}"
        for a in Answer
        if counts[a] >= PRIVATE_BELOW
    ]
    # An answer only one person gave is not named: among an owner and a few dissenters,
    # "The concerns were right: 1" says what the one dissenter thought.
    alone = sum(n for n in counts.values() if n < PRIVATE_BELOW)
    if alone:
        lines.append(f"• {'Another answer' if alone == 1 else 'Other answers'}: {alone}")
    waiting = sum(c.answer is None for c in checkins)
    if waiting:
        lines.append(f"• No answer: {waiting}")
    blocks = [
        t.section(
            f"*How it turned out* — check-back of {day(decision.check_back)}, "
            f"{len(checkins) - waiting} of {len(checkins)} answered:\n" + "\n".join(lines)
        ),
        t.section(_verdict_line(decision)),
    ]
    blocks.append(t.context("Counts only: an answer given by one person alone isn't named."))
    return {"text": t.fallback(f"How it turned out: {decision.text}"), "blocks": blocks}


# -- your own record ------------------------------------------------------------------


def own_record(mine: Record) -> Message:
    """`/commit me`: a person's own record, shown only to them."""
    if not mine.dissented and not mine.owned:
        return _note(
            "No disagree-and-commit decisions involve you yet. "
            "`/commit help` explains how it works.",
            "No record yet",
        )
    parts = [
        f"*Your disagree-and-commit record* (only you see this)\n"
        f"You disagreed {mine.dissented} time{'s' * (mine.dissented != 1)}: committed "
        f"{mine.committed}, not yet {mine.not_yet}, still to answer {mine.pending}."
    ]
    if mine.judged_as_dissenter:
        right = mine.as_dissenter[Answer.CONCERNS_RIGHT]
        parts.append(
            f":dart: Your concerns turned out right in *{right} of "
            f"{mine.judged_as_dissenter}* checked-back decisions"
            f"{_breakdown(mine.as_dissenter, Answer.CONCERNS_RIGHT)}."
        )
    if mine.owned:
        parts.append(
            f"You owned {mine.owned} decision{'s' * (mine.owned != 1)} made over "
            "someone's disagreement"
            + (
                f"; {mine.as_owner[Answer.HELD_UP]} of {mine.judged_as_owner} "
                f"checked back held up{_breakdown(mine.as_owner, Answer.HELD_UP)}."
                if mine.judged_as_owner
                else "."
            )
        )
    recent = "\n".join(
        f"• #{d.id} {t.safe(d.text, 150)} — {role}, "
        + (f"{Answer(d.verdict).label.lower()}" if d.verdict else f"check back {day(d.check_back)}")
        for d, role in mine.recent
    )
    blocks = [t.section("\n".join(parts)), t.section(f"*Latest*\n{recent}")]
    return {"text": "Your disagree-and-commit record", "blocks": blocks}


def _breakdown(counts: Counter[Answer], main: Answer) -> str:
    shown = [
        f"{ANSWER_LABELS[a].lower()} {counts[a]}" for a in Answer if counts[a] and a is not main
    ]
    return f" ({', '.join(shown)})" if shown else ""


def help_message() -> Message:
    return _note(HELP, "How /commit works")


def _note(text: str, fallback: str) -> Message:
    """One section of Doorway's own mrkdwn; `fallback` is the plain notification text."""
    return {"text": t.fallback(fallback), "blocks": [t.section(text)]}
