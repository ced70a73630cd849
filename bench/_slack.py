"""Slash commands exactly as Slack sends them: form-encoded and signed by bot.slack.signing."""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlencode

from bot.slack.signing import signed_headers


def trigger_id() -> str:
    """A fresh trigger id shaped like Slack's (`<epoch>.<app>.<hex>`)."""
    return f"{int(time.time())}.1.{secrets.token_hex(16)}"


def slash_command(
    command: str,
    text: str,
    *,
    secret: str,
    team_id: str,
    user_id: str,
    channel_id: str,
    response_url: str,
    trigger: str | None = None,
    api_app_id: str = "A0DOORWAY",
    team_domain: str = "example",
) -> tuple[bytes, dict[str, str]]:
    """A slash command invocation with every field Slack sends, and its signed headers."""
    fields = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": "general",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger or trigger_id(),
    }
    body = urlencode(fields).encode()
    return body, signed_headers(body, secret)
