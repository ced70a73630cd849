"""Whether a PR/FAQ may be shared in a channel: a channel named by a form (its metadata
or its choice) comes back from the client, and can name one its author can't see."""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.failures import SLACK_FAILURES, slack_error

log = logging.getLogger(__name__)

MEMBER_PAGES = 20  # of 1,000 members each: a private channel larger than that is refused


async def may_share_in(client: AsyncWebClient, channel_id: str, user_id: str) -> bool:
    """Whether the author may share it in `channel_id`: any public channel, a private one
    only if they are in it (the form's choice comes back from the client, and can name a
    channel they can't see). What Slack won't say is left to the post, which reports it."""
    try:
        info = await client.conversations_info(channel=channel_id)
    except SLACK_FAILURES as exc:  # not one Doorway is in: the post fails and says so
        log.info("no conversations.info for %s: %s", channel_id, slack_error(exc))
        return True
    channel = info.get("channel") or {}
    if not (channel.get("is_private") or channel.get("is_im") or channel.get("is_mpim")):
        return True
    cursor = ""
    try:
        for _ in range(MEMBER_PAGES):
            page = await client.conversations_members(channel=channel_id, cursor=cursor, limit=1000)
            if user_id in (page.get("members") or []):
                return True
            cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                break
    except SLACK_FAILURES as exc:
        log.info("the members of %s are not known: %s", channel_id, slack_error(exc))
    return False
