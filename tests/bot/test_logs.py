"""Secrets never reach the log, whichever library writes the line."""

from __future__ import annotations

import io
import logging
import subprocess
import sys

from bot.logs import RedactSecrets


def logged(*, exc: BaseException | None = None, message: str = "", args: tuple = ()) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(["s3cret-signing-value"]))
    logger = logging.getLogger("test.redaction")
    logger.handlers[:] = [handler]
    logger.propagate = False
    if exc is not None:
        try:
            raise exc
        except BaseException:
            logger.exception(message, *args)
    else:
        logger.warning(message, *args)
    return stream.getvalue()


def test_tokens_in_messages_and_arguments_are_redacted() -> None:
    out = logged(
        message="calling with %s and %s", args=("xoxb-123-456-abcdef", "s3cret-signing-value")
    )
    assert "xoxb-123" not in out and "s3cret-signing-value" not in out
    assert out.count("[redacted]") == 2


def test_tokens_inside_a_traceback_are_redacted() -> None:
    out = logged(exc=RuntimeError("bad auth for xapp-1-A1-secretvalue"), message="failed")
    assert "Traceback" in out and "RuntimeError" in out
    assert "xapp-1-A1" not in out


def test_request_bodies_lose_their_token_and_response_url() -> None:
    body = (
        "token=legacyTOKEN123&team_id=T1&response_url=https%3A%2F%2Fhooks.slack.com"
        "%2Fcommands%2FT1%2F1%2Fsecret&text=hi"
    )
    out = logged(message="Invalid request signature detected (body: %s)", args=(body,))
    assert "legacyTOKEN123" not in out and "hooks.slack.com" not in out
    assert "team_id=T1" in out and "text=hi" in out


# Logs the way `doorway` does (bot.logs.configure), many lines at once, then exits at once.
BURST_THEN_EXIT = """
import logging
from pydantic import SecretStr
from bot import logs
from bot.settings import Settings

logs.configure(Settings(_env_file=None, slack_bot_token=SecretStr("xoxb-9-9-verysecret")))
log = logging.getLogger("doorway.test")
for i in range(2000):
    log.warning("line %d sent with xoxb-9-9-verysecret", i)
try:
    raise RuntimeError("failed for xoxb-9-9-verysecret")
except RuntimeError:
    log.exception("the last line")
"""


def test_every_line_logged_is_written_redacted_when_the_process_exits() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BURST_THEN_EXIT], capture_output=True, text=True, check=True
    )
    lines = done.stderr.splitlines()
    written = [line for line in lines if " WARNING doorway.test: line " in line]
    assert len(written) == 2000
    assert written[0].endswith("line 0 sent with [redacted]")
    assert " ERROR doorway.test: the last line" in done.stderr
    assert "RuntimeError: failed for [redacted]" in done.stderr
    assert "verysecret" not in done.stderr
