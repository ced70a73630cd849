"""The Web API methods Doorway calls, and nothing else, as Slack answers them.

A test (tests/console/test_localslack_methods.py) reads every call the platform and the
rooms make and checks this table holds exactly those. It is read-only: nothing adds a
method at run time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from console.localslack.workspace import MESSAGE_FIELDS, Answer, Args, SlackError, Workspace

Method = Callable[[Workspace, Args], Answer]

# -- chat ------------------------------------------------------------------------------


def auth_test(ws: Workspace, args: Args) -> Answer:
    return {
        "url": f"https://{ws.team_domain}.slack.com/",
        "team": ws.team_domain.title(),
        "user": "doorway",
        "team_id": ws.team_id,
        "user_id": ws.user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def _target(args: Args) -> str:
    require(args, "channel", error="channel_not_found")
    channel = str(args["channel"])
    if not any(args.get(k) for k in ("text", "blocks", "attachments")):
        raise SlackError("no_text")
    # Posting to a user id lands in the app's DM with them.
    return "D" + channel if channel[:1] in ("U", "W") else channel


def post_message(ws: Workspace, args: Args) -> Answer:
    channel = _target(args)
    if not ws.can_post(channel):
        raise SlackError("not_in_channel")
    message = ws.post(channel, args)
    return {"channel": channel, "ts": message["ts"], "message": message}


def post_ephemeral(ws: Workspace, args: Args) -> Answer:
    if not ws.can_post(_target(args)):
        raise SlackError("not_in_channel")
    require(args, "user", error="user_not_in_channel")
    return {"message_ts": ws.next_ts()}


def update(ws: Workspace, args: Args) -> Answer:
    require(args, "channel", error="channel_not_found")
    require(args, "ts", error="message_not_found")
    channel, ts = str(args["channel"]), str(args["ts"])
    message = ws.messages.get((channel, ts)) or ws.message({}, ts)
    message.update({k: args[k] for k in MESSAGE_FIELDS if args.get(k) is not None})
    message["edited"] = {"user": ws.user_id, "ts": ws.next_ts()}
    ws.messages[(channel, ts)] = message
    return {"channel": channel, "ts": ts, "text": message["text"], "message": message}


def permalink(ws: Workspace, args: Args) -> Answer:
    require(args, "channel", error="channel_not_found")
    require(args, "message_ts", error="message_not_found")
    ts = str(args["message_ts"]).replace(".", "")
    link = f"https://{ws.team_domain}.slack.com/archives/{args['channel']}/p{ts}"
    return {"channel": args["channel"], "permalink": link}


# -- conversations and users --------------------------------------------------------------


def open_conversation(ws: Workspace, args: Args) -> Answer:
    if args.get("channel"):
        return {"channel": {"id": args["channel"]}}
    require(args, "users", error="users_list_not_supplied")
    users = [u.strip() for u in str(args["users"]).split(",") if u.strip()]
    if len(users) == 1:
        return {"channel": {"id": "D" + users[0]}, "no_op": False, "already_open": False}
    digest = hashlib.sha1(",".join(sorted(users)).encode()).hexdigest()[:8].upper()
    return {"channel": {"id": "G" + digest}}


def info(ws: Workspace, args: Args) -> Answer:
    require(args, "channel", error="channel_not_found")
    channel_id = str(args["channel"])
    config = ws.channels.get(channel_id, {})
    is_im = channel_id.startswith("D")
    channel = {
        "id": channel_id,
        "name": config.get("name", channel_id.lower()),
        "is_channel": not is_im and not config.get("is_private", False),
        "is_group": False,
        "is_im": is_im,
        "is_private": bool(config.get("is_private", is_im)),
        "is_archived": False,
        "is_member": bool(config.get("is_member", True)),
        "context_team_id": ws.team_id,
        "created": 1_600_000_000,
    }
    return {"channel": channel}


def members(ws: Workspace, args: Args) -> Answer:
    """A channel's members, a page at a time (`limit`, `cursor`: an offset here): everyone
    in `users` unless the channel's `members` says who, plus Doorway if it is in it. A
    private channel Doorway is not in is one it can't see."""
    require(args, "channel", error="channel_not_found")
    config = ws.channels.get(str(args["channel"]), {})
    if config.get("is_private") and not config.get("is_member", True):
        raise SlackError("channel_not_found")
    everyone = config.get("members")
    found = list(ws.users) if everyone is None else list(everyone)
    if config.get("is_member", True) and ws.user_id not in found:
        found.append(ws.user_id)
    start, limit = int(args.get("cursor") or 0), int(args.get("limit") or 100)
    more = start + limit < len(found)
    return {
        "members": found[start : start + limit],
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


def history(ws: Workspace, args: Args) -> Answer:
    """The channel's messages, newest first, between `oldest` and `latest` (exclusive
    unless `inclusive`); thread replies are not in a channel's history."""
    require(args, "channel", error="channel_not_found")
    channel = str(args["channel"])
    oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or "inf")
    inclusive = str(args.get("inclusive")).lower() in ("1", "true")
    limit = int(args.get("limit") or 100)

    def within(ts: float) -> bool:
        return oldest <= ts <= latest if inclusive else oldest < ts < latest

    found = sorted(
        (
            m
            for (c, ts), m in ws.messages.items()
            if c == channel and within(float(ts)) and m.get("thread_ts") in (None, ts)
        ),
        key=lambda m: float(m["ts"]),
        reverse=True,
    )
    if str(args.get("include_all_metadata")).lower() not in ("1", "true"):
        # Slack gives a message's metadata only to those who ask for it.
        found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
    return {"messages": found[:limit], "has_more": len(found) > limit}


