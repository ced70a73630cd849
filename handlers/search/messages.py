"""Block Kit for /decisions: a page of results, the empty answer, the help."""

from __future__ import annotations

from dataclasses import replace
from datetime import tzinfo
from typing import Any

from bot import dates
from bot.decisions.judgment import Door
from bot.slack import text as t
from handlers.search import pages
from handlers.search.ids import Action, Block
from handlers.search.pages import Page
from handlers.search.parse import quoted
from storage.models import DecisionKind, DecisionStatus
from storage.queries.search import Found

DECISION_SHOWN = 300  # characters of a decision's text in a result line
KIND_WORDS = {DecisionKind.DOOR: "/door", DecisionKind.COMMIT: "/commit"}


def described(page: Page) -> str:
    """What was searched for, in words: `one-way, owned by @bob, since Mon 02 Nov 2026`."""
    q = page.query
    parts = [f"matching {' '.join(quoted(w) for w in q.words)}"] if q.words else []
    if q.door:
        parts.append(Door(q.door).label.lower() + "s")
    if q.owner_id:
        parts.append(f"owned by {t.user(q.owner_id)}")
    if q.closed is not None:
        parts.append("closed" if q.closed else "open")
    if q.since:
        parts.append(f"since {dates.day(q.since)}")
    return ", ".join(parts)


def _where(page: Page) -> str:
    return "Your decisions" if page.own else "Decisions in this channel"


def results(
    page: Page, found: list[Found], *, more: bool, zone: tzinfo
) -> tuple[str, list[dict[str, Any]]]:
    """The fallback text and blocks of one page (`found` holds at most a page)."""
    if not found:
        return _nothing(page)
    first, last = page.offset + 1, page.offset + len(found)
    what = described(page)
    head = f":mag: *{_where(page)}*{' ' + what if what else ''} — {first}–{last}, newest first"
    blocks: list[dict[str, Any]] = [t.section(head)]
    blocks += [t.section(_line(d, page, zone)) for d in found]
    buttons = []
    if page.offset > 0:
        back = replace(page, offset=max(0, page.offset - pages.PAGE_SIZE))
        buttons.append(t.button("Previous", Action.PREVIOUS, pages.encode(back)))
    if more and page.offset + pages.PAGE_SIZE <= pages.MAX_OFFSET:
        ahead = replace(page, offset=page.offset + pages.PAGE_SIZE)
        buttons.append(t.button("Next", Action.NEXT, pages.encode(ahead)))
    if buttons:
        blocks.append({"type": "actions", "block_id": Block.PAGES, "elements": buttons})
    blocks.append(t.context("Only you can see this. `/decisions help` for filters."))
    return t.fallback(f"{_where(page)}: {first}–{last}"), blocks


def _line(decision: Found, page: Page, zone: tzinfo) -> str:
    door = Door(decision.door)
    icon = ":door:" if door is Door.TWO_WAY else ":no_entry:"
    status = "closed" if decision.status == DecisionStatus.CLOSED else "open"
    day = dates.day(decision.created_at.astimezone(zone).date())
    if decision.permalink:
        link = f"<{decision.permalink}|open the card>"
    elif decision.channel_id.startswith("D"):
        link = "in a DM"
    else:
        link = f"in <#{decision.channel_id}>" if decision.channel_id.isalnum() else ""
    if decision.status == DecisionStatus.OPEN and not decision.permalink:
        link = f"{link} (not shared yet)".strip()
    facts = " · ".join(
        p
        for p in (
            f"*{door.label}*",
            status,
            f"owner {t.user(decision.owner_id)}",
            day,
            KIND_WORDS.get(DecisionKind(decision.kind), decision.kind),
            link,
        )
        if p
    )
    return f"{icon} *#{decision.id}* {t.safe(decision.text, DECISION_SHOWN)}\n{facts}"


def _nothing(page: Page) -> tuple[str, list[dict[str, Any]]]:
    what = described(page)
    if page.offset > 0:
        line = f":mag: No more {_where(page).lower()}{' ' + what if what else ''}."
    elif what:
        line = (
            f":mag: No {_where(page).lower()} {what}. "
            "Try fewer words or filters, or `/decisions help`."
        )
    elif page.own:
        line = (
            ":mag: You have no decisions yet: none you recorded, own or disagreed with. "
            "`/door <decision>` sizes one."
        )
    else:
        line = ":mag: No decisions in this channel yet. `/door <decision>` sizes one."
    return t.fallback(line), [t.section(line)]


HELP = (
    "*`/decisions [words] [one-way|two-way] [@owner] [open|closed] [since DATE]`*\n"
    "Lists decisions recorded with `/door` and `/commit`, newest first, with a link to each "
    "card. Only you see the answer.\n"
    "• In a channel: that channel's decisions. In a DM with Doorway: your own, from "
    "wherever they were made (recorded, owned, or disagreed with).\n"
    "• *Words* match the decision, its context and the concerns recorded with it "
    '(any case); put a phrase in quotes: `"new provider"`.\n'
    "• `one-way` or `two-way`: that door only. `@someone`: decisions they own.\n"
    "• `open` or `closed`: whether an outcome was recorded.\n"
    "• `since 2026-11-01`, `since 7d`, `since 2 weeks`, `since last week`, "
    "`since this month`: recorded from that day on (your time zone).\n"
    "Example: `/decisions billing one-way @alice open since last month`"
)


def help_message() -> tuple[str, list[dict[str, Any]]]:
    return "How /decisions searches", [t.section(HELP)]


def refused(line: str) -> tuple[str, list[dict[str, Any]]]:
    return t.fallback(line), [t.section(line)]
