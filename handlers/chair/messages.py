"""Block Kit for the empty chair."""

from __future__ import annotations

from typing import Any

from bot.slack import text as t

EMPTY_TOPIC = "this channel's next decision"


def questions_message(topic: str, questions: list[str], *, asked_by: str) -> dict[str, Any]:
    shown = t.safe(topic, 300) if topic.strip() else EMPTY_TOPIC
    bullet_list = "\n".join(f"• {t.safe(q, 500)}" for q in questions)
    return {
        "text": t.fallback(f"The empty chair asks about {topic or EMPTY_TOPIC}"),
        "blocks": [
            t.section(
                f":chair: *The empty chair* — the customer who isn't in the room "
                f"would ask about _{shown}_:"
            ),
            t.section(bullet_list),
            t.context(
                f"Asked by {t.user(asked_by)} with `/chair`. "
                "React :chair: on any message to ask it in the thread."
            ),
        ],
    }


def help_message() -> dict[str, Any]:
    return {
        "text": "How the empty chair works",
        "blocks": [
            t.section(
                ":chair: *The empty chair* keeps the customer in the room: the questions they "
                "would ask if they were here."
            ),
            t.section(
                "• `/chair &lt;topic&gt;` asks three of them about the topic, in the channel.\n"
                "• `/chair` alone asks about the channel's next decision.\n"
                "• React :chair: on any message to ask one about it in its thread."
            ),
        ],
    }


def thread_question(question: str) -> dict[str, Any]:
    line = f":chair: *The empty chair asks:* _{t.safe(question, 600)}_"
    return {"text": t.fallback(f"The empty chair asks: {question}"), "blocks": [t.section(line)]}
