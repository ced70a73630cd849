"""Control characters in a request (a NUL, an escape sequence) are dropped before anything
reads it: what people typed is stored, shown and exported without them, tab and newline
kept; PostgreSQL, which refuses NUL in a text column, stores it too."""

from __future__ import annotations

import json

from sqlmodel import col, select

from bot.export import decision_log, render
from storage.models import DoorDecision
from tests.driver import CHANNEL, TEAM, BotDriver, text_of

CONTROLS = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n")


def has_controls(text: str) -> bool:
    return any(c in text for c in CONTROLS)


async def stored(bot: BotDriver) -> list[DoorDecision]:
    async with bot.services.db.session() as session:
        return list((await session.exec(select(DoorDecision).order_by(col(DoorDecision.id)))).all())


async def exported(bot: BotDriver) -> str:
    return render(await decision_log(bot.services.db, team_id=TEAM, since=None), "json")


async def test_a_command_with_control_characters_is_stored_and_shown_without_them(
    bot: BotDriver,
) -> None:
    _, _, name = await bot.command("/door", "Ship\x00 the beta\x1b[31m\ttoday\r\nfor\x07 real")
    card = text_of(await bot.response(name))
    assert "Ship the beta[31m" in card and not has_controls(card)

    [decision] = await stored(bot)
    assert decision.text == "Ship the beta[31m\ttoday\nfor real"
    assert not has_controls(json.loads(await exported(bot))[0]["text"])


async def test_a_form_with_control_characters_is_stored_without_them(bot: BotDriver) -> None:
    status, _, _ = await bot.command("/door", "")
    opened = (await bot.slack.wait_for("views.open"))[-1].args["view"]
    metadata = (json.loads(opened) if isinstance(opened, str) else opened)["private_metadata"]
    status, _ = await bot.submit(
        "door_modal",
        {
            "decision": {"decision": {"type": "plain_text_input", "value": "Move\x00 billing"}},
            "context": {"context": {"type": "plain_text_input", "value": "Costs\x0b\x00 rise"}},
        },
        private_metadata=f"{metadata}\x00",
    )
    assert status == 200
    await bot.slack.wait_for("chat.postEphemeral")

    [decision] = await stored(bot)
    assert (decision.text, decision.context) == ("Move billing", "Costs rise")
    assert decision.channel_id == CHANNEL
    assert not has_controls(await exported(bot))
