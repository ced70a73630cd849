"""Malformed or unsigned requests to /slack/events: a 4xx, one log line, no traceback, and
the bot goes on serving."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from urllib.parse import urlencode, urlsplit

import pytest

from tests import signing
from tests.driver import BotDriver

FORM, JSON = signing.FORM, signing.JSON


def _form(payload: str) -> bytes:
    return urlencode({"payload": payload}).encode()


_EVENT = json.dumps(
    {
        "type": "event_callback",
        "team_id": "T0DOORWAY",
        "event_id": "Ev1",
        "event": {"type": "reaction_added", "reaction": "chair"},
    }
)

_WHO = {"team": {"id": "T0DOORWAY"}, "user": {"id": "U0ALICE", "team_id": "T0DOORWAY"}}


def _interactive(**payload: object) -> bytes:
    return _form(json.dumps({**_WHO, **payload}))


# Signed payloads of a type Bolt dispatches on, lacking a field it indexes while doing so.
NO_CHANGES: dict[str, str] = {}
INCOMPLETE: list[tuple[str, bytes, str, dict[str, str], int]] = [
    (what, body, FORM, NO_CHANGES, 400)
    for what, body in (
        ("a view_submission without a view", _interactive(type="view_submission")),
        (
            "a view_submission whose view has no type",
            _interactive(type="view_submission", view={"callback_id": "door_modal"}),
        ),
        (
            "a workflow step saved without its workflow_step",
            _interactive(
                type="view_submission", view={"callback_id": "step", "type": "workflow_step"}
            ),
        ),
        ("a workflow_step_edit without a callback_id", _interactive(type="workflow_step_edit")),
        (
            "a workflow_step_edit without its workflow_step",
            _interactive(type="workflow_step_edit", callback_id="step"),
        ),
        (
            "a block_actions whose action has no action_id",
            _interactive(type="block_actions", actions=[{"type": "button", "value": "1"}]),
        ),
        ("a block_actions without actions", _interactive(type="block_actions")),
        ("a block_actions whose actions are text", _interactive(type="block_actions", actions="x")),
        ("a shortcut without a callback_id", _interactive(type="shortcut")),
        ("a message shortcut without a callback_id", _interactive(type="message_action")),
        (
            "an attachment action without actions",
            _interactive(type="interactive_message", callback_id="legacy"),
        ),
        ("an options request without an action_id", _interactive(type="block_suggestion")),
    )
] + [
    (
        what,
        json.dumps({"type": "event_callback", "team_id": "T0DOORWAY", **envelope}).encode(),
        JSON,
        NO_CHANGES,
        400,
    )
    for what, envelope in (
        ("an event_callback without an event", {}),
        ("an event_callback whose event is text", {"event": "app_home_opened"}),
        ("an event_callback whose event is a list", {"event": [{"type": "app_home_opened"}]}),
    )
]

# (what, body, content type, extra/changed headers, expected status)
MALFORMED: list[tuple[str, bytes, str, dict[str, str], int]] = INCOMPLETE + [
    ("invalid UTF-8", b"command=%2Fdoor&text=\xff\xfe\xfa", FORM, {}, 401),
    ("payload that isn't JSON", _form("{not json"), FORM, {}, 400),
    ("payload that is a JSON array", _form("[1, 2]"), FORM, {}, 400),
    ("payload that is a JSON string", _form('"block_actions"'), FORM, {}, 400),
    ("payload that is JSON null", _form("null"), FORM, {}, 400),
    ("truncated JSON event", _EVENT[: len(_EVENT) // 2].encode(), JSON, {}, 400),
    ("JSON event that is an array", b'[{"type": "event_callback"}]', JSON, {}, 400),
    ("JSON nested deeper than the parser goes", b"[" * 100000 + b"]" * 100000, JSON, {}, 400),
    ("form body sent as JSON", b"command=%2Fdoor&text=hi&user_id=U1", JSON, {}, 400),
    ("JSON sent as a form", _EVENT.encode(), FORM, {}, 400),
    (
        "a slash command sent as JSON",
        json.dumps({"command": "/door", "text": "hi", "team_id": "T1", "user_id": "U1"}).encode(),
        JSON,
        {},
        400,
    ),
    (
        "a click sent as JSON",
        json.dumps({"type": "block_actions", "team": {"id": "T1"}, "actions": []}).encode(),
        JSON,
        {},
        400,
    ),
    ("plain-text body", b"hello", "text/plain", {}, 400),
    (
        "fields of the wrong type",
        json.dumps({"type": "event_callback", "team": "T1", "event": "reaction_added"}).encode(),
        JSON,
        {},
        400,
    ),
    ("non-numeric timestamp", b"command=%2Fdoor", FORM, {"X-Slack-Request-Timestamp": "soon"}, 401),
    ("negative timestamp", b"command=%2Fdoor", FORM, {"X-Slack-Request-Timestamp": "-1"}, 401),
    ("huge timestamp", b"command=%2Fdoor", FORM, {"X-Slack-Request-Timestamp": "9" * 400}, 401),
    ("no timestamp", b"command=%2Fdoor", FORM, {"X-Slack-Request-Timestamp": ""}, 401),
    ("no signature", b"command=%2Fdoor", FORM, {"X-Slack-Signature": ""}, 401),
    ("a wrong signature", b"command=%2Fdoor", FORM, {"X-Slack-Signature": "v0=" + "0" * 64}, 401),
    (
        "a signature that isn't hex",
        b"command=%2Fdoor",
        FORM,
        {"X-Slack-Signature": "v0=\u00e9"},
        401,
    ),
    (
        "a stale timestamp",
        b"command=%2Fdoor",
        FORM,
        {"X-Slack-Request-Timestamp": str(int(time.time()) - 600)},
        401,
    ),
]


def _headers(body: bytes, content_type: str, changes: dict[str, str]) -> dict[str, str]:
    stamp = changes.get("X-Slack-Request-Timestamp")
    headers = signing.sign_raw(body, timestamp=stamp if stamp else None, content_type=content_type)
    for name, value in changes.items():
        if value:
            headers[name] = value
        else:
            headers.pop(name, None)
    return headers


def capture(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    # Bolt's app logger is called "doorway" too, and takes the root's level of the moment
    # the app was built: set the parent of Doorway's loggers explicitly.
    caplog.set_level(logging.INFO, logger="doorway")


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    tracebacks = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert not tracebacks, [r.getMessage() for r in tracebacks]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [
        r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR
    ]


async def assert_still_serving(bot: BotDriver) -> None:
    status, _, name = await bot.command("/door", "Try a blue button for a week")
    assert status == 200
    assert "Two-way door" in json.dumps((await bot.response(name)).args)


@pytest.mark.parametrize(
    ("what", "body", "content_type", "changes", "expected"),
    MALFORMED,
    ids=[m[0] for m in MALFORMED],
)
async def test_a_malformed_request_gets_a_4xx_without_a_traceback(
    bot: BotDriver,
    caplog: pytest.LogCaptureFixture,
    what: str,
    body: bytes,
    content_type: str,
    changes: dict[str, str],
    expected: int,
) -> None:
    capture(caplog)
    status, answer = await signing.post_raw(
        bot.events_url, body, _headers(body, content_type, changes)
    )

    assert status == expected, (what, answer)
    assert answer.startswith("Doorway: ") and len(answer) < 200
    assert_no_traceback(caplog)
    refusals = [r for r in caplog.records if r.name == "doorway.gate"]
    assert len(refusals) == 1 and str(expected) in refusals[0].getMessage()
    await assert_still_serving(bot)


async def test_an_unsigned_malformed_body_is_refused_as_unsigned_first(
    bot: BotDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """Whoever can't sign learns nothing about how the body would have been read."""
    capture(caplog)
    body = _form("[1, 2]")
    headers = signing.sign_raw(body, secret="not-the-secret")
    status, answer = await signing.post_raw(bot.events_url, body, headers)
    assert status == 401 and "signature" in answer
    assert_no_traceback(caplog)


