"""manifest.yml creates the app Doorway expects: it parses, and declares what the bot uses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"


def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return loaded


def registered(kind: str) -> set[str]:
    """Names each room registers with `app.command("…")` / `app.event("…")`."""
    pattern = re.compile(rf'app\.{kind}\("([^"]+)"\)')
    rooms = Path(__file__).resolve().parent.parent / "handlers"
    return {m for f in rooms.rglob("*.py") for m in pattern.findall(f.read_text("utf-8"))}


def test_manifest_declares_every_command_and_event_the_rooms_listen_to() -> None:
    declared = manifest()
    commands = {c["command"] for c in declared["features"]["slash_commands"]}
    assert (
        commands
        == registered("command")
        == {"/door", "/commit", "/coe", "/prfaq", "/memo", "/chair", "/digest"}
    )
    events = set(declared["settings"]["event_subscriptions"]["bot_events"])
    assert events == registered("event")
    assert declared["settings"]["interactivity"]["is_enabled"] is True
    assert declared["settings"]["socket_mode_enabled"] is True


def test_manifest_declares_every_shortcut_the_rooms_listen_to() -> None:
    from handlers.commit.ids import Shortcut as CommitShortcut
    from handlers.door.ids import Shortcut as DoorShortcut

    declared = {s["callback_id"]: s for s in manifest()["features"]["shortcuts"]}
    assert set(declared) == {s.value for s in (*DoorShortcut, *CommitShortcut)}
    kinds = {callback: s["type"] for callback, s in declared.items()}
    assert kinds == {
        "door_size_message": "message",
        "commit_on_message": "message",
        "door_log_decision": "global",
    }
    for shortcut in declared.values():  # Slack's manifest schema: name 24, description 150
        assert len(shortcut["name"]) <= 24 and len(shortcut["description"]) <= 150


def test_every_command_points_at_the_events_endpoint() -> None:
    declared = manifest()
    urls = {c["url"] for c in declared["features"]["slash_commands"]}
    urls.add(declared["settings"]["event_subscriptions"]["request_url"])
    urls.add(declared["settings"]["interactivity"]["request_url"])
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")


def test_scopes_cover_the_web_api_methods_the_bot_calls() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    needed = {
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "reactions:read",
        "channels:history",
        "groups:history",
        "channels:read",
        "groups:read",
    }
    assert needed <= scopes
