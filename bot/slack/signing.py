"""Requests signed the way Slack signs them, for everything that plays Slack's part.

The console, the tests and the benchmarks all send the bot requests as Slack would; the
signature comes from slack_sdk's own `SignatureVerifier`, the code Bolt checks it with, so
what they send and what the bot accepts cannot drift apart.
"""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


class _Signer(SignatureVerifier):
    """slack_sdk's signing, for any secret: it refuses an empty one, which tests forge with to
    check that an app with no secret takes no request signed with none."""

    def __init__(self, secret: str) -> None:
        self._secret = secret

    @property
    def signing_secret(self) -> str:
        return self._secret

    @signing_secret.setter
    def signing_secret(self, value: str) -> None:
        self._secret = value


def signed_headers(
    body: str | bytes,
    secret: str,
    *,
    timestamp: int | str | None = None,
    content_type: str = FORM,
) -> dict[str, str]:
    """The headers Slack sends with `body`: the v0 signature over `v0:<timestamp>:<body>`.

    Bytes that aren't UTF-8 are signed as their replacement-decoded text: Slack signs UTF-8
    text only, so no verifier takes such a body, which is what a test sending one wants.
    """
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    text = body if isinstance(body, str) else body.decode("utf-8", "replace")
    signature = _Signer(secret).generate_signature(timestamp=stamp, body=text)
    assert signature is not None  # None only for a missing timestamp
    return {
        "Content-Type": content_type,
        "User-Agent": USER_AGENT,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
