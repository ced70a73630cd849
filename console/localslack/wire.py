"""Reading a Web API request as Slack does: the token, and the arguments in any encoding."""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

# Fields Slack takes as JSON documents inside form-encoded bodies.
JSON_FIELDS = frozenset({"blocks", "attachments", "view", "metadata", "unfurls"})


def bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def basic(header: str | None) -> dict[str, str]:
    """The client id and secret of an `Authorization: Basic …` header (oauth.v2.access)."""
    if not header or not header.lower().startswith("basic "):
        return {}
    try:
        decoded = base64.b64decode(header[6:].strip()).decode()
    except (ValueError, UnicodeDecodeError):
        return {}
    client_id, _, secret = decoded.partition(":")
    return {"client_id": client_id, "client_secret": secret}


async def read_args(request: web.Request) -> dict[str, Any]:
    """Query, then a JSON or form body; JSON documents in form fields decoded."""
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = None
        if request.can_read_body:
            with contextlib.suppress(json.JSONDecodeError):
                body = await request.json()
        if isinstance(body, Mapping):
            args.update(body)
    elif request.can_read_body:
        form = await request.post()
        args.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key in JSON_FIELDS & args.keys():
        if isinstance(args[key], str):
            with contextlib.suppress(json.JSONDecodeError):
                args[key] = json.loads(args[key])
    return args
