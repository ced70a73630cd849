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
    root = Path(__file__).resolve().parent.parent
    # The rooms', and the platform's own (the uninstall events, bot/listeners/uninstall.py).
    files = [*(root / "handlers").rglob("*.py"), *(root / "bot" / "listeners").rglob("*.py")]
    return {m for f in files for m in pattern.findall(f.read_text("utf-8"))}


def test_manifest_declares_every_command_and_event_the_rooms_listen_to() -> None:
    declared = manifest()
    commands = {c["command"] for c in declared["features"]["slash_commands"]}
    assert (
        commands
        == registered("command")
        == {"/door", "/commit", "/coe", "/prfaq", "/memo", "/chair", "/digest", "/decisions"}
    )
    events = set(declared["settings"]["event_subscriptions"]["bot_events"])
    # Workflow steps arrive as `function_executed` events, matched by `app.function`.
    assert events == registered("event") | {"function_executed"}
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


def test_manifest_declares_the_workflow_steps_the_rooms_run() -> None:
    declared = manifest()
    functions = declared["functions"]
    assert set(functions) == registered("function") == {"size_decision", "record_commit"}
    # What Slack's manifest schema asks of an app with custom steps.
    assert declared["settings"]["function_runtime"] == "remote"
    assert declared["settings"]["org_deploy_enabled"] is True
    for name, spec in functions.items():
        assert spec["title"] and spec["input_parameters"] and spec["output_parameters"], name
        for key, parameter in {**spec["input_parameters"], **spec["output_parameters"]}.items():
            assert parameter["name"] == key and parameter["type"], (name, key)
    size = functions["size_decision"]
    assert size["input_parameters"]["decision_text"]["is_required"] is True
    assert {"door", "confidence", "decision_link"} == set(size["output_parameters"])
    commit = functions["record_commit"]["input_parameters"]
    assert commit["dissenters"]["type"] == "array"
    assert commit["dissenters"]["items"]["type"] == "slack#/types/user_id"