def user_info(ws: Workspace, args: Args) -> Answer:
    user = ws.users.get(str(args.get("user", "")))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": dict(user)}


# -- views ---------------------------------------------------------------------------------


def _store_view(ws: Workspace, view: Any, view_id: str | None = None, **extra: Any) -> Answer:
    if not isinstance(view, dict) or "type" not in view:
        raise SlackError("invalid_arguments")
    view_id = view_id or f"V{ws.next_number():08d}"
    stored = {
        "id": view_id,
        "team_id": ws.team_id,
        "app_id": "A0DOORWAY",
        "bot_id": ws.bot_id,
        "private_metadata": "",
        "callback_id": "",
        "external_id": "",
        "state": {"values": {}},
        "root_view_id": view_id,
        "previous_view_id": None,
        **view,
        **extra,
        "hash": f"{ws.next_number()}.{view_id}",
    }
    ws.views[view_id] = stored
    return {"view": stored}


def view_open(ws: Workspace, args: Args) -> Answer:
    require(args, "trigger_id", "view", error="invalid_arguments")
    return _store_view(ws, args["view"])


def view_publish(ws: Workspace, args: Args) -> Answer:
    require(args, "user_id", "view", error="invalid_arguments")
    existing = next(
        (
            v
            for v in ws.views.values()
            if v.get("type") == "home" and v.get("user_id") == args["user_id"]
        ),
        None,
    )
    view_id = existing["id"] if existing else None
    return _store_view(ws, args["view"], view_id, user_id=args["user_id"])


def require(args: Args, *names: str, error: str = "invalid_arguments") -> None:
    for name in names:
        if args.get(name) in (None, ""):
            raise SlackError(error)


def create_canvas(ws: Workspace, args: Args) -> Answer:
    if not ws.canvases:
        raise SlackError("canvas_disabled_user_team")
    content = args.get("document_content")
    if isinstance(content, str):  # a form-encoded call sends it as JSON text
        content = json.loads(content)
    if content is not None and not (
        isinstance(content, dict) and content.get("type") == "markdown"
    ):
        raise SlackError("invalid_arguments")
    canvas_id = f"F{len(ws.canvas_docs) + 1:08d}"
    ws.canvas_docs[canvas_id] = {
        "title": args.get("title"),
        "channel_id": args.get("channel_id"),
        "markdown": (content or {}).get("markdown", ""),
    }
    return {"canvas_id": canvas_id}


def edit_canvas(ws: Workspace, args: Args) -> Answer:
    """Only the whole-canvas `replace` (no section_id): what Doorway sends."""
    canvas = ws.canvas_docs.get(str(args.get("canvas_id") or ""))
    if canvas is None:
        raise SlackError("canvas_not_found")
    changes = args.get("changes")
    if isinstance(changes, str):
        changes = json.loads(changes)
    if not isinstance(changes, list) or not changes:
        raise SlackError("invalid_arguments")
    for change in changes:
        content = change.get("document_content") if isinstance(change, dict) else None
        if change.get("operation") != "replace" or not isinstance(content, dict):
            raise SlackError("invalid_arguments")
        canvas["markdown"] = content.get("markdown", "")
    return {}


# -- workflow steps -----------------------------------------------------------------------


def _finish(ws: Workspace, args: Args, result: dict[str, Any]) -> Answer:
    require(args, "function_execution_id", error="invalid_arguments")
    execution = str(args["function_execution_id"])
    if execution in ws.step_results:
        raise SlackError("function_execution_not_found")  # it has ended: Slack forgets it
    ws.step_results[execution] = result
    return {}


def complete_success(ws: Workspace, args: Args) -> Answer:
    outputs = args.get("outputs")
    if isinstance(outputs, str):  # a form-encoded call sends it as JSON text
        outputs = json.loads(outputs)
    if not isinstance(outputs, dict):
        raise SlackError("invalid_arguments")
    return _finish(ws, args, {"outputs": outputs})


def complete_error(ws: Workspace, args: Args) -> Answer:
    require(args, "error", error="invalid_arguments")
    return _finish(ws, args, {"error": str(args["error"])})


METHODS: Mapping[str, Method] = MappingProxyType(
    {
        "auth.test": auth_test,
        "canvases.create": create_canvas,
        "canvases.edit": edit_canvas,
        "chat.postMessage": post_message,
        "chat.postEphemeral": post_ephemeral,
        "chat.update": update,
        "chat.getPermalink": permalink,
        "conversations.open": open_conversation,
        "conversations.info": info,
        "conversations.members": members,
        "conversations.history": history,
        "functions.completeError": complete_error,
        "functions.completeSuccess": complete_success,
        "users.info": user_info,
        "views.open": view_open,
        "views.publish": view_publish,
    }
)
