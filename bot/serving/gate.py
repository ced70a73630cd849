"""The gate every HTTP request to `/slack/events` passes before Bolt sees it.

Bolt's aiohttp adapter decodes and parses a body before its own middleware checks the
signature, so a body it can't read (not UTF-8, a `payload` that isn't a JSON object, a
truncated event, a timestamp that isn't a number) raises inside the adapter, and aiohttp
answers 500 with a traceback in the log, to anyone. Here, in order:

1. the signature is verified on the exact bytes received, with slack_sdk's
   `SignatureVerifier` (the one Bolt itself uses); what can't be verified is 401;
2. the body must parse the way Slack sends it: a form (a `payload` in it being a JSON
   object), or a JSON object for the Events API, with the fields Bolt reads as it
   dispatches there and of Slack's types (a `view_submission` with a `view.type`, a
   `block_actions` whose action has an `action_id` …); anything else is 400;
3. Bolt's request is built here, so a signed body whose fields Bolt can't read is a 400
   too, not a 500.

Bolt verifies the signature again (defence in depth). Refusals are one log line each.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger("doorway.gate")

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass(frozen=True)
class Refused:
    """Why a request was turned away: the status and one short line for the caller."""

    status: int
    reason: str


UNSIGNED = "missing X-Slack-Request-Timestamp or X-Slack-Signature"


def admit(
    body: bytes, headers: Mapping[str, str], *, query: str, verifier: SignatureVerifier | None
) -> AsyncBoltRequest | Refused:
    """Bolt's request for a genuine, readable Slack request; otherwise why not."""
    verdict = _verified(body, headers, verifier)
    if isinstance(verdict, Refused):
        return _refuse(verdict)
    text = verdict
    parsed = _read(text, _content_type(headers))
    if isinstance(parsed, str):
        return _refuse(Refused(400, parsed))
    # Bolt's request gets the fields parsed here rather than parsing the text again (the
    # parse is a good part of an ack's cost), and the text itself for its own signature
    # check. Parsing it again would also differ: Bolt takes any form containing the word
    # "payload" for an interactive payload, so `/door Shrink the payload` reached it as an
    # empty body (and a 404).
    request = AsyncBoltRequest(body="", query=query, headers=dict(headers))
    request.raw_body, request.body = text, parsed
    try:
        request.context = build_async_context(AsyncBoltContext({}), parsed)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        # Bolt reads ids out of the payload into the context (team, user, channel…); a
        # field of an unexpected type lands here.
        return _refuse(
            Refused(400, f"Slack request fields are not as Slack sends them ({type(exc).__name__})")
        )
    return request


def _verified(
    body: bytes, headers: Mapping[str, str], verifier: SignatureVerifier | None
) -> str | Refused:
    """The body as text if its signature is Slack's, else a 401."""
    if verifier is None:
        return Refused(401, "this server has no SLACK_SIGNING_SECRET to verify requests with")
    timestamp = _header(headers, "X-Slack-Request-Timestamp")
    signature = _header(headers, "X-Slack-Signature")
    if not timestamp or not signature:
        if _is_ssl_check(body):
            # Slack's certificate check may come unsigned; Bolt answers it with an empty 200
            # and it reaches no listener.
            return body.decode("ascii")
        return Refused(401, UNSIGNED)
    # Seconds since 1970; a longer number would overflow the verifier's float arithmetic.
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return Refused(401, "X-Slack-Request-Timestamp is not a number of seconds")
    if not signature.isascii():  # hmac.compare_digest raises on anything else
        return Refused(401, "X-Slack-Signature is not Slack's")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        # Slack signs UTF-8 text; bytes that aren't can't carry a signature it made.
        return Refused(401, "the body is not UTF-8, so it can't carry Slack's signature")
    if not verifier.is_valid(body=text, timestamp=timestamp, signature=signature):
        return Refused(401, "the signature is not Slack's, or the request is too old")
    return text


# What Slack sends as JSON: Events API deliveries only (slash commands and interactions
# come as forms), so a JSON body shaped like a command never reaches a command's listener.
EVENTS_API_TYPES = frozenset({"url_verification", "event_callback", "app_rate_limited"})


def _read(text: str, content_type: str | None) -> dict[str, Any] | str:
    """The body as Slack sends it, by its Content-Type; or what keeps it from being read."""
    if content_type == JSON:
        parsed = _object(text, "the JSON body")
        if isinstance(parsed, dict) and parsed.get("type") not in EVENTS_API_TYPES:
            return (
                "a JSON body is an Events API delivery (type url_verification, "
                f"event_callback or app_rate_limited); commands and clicks come as {FORM}"
            )
        return parsed
    if content_type != FORM:
        return f"Content-Type must be {FORM} or {JSON}"
    if text.lstrip().startswith(("{", "[")):
        return f"the body is JSON but was sent as {FORM}"
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in fields:
        return _object(fields["payload"], "the payload field")
    return fields


def _object(text: str, what: str) -> dict[str, Any] | str:
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        return f"{what} is not valid JSON"
    except RecursionError:  # nested deeper than the parser goes
        return f"{what} is nested too deeply"
    if not isinstance(parsed, dict):
        return f"{what} is JSON but not an object"
    problem = _misshapen(parsed)
    return parsed if problem is None else problem


