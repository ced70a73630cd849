"""Requests exactly as Slack sends them, signed with the v0 signing secret.

Each builder returns `(body, headers)`, ready for `post(url, body, headers)`:

    body, headers = slash_command("/door", "Try a blue button", team_id="T1",
                                  user_id="U1", channel_id="C1",
                                  response_url=slack.response_url("door"))
    status, text = await post(f"{bot_url}/slack/events", body, headers)

Every builder takes the signing options `secret`, `timestamp`, `retry_num`,
`retry_reason`, `bad_signature` (a well-formed but wrong signature) and `stale`
(a correct signature on a timestamp older than Slack's five-minute window).
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any, TypedDict, Unpack
from urllib.parse import urlencode

import aiohttp

from bot.slack.signing import FORM, JSON, signed_headers

SIGNING_SECRET = "test-signing-secret"
API_APP_ID = "A0DOORWAY"
VERIFICATION_TOKEN = "legacy-verification-token"
STALE_SECONDS = 10 * 60


class SignOptions(TypedDict, total=False):
    secret: str
    timestamp: int | None
    retry_num: int | None
    retry_reason: str | None
    bad_signature: bool
    stale: bool


def sign(
    body: str,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    *,
    content_type: str = FORM,
    retry_num: int | None = None,
    retry_reason: str | None = None,
    bad_signature: bool = False,
    stale: bool = False,
) -> dict[str, str]:
    """The headers Slack sends with `body`."""
    if timestamp is None:
        timestamp = int(time.time()) - (STALE_SECONDS if stale else 0)
    signer = "not-" + secret if bad_signature else secret
    headers = signed_headers(body, signer, timestamp=timestamp, content_type=content_type)
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    return headers


def sign_raw(
    body: bytes,
    secret: str = SIGNING_SECRET,
    timestamp: int | str | None = None,
    *,
    content_type: str = FORM,
) -> dict[str, str]:
    """The headers Slack would send with `body`, signed over the exact bytes (which need not
    parse): for requests no builder here would make."""
    return signed_headers(body, secret, timestamp=timestamp, content_type=content_type)


def _signed(body: str, content_type: str, options: SignOptions) -> tuple[str, dict[str, str]]:
    secret = options.get("secret", SIGNING_SECRET)
    rest = {k: v for k, v in options.items() if k != "secret"}
    return body, sign(body, secret, content_type=content_type, **rest)  # type: ignore[arg-type]


def slash_command(
    command: str,
    text: str,
    *,
    team_id: str,
    user_id: str,
    channel_id: str,
    response_url: str,
    trigger_id: str | None = None,
    channel_name: str = "general",
    enterprise_id: str | None = None,
    user_name: str | None = None,
    team_domain: str = "example",
    is_enterprise_install: bool = False,
    **options: Unpack[SignOptions],
) -> tuple[str, dict[str, str]]:
    """A slash command invocation, form-encoded with every field Slack sends."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": API_APP_ID,
        "is_enterprise_install": "true" if is_enterprise_install else "false",
        "response_url": response_url,
        "trigger_id": trigger_id or _trigger_id(),
    }
    if enterprise_id is not None:
        fields["enterprise_id"] = enterprise_id
        fields["enterprise_name"] = "Example Grid"
    return _signed(urlencode(fields), FORM, options)


def interactive(
    payload: dict[str, Any], **options: Unpack[SignOptions]
) -> tuple[str, dict[str, str]]:
    """Any interactivity payload, form-encoded as `payload=<json>`."""
    body = urlencode({"payload": json.dumps(payload, separators=(",", ":"))})
    return _signed(body, FORM, options)


def block_actions(
    payload: dict[str, Any], **options: Unpack[SignOptions]
) -> tuple[str, dict[str, str]]:
    """A block_actions payload (build one with `block_actions_payload`)."""
    return interactive({"type": "block_actions", **payload}, **options)


