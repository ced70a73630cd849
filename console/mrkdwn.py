"""Slack's mrkdwn as a person reads it in a terminal.

Mentions, channel links and special mentions become `@name`, `#name` and `@channel`;
links show their label and where they go; Slack's three entities are decoded last, so
text a person typed (which the bot escaped) shows exactly as typed and is never taken
for a mention or a link. `*bold*` and `_italic_` stay as they are: they read fine.
"""

from __future__ import annotations

import re
from typing import Protocol

from bot.app import markup


class Names(Protocol):
    """Who `U…` and where `C…` are, for showing mentions by name."""

    def user(self, user_id: str) -> str: ...

    def channel(self, channel_id: str) -> str: ...


_SHORTCODE = re.compile(r":([a-z0-9_+\-]+):")
# Terminal escapes and bidi overrides in someone's text could rewrite what the rest of the
# screen says; newlines and tabs are kept.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPECIAL = {"channel": "@channel", "here": "@here", "everyone": "@everyone"}

# The shortcodes Doorway uses, and a few common ones; others stay as `:name:`.
EMOJI = {
    "door": "🚪",
    "no_entry": "⛔",
    "no_entry_sign": "🚫",
    "raised_hand": "✋",
    "dart": "🎯",
    "zzz": "💤",
    "wave": "👋",
    "bar_chart": "📊",
    "twisted_rightwards_arrows": "🔀",
    "chair": "🪑",
    "white_check_mark": "✅",
    "heavy_check_mark": "✔️",
    "x": "❌",
    "warning": "⚠️",
    "calendar": "📅",
    "spiral_calendar_pad": "🗓️",
    "tada": "🎉",
    "bell": "🔔",
    "alarm_clock": "⏰",
    "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳",
    "handshake": "🤝",
    "thinking_face": "🤔",
    "memo": "📝",
    "robot_face": "🤖",
    "pushpin": "📌",
    "mag": "🔍",
    "bulb": "💡",
    "rocket": "🚀",
    "thumbsup": "👍",
    "+1": "👍",
    "thumbsdown": "👎",
    "-1": "👎",
    "eyes": "👀",
    "speech_balloon": "💬",
    "repeat": "🔁",
    "information_source": "ℹ️",
    "question": "❓",
    "scales": "⚖️",
    "construction": "🚧",
    "newspaper": "📰",
    "clipboard": "📋",
    "busts_in_silhouette": "👥",
    "bust_in_silhouette": "👤",
    "arrow_right": "➡️",
    "leftwards_arrow_with_hook": "↩️",
    "pencil2": "✏️",
    "lock": "🔒",
    "checkered_flag": "🏁",
    "rotating_light": "🚨",
}


def clean(text: str) -> str:
    """Drop characters that would let text steer the terminal (escapes, bidi overrides)."""
    return _UNSAFE.sub("", text)


def emoji(text: str) -> str:
    return _SHORTCODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)


def plain(text: str, *, with_emoji: bool = True) -> str:
    """A plain_text object's text: Slack shows it literally, apart from emoji shortcodes."""
    return clean(emoji(text) if with_emoji else text)


def readable(text: str, names: Names) -> str:
    """mrkdwn → what a person sees in Slack, as plain terminal text."""

    return clean(emoji("".join(_shown(token, names) for token in markup.tokens(text))))


def _shown(token: markup.Token, names: Names) -> str:
    """One token: text, an entity, a mention, a channel, a special mention, a date or a link."""
    if isinstance(token, markup.Text):
        return token.raw
    if isinstance(token, markup.Entity):
        return token.char
    label = markup.decode(token.label or "")
    if isinstance(token, markup.User):
        return "@" + (label.lstrip("@") or names.user(token.id))
    if isinstance(token, markup.Channel):
        return "#" + (label.lstrip("#") or names.channel(token.id))
    if isinstance(token, markup.Special):
        keyword = token.keyword
        if keyword in _SPECIAL:
            return _SPECIAL[keyword]
        if keyword.startswith("subteam^"):
            return label or "@group"
        if keyword.startswith("date^"):
            return label or "a date"
        return label or "@" + keyword
    url = markup.decode(token.target)
    if label and label != url:
        return f"{label} ({url})"
    return url
