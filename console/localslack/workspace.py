"""The little workspace behind LocalSlack: its users, channels, messages and views.

What each Web API method answers is in `methods.py`; this holds the state they read and
change, and how a test or the console sets it up. Shapes follow Slack's documented
responses, trimmed to the fields Doorway and slack_sdk look at.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

Args = dict[str, Any]
Answer = dict[str, Any]

# Slack's own epoch for our message timestamps; the fraction grows per message.
_TS_BASE_MICROS = 1_700_000_000 * 1_000_000
MESSAGE_FIELDS = ("text", "blocks", "attachments", "thread_ts", "metadata")


class SlackError(Exception):
    """An `ok: false` answer, as Slack gives for a refused call."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


class Workspace:
    """One team's users, channels, messages and views.

    `first_ts` numbers the first message: the console starts it from the real time, as
    Slack's timestamps do, so a database kept between sessions never sees one twice.
    """

    def __init__(
        self, *, team_id: str, team_domain: str, user_id: str, bot_id: str, first_ts: int = 1
    ) -> None:
        self.team_id = team_id
        self.team_domain = team_domain
        self.user_id = user_id
        self.bot_id = bot_id
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        # Canvases written, by id; a workspace whose plan or admins don't allow them says so.
        self.canvases = True
        self.canvas_docs: dict[str, dict[str, Any]] = {}
        # How each workflow step run ended, by function_execution_id: its outputs or error.
        self.step_results: dict[str, dict[str, Any]] = {}
        self._counter = itertools.count(max(1, first_ts))

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        tz: str = "America/New_York",
        tz_offset: int | None = None,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> dict[str, Any]:
        """Add (or replace) a user as users.info will describe them."""
        name = name or user_id.lower()
        real_name = real_name or name.title()
        now = datetime.now(ZoneInfo(tz))
        if tz_offset is None:
            offset = now.utcoffset()
            tz_offset = int(offset.total_seconds()) if offset else 0
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real_name,
            "deleted": deleted,
            "is_bot": is_bot,
            "is_app_user": False,
            "tz": tz,
            "tz_label": now.tzname() or tz,
            "tz_offset": tz_offset,
            "profile": {"real_name": real_name, "display_name": name, "team": self.team_id},
        }
        self.users[user_id] = user
        return user

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_private: bool = False,
        is_member: bool = True,
        members: list[str] | None = None,
    ) -> dict[str, Any]:
        """Configure a channel for conversations.info and .members: `is_member` whether
        Doorway is in it, `members` who else is (everyone in `users` by default)."""
        channel: dict[str, Any] = {
            "name": name or channel_id.lower(),
            "is_private": is_private,
            "is_member": is_member,
        }
        if members is not None:
            channel["members"] = list(members)
        self.channels[channel_id] = channel
        return channel

    def can_post(self, channel: str) -> bool:
        """Whether Doorway may post in `channel`: it is in it, or (chat:write.public) the
        channel is public."""
        config = self.channels.get(channel)
        if config is None or config.get("is_member", True):
            return True
        return not config.get("is_private", False)

    def next_number(self) -> int:
        """Message timestamps, view ids and hashes all count from one sequence."""
        return next(self._counter)

    def next_ts(self) -> str:
        micros = _TS_BASE_MICROS + self.next_number() * 100
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def message(self, args: Args, ts: str) -> dict[str, Any]:
        """A message the bot posts, as history and message events show it."""
        message = {
            "type": "message",
            "user": self.user_id,
            "bot_id": self.bot_id,
            "team": self.team_id,
            "ts": ts,
            "text": args.get("text") or "",
        }
        message.update({k: args[k] for k in MESSAGE_FIELDS[1:] if args.get(k) is not None})
        return message

    def post(self, channel: str, args: Args) -> dict[str, Any]:
        """Store a new message in `channel`; it is what the channel now shows."""
        ts = self.next_ts()
        self.messages[(channel, ts)] = self.message(args, ts)
        return self.messages[(channel, ts)]
