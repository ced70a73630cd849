"""What Slack sends the bot, built the way Slack builds it.

Slash commands are form-encoded fields; interactivity (button presses, modal
submissions) is `payload=<json>` form-encoded; events are JSON. The harness signs
each with bot.app.signed_headers, as Slack signs them.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

API_APP_ID = "A0DOORWAY"
VERIFICATION_TOKEN = "console-verification-token"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

_MENTION = re.compile(r"(?<![\w<;])@([A-Za-z][\w.-]*)")
_CHANNEL = re.compile(r"(?<![\w<&])#([a-z0-9][\w-]*)")
# A link ends at whitespace, a `|`, or where an escaped `<`/`>` begins.
_URL = re.compile(r"\bhttps?://(?:(?!&gt;|&lt;)[^\s<>|])+")


class Lookup(Protocol):
    def find_person(self, text: str) -> Any: ...

    def find_channel(self, text: str) -> str | None: ...

    def channel(self, channel_id: str) -> str: ...


def as_typed(text: str, people: Lookup) -> str:
    """Command text as Slack sends it (escaping on): entities, then mentions and links."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def person(match: re.Match[str]) -> str:
        if match.group(1) in ("channel", "here", "everyone"):
            return f"<!{match.group(1)}>"
        found = people.find_person(match.group(1))
        return f"<@{found.id}|{found.name}>" if found else match.group(0)

    def channel(match: re.Match[str]) -> str:
        found = people.find_channel(match.group(1))
        return f"<#{found}|{people.channel(found)}>" if found else match.group(0)

    text = _MENTION.sub(person, text)
    text = _CHANNEL.sub(channel, text)
    return _URL.sub(lambda m: f"<{m.group(0)}>", text)


@dataclass(frozen=True)
class Actor:
    """Who is typing, and where: the fields every payload repeats."""

    team_id: str
    team_domain: str
    user_id: str
    user_name: str
    channel_id: str
    channel_name: str

    def user(self) -> dict[str, str]:
        return {
            "id": self.user_id,
            "username": self.user_name,
            "name": self.user_name,
            "team_id": self.team_id,
        }

    def team(self) -> dict[str, str]:
        return {"id": self.team_id, "domain": self.team_domain}


def trigger_id() -> str:
    return f"{int(time.time())}.{secrets.randbelow(10**9)}.{secrets.token_hex(16)}"


def action_ts() -> str:
    return f"{time.time():.6f}"


def slash_command(command: str, text: str, actor: Actor, *, response_url: str) -> str:
    """The form body of a slash command, with every field Slack sends."""
    return urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": actor.team_id,
            "team_domain": actor.team_domain,
            "channel_id": actor.channel_id,
            "channel_name": actor.channel_name,
            "user_id": actor.user_id,
            "user_name": actor.user_name,
            "command": command,
            "text": text,
            "api_app_id": API_APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id(),
        }
    )


def interactive(payload: dict[str, Any]) -> str:
    """An interactivity payload as Slack posts it: `payload=<json>`, form-encoded."""
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))})


def _base(kind: str, actor: Actor) -> dict[str, Any]:
    return {
        "type": kind,
        "user": actor.user(),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id(),
        "team": actor.team(),
        "enterprise": None,
        "is_enterprise_install": False,
    }


def message_action(
    action: dict[str, Any],
    actor: Actor,
    *,
    channel_id: str,
    channel_name: str,
    message_ts: str,
    response_url: str,
    message: dict[str, Any] | None,
    ephemeral: bool,
) -> dict[str, Any]:
    """A press in a message. Ephemeral messages come without the message itself."""
    payload = _base("block_actions", actor)
    payload.update(
        {
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel_id,
                "is_ephemeral": ephemeral,
            },
            "channel": {"id": channel_id, "name": channel_name},
            "state": {"values": {}},
            "response_url": response_url,
            "actions": [action],
        }
    )
    if message is not None and not ephemeral:
        payload["message"] = message
    return payload


def view_action(action: dict[str, Any], actor: Actor, *, view: dict[str, Any]) -> dict[str, Any]:
    """A press in a modal or on App Home."""
    payload = _base("block_actions", actor)
    payload.update(
        {
            "container": {"type": "view", "view_id": view.get("id")},
            "view": view,
            "actions": [action],
        }
    )
    return payload


def view_submission(view: dict[str, Any], values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """A modal submitted with `values` as its `state.values`."""
    payload = _base("view_submission", actor)
    payload.update({"view": {**view, "state": {"values": values}}, "response_urls": []})
    return payload


def view_closed(view: dict[str, Any], values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    payload = _base("view_closed", actor)
    payload.update({"view": {**view, "state": {"values": values}}, "is_cleared": False})
    del payload["trigger_id"]
    return payload


def event_callback(event: dict[str, Any], actor: Actor, *, bot_user_id: str) -> str:
    """An Events API delivery wrapping `event`, as JSON."""
    event_id = "Ev" + secrets.token_hex(5).upper()
    return json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": actor.team_id,
            "context_team_id": actor.team_id,
            "api_app_id": API_APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": actor.team_id,
                    "user_id": bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-{event_id}",
        }
    )


def home_opened(actor: Actor, *, view: dict[str, Any] | None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": actor.user_id,
        "channel": "D" + actor.user_id,
        "tab": "home",
        "event_ts": action_ts(),
    }
    if view is not None:
        event["view"] = view
    return event


def reaction_added(
    actor: Actor, reaction: str, *, channel_id: str, message_ts: str, item_user: str
) -> dict[str, Any]:
    """Someone reacting with `:reaction:` to a message in a channel."""
    return {
        "type": "reaction_added",
        "user": actor.user_id,
        "reaction": reaction,
        "item_user": item_user,
        "item": {"type": "message", "channel": channel_id, "ts": message_ts},
        "event_ts": action_ts(),
    }


def shortcut(
    actor: Actor,
    callback_id: str,
    *,
    message: dict[str, Any] | None = None,
    response_url: str | None = None,
) -> dict[str, Any]:
    """A shortcut used: on `message` in the actor's channel (`message_action`), else a
    global one (`shortcut`), as Slack sends them."""
    payload: dict[str, Any] = {
        "type": "shortcut",
        "token": VERIFICATION_TOKEN,
        "action_ts": action_ts(),
        "team": actor.team(),
        "user": actor.user(),
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id(),
    }
    if message is not None:
        payload.update(
            type="message_action",
            channel={"id": actor.channel_id, "name": actor.channel_name},
            message_ts=message.get("ts"),
            message=message,
            response_url=response_url,
        )
    return payload