# The fields Bolt reads while it matches a request to a listener, before any of ours runs,
# with the shape Slack gives them. A signed body where one has another shape would fail
# inside Bolt's matching (a 500); nothing Slack sends is refused by this.
_TEXT = (
    "type",
    "callback_id",
    "action_id",
    "command",
    "trigger_id",
    "response_url",
    "team_id",
    "api_app_id",
    "token",
)
_OBJECTS = (
    "event",
    "team",
    "user",
    "channel",
    "view",
    "enterprise",
    "container",
    "message",
    "function_data",
    "workflow_step",
)
_LISTS_OF_OBJECTS = ("actions", "authorizations", "response_urls")
_EVENT_OBJECTS = (
    "item",
    "message",
    "previous_message",
    "function",
    "inputs",  # a workflow step's (function_executed): Bolt hands it to the step as a dict
    "assistant_thread",
    "workflow_step",
)

# By the payload's type, what Bolt indexes without looking while it picks a listener and
# builds its arguments (slack_bolt/request/payload_utils.py: `to_action` takes
# `actions[0]`, `to_step` reads `view.type`, the matchers read `callback_id`, `action_id`,
# `event.type`). Slack always sends them; a payload without one would fail inside Bolt.
_DISPATCHED_ON: dict[str, tuple[tuple[str, type], ...]] = {
    "event_callback": (("event", dict), ("event.type", str)),
    "block_actions": (("actions.0.action_id", str),),
    "interactive_message": (("callback_id", str), ("actions.0", dict)),
    "block_suggestion": (("action_id", str),),
    "shortcut": (("callback_id", str),),
    "message_action": (("callback_id", str),),
    "view_submission": (("view.callback_id", str), ("view.type", str)),
    "view_closed": (("view.callback_id", str), ("view.type", str)),
    "workflow_step_edit": (("callback_id", str), ("workflow_step", dict)),
    "dialog_submission": (("callback_id", str),),
    "dialog_cancellation": (("callback_id", str),),
    "dialog_suggestion": (("callback_id", str),),
}
# A workflow step's configuration modal, when saved, is read for its `workflow_step` too.
_STEP_SAVE = (("workflow_step", dict),)
_KINDS: dict[type, str] = {dict: "an object", str: "text"}


def _misshapen(body: dict[str, Any]) -> str | None:
    """Which field Bolt reads has a shape Slack never sends; None when all is well."""
    for name in _TEXT:
        if body.get(name) is not None and not isinstance(body[name], str):
            return f"the field {name!r} is not text"
    for name in _OBJECTS:
        if body.get(name) is not None and not isinstance(body[name], dict):
            return f"the field {name!r} is not an object"
    for name in _LISTS_OF_OBJECTS:
        value = body.get(name)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, dict) for v in value)
        ):
            return f"the field {name!r} is not a list of objects"
    if body.get("actions") == []:
        return "the field 'actions' is empty"
    event, view = body.get("event"), body.get("view")
    if event is not None:
        if not isinstance(event.get("type"), str):
            return "the event has no type"
        for name in _EVENT_OBJECTS:
            if event.get(name) is not None and not isinstance(event[name], dict):
                return f"the event's {name!r} is not an object"
    if view is not None:
        if view.get("callback_id") is not None and not isinstance(view["callback_id"], str):
            return "the view's callback_id is not text"
        state = view.get("state")
        if state is not None and not (
            isinstance(state, dict) and isinstance(state.get("values", {}), dict)
        ):
            return "the view's state is not an object of values"
    for name in ("actions", "authorizations", "response_urls"):
        for item in body.get(name) or []:
            if (problem := _misshapen_item(item)) is not None:
                return f"an item of {name!r}: {problem}"
    return _incomplete(body)


def _incomplete(body: dict[str, Any]) -> str | None:
    """Which field Bolt dispatches this type of payload on is missing; None when none is."""
    kind = body.get("type")
    required = _DISPATCHED_ON.get(kind, ()) if isinstance(kind, str) else ()
    if kind == "view_submission" and _at(body, "view.type") == "workflow_step":
        required += _STEP_SAVE
    for path, expected in required:
        if not isinstance(_at(body, path), expected):
            return f"the {kind} payload needs {path!r} as {_KINDS[expected]}"
    return None


def _at(body: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (`actions.0.action_id`), or None where there is none."""
    node: Any = body
    for step in path.split("."):
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node):
            node = node[int(step)]
        else:
            return None
    return node


def _misshapen_item(item: dict[str, Any]) -> str | None:
    for name in ("action_id", "block_id", "team_id", "enterprise_id", "response_url"):
        if item.get(name) is not None and not isinstance(item[name], str):
            return f"{name!r} is not text"
    return None


def _is_ssl_check(body: bytes) -> bool:
    try:
        fields = dict(parse_qsl(body.decode("ascii"), keep_blank_values=True))
    except UnicodeDecodeError:
        return False
    return fields.get("ssl_check") == "1" and "payload" not in fields and "command" not in fields


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
    return value


def _content_type(headers: Mapping[str, str]) -> str | None:
    value = _header(headers, "Content-Type")
    return value.split(";", 1)[0].strip().lower() if value else None


def _refuse(refused: Refused) -> Refused:
    log.warning("refused a request to /slack/events (%s): %s", refused.status, refused.reason)
    return refused