def block_actions_payload(
    action_id: str,
    value: str | None = None,
    *,
    team_id: str,
    user_id: str,
    block_id: str = "actions",
    channel_id: str | None = None,
    message: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
    response_url: str | None = None,
    trigger_id: str | None = None,
    action_type: str = "button",
    action: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The payload Slack sends when a user presses a button (or uses another element).

    Pass `message` and `channel_id` for a click in a message, `view` for one in a
    modal or App Home. `action` overrides the generated action (for selects etc.).
    """
    clicked = action or {
        "type": action_type,
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": action_id, "emoji": True},
        "action_ts": f"{time.time():.6f}",
    }
    if action is None and value is not None:
        clicked["value"] = value
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, team_id),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {"type": "message"},
        "trigger_id": trigger_id or _trigger_id(),
        "team": {"id": team_id, "domain": "example"},
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [clicked],
    }
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": "general"}
    if message is not None:
        payload["message"] = message
        payload["container"] = {
            "type": "message",
            "message_ts": message.get("ts"),
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
    if view is not None:
        payload["view"] = view
        payload["container"] = {"type": "view", "view_id": view.get("id")}
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def view_submission(
    callback_id: str,
    values: dict[str, dict[str, dict[str, Any]]],
    *,
    team_id: str,
    user_id: str,
    private_metadata: str = "",
    view_id: str = "V0SUBMIT",
    view: dict[str, Any] | None = None,
    trigger_id: str | None = None,
    response_urls: list[dict[str, Any]] | None = None,
    **options: Unpack[SignOptions],
) -> tuple[str, dict[str, str]]:
    """A modal submission. `values` is `view.state.values`: block_id -> action_id -> value.

    e.g. `{"decision": {"text": {"type": "plain_text_input", "value": "Ship it"}}}`.
    `view` is the modal as opened (blocks, title …); callback_id, metadata and
    state are filled in.
    """
    submitted = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": [],
        "title": {"type": "plain_text", "text": "Doorway"},
        "app_id": API_APP_ID,
        "bot_id": "B0DOORWAY",
        "root_view_id": view_id,
        "previous_view_id": None,
        "hash": f"{int(time.time())}.{view_id}",
        "external_id": "",
        **(view or {}),
        "callback_id": callback_id,
        "private_metadata": private_metadata,
        "state": {"values": values},
    }
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "example"},
        "user": _user(user_id, team_id),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or _trigger_id(),
        "view": submitted,
        "response_urls": response_urls or [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return interactive(payload, **options)


def shortcut_payload(
    callback_id: str,
    *,
    team_id: str,
    user_id: str,
    message: dict[str, Any] | None = None,
    channel_id: str | None = None,
    response_url: str | None = None,
    trigger_id: str | None = None,
) -> dict[str, Any]:
    """What Slack sends when a shortcut is used: a message shortcut (`message_action`, with
    the message and its channel) when `message` is given, else a global one (`shortcut`)."""
    payload: dict[str, Any] = {
        "type": "shortcut",
        "token": VERIFICATION_TOKEN,
        "action_ts": f"{time.time():.6f}",
        "team": {"id": team_id, "domain": "example"},
        "user": _user(user_id, team_id),
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id or _trigger_id(),
    }
    if message is not None:
        payload.update(
            type="message_action",
            channel={"id": channel_id, "name": "general"},
            message_ts=message.get("ts"),
            message=message,
            response_url=response_url,
        )
    return payload


def event_callback(
    event: dict[str, Any],
    *,
    team_id: str,
    event_id: str,
    bot_user_id: str = "U0DOORWAY",
    event_time: int | None = None,
    **options: Unpack[SignOptions],
) -> tuple[str, dict[str, str]]:
    """An Events API delivery wrapping `event`, as JSON."""
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "api_app_id": API_APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time or int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{event_id}",
    }
    return _signed(json.dumps(envelope), JSON, options)


def url_verification(challenge: str, **options: Unpack[SignOptions]) -> tuple[str, dict[str, str]]:
    """The handshake Slack sends when the events URL is saved."""
    body = json.dumps(
        {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
    )
    return _signed(body, JSON, options)


async def post(
    url: str, body: str, headers: dict[str, str], *, timeout: float = 10
) -> tuple[int, str]:
    """POST as Slack does; returns (status, response text)."""
    return await post_raw(url, body.encode(), headers, timeout=timeout)


async def post_raw(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float = 10
) -> tuple[int, str]:
    """POST exactly these bytes; returns (status, response text)."""
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with (
        aiohttp.ClientSession(timeout=client_timeout) as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        return response.status, await response.text()


def _user(user_id: str, team_id: str) -> dict[str, str]:
    name = user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def _trigger_id() -> str:
    return f"{int(time.time())}.1.{hashlib.sha1(str(time.time_ns()).encode()).hexdigest()[:16]}"