async def test_every_truncation_of_a_signed_submission_is_answered_without_a_5xx(
    bot: BotDriver, caplog: pytest.LogCaptureFixture
) -> None:
    """Cut a real view_submission (and a real event) at many points, re-signed each time: a
    form that still parses reaches Bolt, anything else is a 400; nothing is a 5xx."""
    capture(caplog)
    submission, _ = signing.view_submission(
        "door_modal",
        {"decision": {"decision": {"type": "plain_text_input", "value": "Ship"}}},
        team_id="T0DOORWAY",
        user_id="U0ALICE",
        private_metadata="C0GENERAL",
    )
    event, _ = signing.event_callback(
        {"type": "reaction_added", "reaction": "thumbsup"}, team_id="T0DOORWAY", event_id="Ev0CUT"
    )
    statuses = set()
    for body, content_type in ((submission.encode(), FORM), (event.encode(), JSON)):
        for cut in range(0, len(body), max(1, len(body) // 40)):
            piece = body[:cut]
            status, _ = await signing.post_raw(
                bot.events_url, piece, signing.sign_raw(piece, content_type=content_type)
            )
            assert status < 500, piece
            statuses.add(status)
    await bot.settled()
    assert 400 in statuses
    assert_no_traceback(caplog)
    await assert_still_serving(bot)


async def test_slacks_ssl_check_is_answered_without_a_signature(bot: BotDriver) -> None:
    body = b"ssl_check=1&token=legacy-verification-token"
    status, _ = await signing.post_raw(bot.events_url, body, {"Content-Type": FORM})
    assert status == 200
    status, _ = await signing.post_raw(
        bot.events_url, b"ssl_check=1&command=%2Fdoor", {"Content-Type": FORM}
    )
    assert status == 401


async def test_a_command_mentioning_payload_reaches_its_listener(bot: BotDriver) -> None:
    """Bolt alone takes any form containing "payload" for an interactive one (a 404)."""
    status, _, name = await bot.command("/door", "Shrink the payload of the events API")
    assert status == 200
    assert "payload of the events API" in json.dumps((await bot.response(name)).args)


BAD_HTTP = {
    "a Content-Length that isn't a number": b"POST /slack/events HTTP/1.1\r\nHost: doorway\r\n"
    b"Content-Length: abc\r\n\r\n",
    "a negative Content-Length": b"POST /slack/events HTTP/1.1\r\nHost: doorway\r\n"
    b"Content-Length: -5\r\n\r\n",
    "a header without a colon": b"GET /healthz HTTP/1.1\r\nHost: doorway\r\nBad Header\r\n\r\n",
    "a NUL in the request line": b"GET /\x00 HTTP/1.1\r\nHost: doorway\r\n\r\n",
}


@pytest.mark.parametrize("raw", BAD_HTTP.values(), ids=BAD_HTTP.keys())
async def test_http_that_does_not_parse_is_a_400_in_one_log_line(
    bot: BotDriver, caplog: pytest.LogCaptureFixture, raw: bytes
) -> None:
    capture(caplog)
    address = urlsplit(bot.url)
    assert address.hostname is not None and address.port is not None
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    writer.write(raw)
    await writer.drain()
    answer = await reader.read()  # aiohttp closes the connection after the error
    writer.close()
    await writer.wait_closed()

    assert answer.split(b"\r\n", 1)[0].endswith(b" 400 Bad Request"), answer[:80]
    assert_no_traceback(caplog)
    [line] = [r for r in caplog.records if r.name == "aiohttp.server"]
    assert line.levelno == logging.WARNING and "answered 400" in line.getMessage()
    assert "\n" not in line.getMessage()
    await assert_still_serving(bot)
