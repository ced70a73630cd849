"""The little workspace behind LocalSlack: what each Web API method answers.

Kept apart from the HTTP server so the answers can be read (and changed) on
their own. Shapes follow Slack's documented responses, trimmed to the fields
Doorway and slack_sdk look at.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

Args = dict[str, Any]
Answer = dict[str, Any]

# Slack's own epoch for our message timestamps; the fraction grows per message.
_TS_BASE_MICROS = 1_700_000_000 * 1_000_000
_MESSAGE_FIELDS = ("text", "blocks", "attachments", "thread_ts", "metadata")


class SlackError(Exception):
    """An `ok: false` answer, as Slack gives for a refused call."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


class Workspace:
    """One team's users, channels, messages and views, answering API methods."""

    def __init__(self, *, team_id: str, team_domain: str, user_id: str, bot_id: str) -> None:
        self.team_id = team_id
        self.team_domain = team_domain
        self.user_id = user_id
        self.bot_id = bot_id
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self._counter = itertools.count(1)
        self.methods: dict[str, Callable[[Args], Answer]] = {
            "api.test": lambda args: {"args": args},
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update,
            "chat.delete": self._delete,
            "chat.getPermalink": self._permalink,
            "conversations.open": self._open,
            "conversations.info": self._info,
            "conversations.join": self._join,
            "conversations.members": self._members,
            "users.info": self._user_info,
            "views.open": self._view_open,
            "views.push": self._view_open,
            "views.update": self._view_update,
            "views.publish": self._view_publish,
            "reactions.add": self._reaction,
        }

    # -- programming the workspace -------------------------------------------------

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
        members: list[str] | None = None,
    ) -> dict[str, Any]:
        """Configure a channel for conversations.info/members."""
        channel = {"name": name or channel_id.lower(), "is_private": is_private}
        if members is not None:
            channel["members"] = list(members)
        self.channels[channel_id] = channel
        return channel

    def next_ts(self) -> str:
        micros = _TS_BASE_MICROS + next(self._counter) * 100
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    # -- chat ----------------------------------------------------------------------

    def _auth_test(self, args: Args) -> Answer:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_domain.title(),
            "user": "doorway",
            "team_id": self.team_id,
            "user_id": self.user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _message(self, args: Args, ts: str) -> dict[str, Any]:
        message = {
            "type": "message",
            "user": self.user_id,
            "bot_id": self.bot_id,
            "team": self.team_id,
            "ts": ts,
            "text": args.get("text") or "",
        }
        message.update({k: args[k] for k in _MESSAGE_FIELDS[1:] if args.get(k) is not None})
        return message

    def _target(self, args: Args) -> str:
        _require(args, "channel", error="channel_not_found")
        channel = str(args["channel"])
        if not any(args.get(k) for k in ("text", "blocks", "attachments")):
            raise SlackError("no_text")
        # Posting to a user id lands in the app's DM with them.
        return "D" + channel if channel[:1] in ("U", "W") else channel

    def _post_message(self, args: Args) -> Answer:
        channel, ts = self._target(args), self.next_ts()
        message = self._message(args, ts)
        self.messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "message": message}

    def _post_ephemeral(self, args: Args) -> Answer:
        self._target(args)
        _require(args, "user", error="user_not_in_channel")
        return {"message_ts": self.next_ts()}

    def _update(self, args: Args) -> Answer:
        _require(args, "channel", error="channel_not_found")
        _require(args, "ts", error="message_not_found")
        channel, ts = str(args["channel"]), str(args["ts"])
        message = self.messages.get((channel, ts)) or self._message({}, ts)
        message.update({k: args[k] for k in _MESSAGE_FIELDS if args.get(k) is not None})
        message["edited"] = {"user": self.user_id, "ts": self.next_ts()}
        self.messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "text": message["text"], "message": message}

    def _delete(self, args: Args) -> Answer:
        _require(args, "channel", error="channel_not_found")
        _require(args, "ts", error="message_not_found")
        self.messages.pop((str(args["channel"]), str(args["ts"])), None)
        return {"channel": args["channel"], "ts": args["ts"]}

    def _permalink(self, args: Args) -> Answer:
        _require(args, "channel", error="channel_not_found")
        _require(args, "message_ts", error="message_not_found")
        ts = str(args["message_ts"]).replace(".", "")
        link = f"https://{self.team_domain}.slack.com/archives/{args['channel']}/p{ts}"
        return {"channel": args["channel"], "permalink": link}

    def _reaction(self, args: Args) -> Answer:
        _require(args, "channel", "name", "timestamp")
        return {}

    # -- conversations and users ------------------------------------------------------

    def _open(self, args: Args) -> Answer:
        if args.get("channel"):
            return {"channel": {"id": args["channel"]}}
        _require(args, "users", error="users_list_not_supplied")
        users = [u.strip() for u in str(args["users"]).split(",") if u.strip()]
        if len(users) == 1:
            return {"channel": {"id": "D" + users[0]}, "no_op": False, "already_open": False}
        digest = hashlib.sha1(",".join(sorted(users)).encode()).hexdigest()[:8].upper()
        return {"channel": {"id": "G" + digest}}

    def _channel(self, channel_id: str) -> dict[str, Any]:
        config = self.channels.get(channel_id, {})
        is_im = channel_id.startswith("D")
        return {
            "id": channel_id,
            "name": config.get("name", channel_id.lower()),
            "is_channel": not is_im and not config.get("is_private", False),
            "is_group": False,
            "is_im": is_im,
            "is_private": bool(config.get("is_private", is_im)),
            "is_archived": False,
            "is_member": True,
            "context_team_id": self.team_id,
            "created": 1_600_000_000,
        }

    def _info(self, args: Args) -> Answer:
        _require(args, "channel", error="channel_not_found")
        return {"channel": self._channel(str(args["channel"]))}

    def _join(self, args: Args) -> Answer:
        _require(args, "channel", error="channel_not_found")
        return {"channel": self._channel(str(args["channel"]))}

    def _members(self, args: Args) -> Answer:
        _require(args, "channel", error="channel_not_found")
        config = self.channels.get(str(args["channel"]), {})
        members = config.get("members")
        if members is None:
            members = [
                uid for uid, u in self.users.items() if not u.get("is_bot") and not u.get("deleted")
            ]
        return {"members": list(members), "response_metadata": {"next_cursor": ""}}

    def _user_info(self, args: Args) -> Answer:
        user = self.users.get(str(args.get("user", "")))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": dict(user)}

    # -- views --------------------------------------------------------------------

    def _store_view(self, view: Any, view_id: str | None = None, **extra: Any) -> Answer:
        if not isinstance(view, dict) or "type" not in view:
            raise SlackError("invalid_arguments")
        view_id = view_id or f"V{next(self._counter):08d}"
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            "app_id": "A0DOORWAY",
            "bot_id": self.bot_id,
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "state": {"values": {}},
            "root_view_id": view_id,
            "previous_view_id": None,
            **view,
            **extra,
            "hash": f"{next(self._counter)}.{view_id}",
        }
        self.views[view_id] = stored
        return {"view": stored}

    def _view_open(self, args: Args) -> Answer:
        _require(args, "trigger_id", "view", error="invalid_arguments")
        return self._store_view(args["view"])

    def _view_update(self, args: Args) -> Answer:
        _require(args, "view", error="invalid_arguments")
        view_id = args.get("view_id")
        if not view_id and args.get("external_id"):
            view_id = next(
                (v["id"] for v in self.views.values() if v["external_id"] == args["external_id"]),
                None,
            )
        if not view_id:
            raise SlackError("not_found")
        old = self.views.get(str(view_id))
        if old and args.get("hash") and args["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        return self._store_view(args["view"], str(view_id))

    def _view_publish(self, args: Args) -> Answer:
        _require(args, "user_id", "view", error="invalid_arguments")
        view = args["view"]
        existing = next(
            (
                v
                for v in self.views.values()
                if v.get("type") == "home" and v.get("user_id") == args["user_id"]
            ),
            None,
        )
        view_id = existing["id"] if existing else None
        return self._store_view(view, view_id, user_id=args["user_id"])


def _require(args: Args, *names: str, error: str = "invalid_arguments") -> None:
    for name in names:
        if args.get(name) in (None, ""):
            raise SlackError(error)
