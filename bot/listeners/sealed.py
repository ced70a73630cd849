"""Where a form came from, sealed into its private_metadata so a submission can trust it.

A modal's private_metadata comes back from the person's Slack client, not from Slack's
servers: a doctored client can send any text there. What a shortcut's payload said (the
message's channel and ts, which Slack sent us signed) is sealed with an HMAC bound to the
workspace and the person it was opened for; on submit `unseal` gives it back only for the
same workspace and person, unchanged, and not older than a day. Anything else is None.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from bot.services import Services

MAX_AGE_SECONDS = 24 * 60 * 60  # a form left open overnight still submits
SEAL = "sealed"
# The kind of origin a command's own form seals (/door's, /commit's): the channel it was
# typed in; a shortcut's forms seal their own kinds (the message, or anywhere).
FORM = "form"
_FALLBACK_KEY = secrets.token_bytes(32)  # no secret configured at all: this process only


def _key(services: Services) -> bytes:
    settings = services.settings
    for secret in (
        settings.slack_signing_secret,
        settings.slack_app_token,
        settings.slack_bot_token,
    ):
        if secret is not None and secret.get_secret_value():
            raw = secret.get_secret_value().encode()
            return hashlib.sha256(b"doorway form origin\0" + raw).digest()
    return _FALLBACK_KEY


def _mac(services: Services, body: str) -> str:
    return hmac.new(_key(services), body.encode(), hashlib.sha256).hexdigest()


def seal(services: Services, *, team_id: str, user_id: str, origin: dict[str, str]) -> str:
    """`origin` as private_metadata only `unseal` with the same team and user reads back."""
    at = int(services.clock.now().timestamp())
    body = json.dumps(
        {"origin": origin, "team": team_id, "user": user_id, "at": at},
        separators=(",", ":"),
        sort_keys=True,
    )
    return json.dumps({SEAL: body, "mac": _mac(services, body)}, separators=(",", ":"))


def is_sealed(metadata: str) -> bool:
    """Whether `metadata` claims to be sealed (then only `unseal` may read it)."""
    return metadata.startswith("{") and f'"{SEAL}"' in metadata


def unseal(
    services: Services, metadata: str, *, team_id: str, user_id: str
) -> dict[str, str] | None:
    """The origin sealed in `metadata`, if it was sealed here for this team and person."""
    try:
        outer: Any = json.loads(metadata)
    except ValueError:
        return None
    if not isinstance(outer, dict):
        return None
    body, mac = outer.get(SEAL), outer.get("mac")
    if not isinstance(body, str) or not isinstance(mac, str):
        return None
    if not hmac.compare_digest(_mac(services, body), mac):
        return None
    inner = json.loads(body)  # ours: the MAC matched
    age = services.clock.now().timestamp() - inner["at"]
    if inner["team"] != team_id or inner["user"] != user_id or not 0 <= age <= MAX_AGE_SECONDS:
        return None
    origin = inner["origin"]
    return {str(k): str(v) for k, v in origin.items()}


def seal_form(
    services: Services, *, team_id: str, user_id: str, channel_id: str, **extra: str
) -> str:
    """A command's form's metadata: the channel Slack named (and what else the room keeps),
    sealed for this person, since the form comes back from their client."""
    origin = {**extra, "kind": FORM, "channel": channel_id}
    return seal(services, team_id=team_id, user_id=user_id, origin=origin)


def form_origin(
    services: Services, metadata: str, *, team_id: str, user_id: str
) -> dict[str, str] | None:
    """What `seal_form` sealed (its `channel` set), if `metadata` is a command's form sealed
    here for this team and person; None for anything else (a shortcut's, or untrusted)."""
    if not is_sealed(metadata):
        return None
    origin = unseal(services, metadata, team_id=team_id, user_id=user_id)
    return origin if is_form(origin) else None


def is_form(origin: dict[str, str] | None) -> bool:
    """Whether an unsealed origin is a command's form's (see `seal_form`)."""
    return origin is not None and origin.get("kind") == FORM and bool(origin.get("channel"))
