"""Open modals, filled in and submitted until none is left open.

Submitting sends a `view_submission` and reads the bot's ack as Slack does:
`errors` shows them and asks those fields again, `update` replaces the form, `push`
stacks a new one, `clear` closes them all, and anything else closes this one.
"""

from __future__ import annotations

import secrets
from functools import partial
from typing import TYPE_CHECKING, Any

from console import payloads
from console.forms import Form
from console.render import text_of

if TYPE_CHECKING:
    from console.state import Console


async def run_open_forms(console: Console) -> None:
    screen, terminal = console.screen, console.terminal
    while screen.modals and not terminal.eof:
        view = screen.modals[-1]
        form = Form(view, terminal, console.directory, today=console.today(), zone=console.zone())
        terminal.say(*form.heading())
        if not view.get("submit"):  # a view to read, as Slack shows it: only its Close
            terminal.say(f"└ {text_of(view.get('close'), console.directory) or 'Close'}")
            await _closed(console, form)
            apply_response(screen.modals, view, {})  # closes this one
            continue
        answer = await _fill_and_submit(console, form)
        if answer is None:  # cancelled, or input ended: the form is closed unsent
            terminal.say(terminal.stopped("└ Closed without submitting."))
            await _closed(console, form)
            screen.modals.clear()
            return
        apply_response(screen.modals, view, answer)


async def _closed(console: Console, form: Form) -> None:
    """Tell the bot a view was closed, if it asked to be told (`notify_on_close`)."""
    if form.view.get("notify_on_close"):
        payload = payloads.view_closed(form.view, form.values, console.actor())
        await console.exchange(partial(console.harness.interact, payload))


async def _fill_and_submit(console: Console, form: Form) -> dict[str, Any] | None:
    """Ask, submit, and ask again while the bot reports errors; the bot's final ack."""
    terminal = console.terminal
    only: dict[str, str] | None = None
    while True:
        if not await form.fill(only):
            return None
        terminal.say(f"└ {form.submit_label()}")
        payload = payloads.view_submission(form.view, form.values, console.actor())
        reply, _ = await console.exchange(partial(console.harness.interact, payload))
        if reply.status != 200:
            terminal.say(f"The bot turned the form down (HTTP {reply.status}).")
            return {"response_action": "clear"}
        answer = reply.json() or {}
        if answer.get("response_action") != "errors":
            return answer
        errors = form.errors_for(answer.get("errors") or {})
        terminal.say(f"┌─ {form.view_title()} has problems to fix:")
        if "" in errors:
            terminal.say(f"│ ! {errors.pop('')}")
        only = errors or None


def apply_response(
    stack: list[dict[str, Any]], view: dict[str, Any], answer: dict[str, Any]
) -> None:
    action = answer.get("response_action")
    new_view = answer.get("view") if isinstance(answer.get("view"), dict) else None
    if action == "update" and new_view is not None:
        updated = {**_blank_view(view["id"], view), **new_view, "id": view["id"]}
        stack[:] = [updated if v.get("id") == view.get("id") else v for v in stack]
    elif action == "push" and new_view is not None:
        stack.append({**_blank_view("V" + secrets.token_hex(5).upper(), view), **new_view})
    elif action == "clear":
        stack.clear()
    else:
        stack[:] = [v for v in stack if v.get("id") != view.get("id")]


def _blank_view(view_id: str, parent: dict[str, Any]) -> dict[str, Any]:
    """The fields Slack adds to a view the bot returned in its ack."""
    return {
        "id": view_id,
        "team_id": parent.get("team_id"),
        "app_id": parent.get("app_id"),
        "bot_id": parent.get("bot_id"),
        "private_metadata": "",
        "callback_id": "",
        "external_id": "",
        "state": {"values": {}},
        "root_view_id": parent.get("root_view_id") or parent.get("id"),
        "previous_view_id": parent.get("id"),
        "hash": secrets.token_hex(6),
    }
