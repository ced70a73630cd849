"""Drives the running bot the way Slack does: signed requests in, LocalSlack to watch."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bot.app import build_app
from bot.services import Services
from bot.serving.http import EVENTS_PATH, start_http
from console.localslack import Call, LocalSlack
from tests import signing

TEAM = "T0DOORWAY"
OTHER_TEAM = "T0OTHER"
ALICE, BOB, CAROL = "U0ALICE", "U0BOB", "U0CAROL"
CHANNEL, PRIVATE = "C0GENERAL", "G0SECRET"
STEP_TOKEN = "xwfp-test-step-token"  # a workflow step run's own token (bot_access_token)


@asynccontextmanager
async def serve_bot(services: Services) -> AsyncIterator[str]:
    app = build_app(services, signing_secret=signing.SIGNING_SECRET)
    runner = await start_http(app, services, host="127.0.0.1", port=0)
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


@dataclass
class BotDriver:
    url: str
    slack: LocalSlack
    services: Services

    @property
    def events_url(self) -> str:
        return self.url + EVENTS_PATH

    async def settled(self, timeout: float = 30) -> None:
        """Wait until the bot has finished every listener its requests started."""
        try:
            async with asyncio.timeout(timeout):
                await self.services.inflight.idle()
        except TimeoutError:
            raise AssertionError(f"listener work still running after {timeout} s") from None

    async def post(
        self, body: str, headers: dict[str, str], *, settle: bool = True
    ) -> tuple[int, str]:
        """Send a signed request; by default wait for the work it started to finish.

        `settle=False` returns at the ack, for tests about what happens meanwhile.
        """
        status, answer = await signing.post(self.events_url, body, headers)
        if settle:
            await self.settled()
        return status, answer

    async def command(
        self,
        command: str,
        text: str,
        *,
        user: str = ALICE,
        channel: str = CHANNEL,
        team: str = TEAM,
        trigger_id: str | None = None,
        settle: bool = True,
        **sign: Any,
    ) -> tuple[int, str, str]:
        """Type a slash command; returns (status, ack body, the response_url name)."""
        name = f"cmd-{uuid.uuid4().hex[:8]}"
        body, headers = signing.slash_command(
            command,
            text,
            team_id=team,
            user_id=user,
            channel_id=channel,
            response_url=self.slack.response_url(name),
            trigger_id=trigger_id,
            **sign,
        )
        status, answer = await self.post(body, headers, settle=settle)
        return status, answer, name

    async def response(self, name: str, *, count: int = 1, timeout: float = 10) -> Call:
        """The `count`-th message the bot sent to the response_url called `name`."""
        await self.slack.wait_for(
            "response_url", count=self._count_before(name, count), timeout=timeout
        )
        return self.responses(name)[count - 1]

    def _count_before(self, name: str, count: int) -> int:
        # wait_for counts every response_url call; wait until ours has `count` of them
        return len(self.slack.calls("response_url")) - len(self.responses(name)) + count

    def responses(self, name: str) -> list[Call]:
        return [c for c in self.slack.calls("response_url") if c.url_name == name]

    async def click(
        self,
        blocks: list[dict[str, Any]],
        action_id: str,
        *,
        user: str = ALICE,
        team: str = TEAM,
        channel: str = CHANNEL,
        message_ts: str | None = None,
        selected_date: str | None = None,
        response_name: str | None = None,
        block_id: str | None = None,
        settle: bool = True,
        **sign: Any,
    ) -> tuple[int, str, str]:
        """Press the element `action_id` found in `blocks` (a card as the bot sent it), in
        the block `block_id` when several blocks have one."""
        element, block_id = find_element(blocks, action_id, block_id=block_id)
        action = {
            "type": element["type"],
            "action_id": action_id,
            "block_id": block_id,
            "action_ts": "1700000000.000001",
        }
        if "value" in element:
            action["value"] = element["value"]
        if selected_date is not None:
            action["selected_date"] = selected_date
        name = response_name or f"click-{uuid.uuid4().hex[:8]}"
        message = {"type": "message", "ts": message_ts, "blocks": blocks} if message_ts else None
        payload = signing.block_actions_payload(
            action_id,
            team_id=team,
            user_id=user,
            channel_id=channel,
            message=message,
            response_url=self.slack.response_url(name),
            action=action,
        )
        if message_ts is None:
            payload["container"] = {
                "type": "message",
                "message_ts": "1700000000.000009",
                "channel_id": channel,
                "is_ephemeral": True,
            }
        body, headers = signing.block_actions(payload, **sign)
        status, answer = await self.post(body, headers, settle=settle)
        return status, answer, name

    async def submit(
        self,
        callback_id: str,
        values: dict[str, Any],
        *,
        user: str = ALICE,
        team: str = TEAM,
        private_metadata: str = "",
        view_id: str | None = None,
        settle: bool = True,
        **sign: Any,
    ) -> tuple[int, str]:
        body, headers = signing.view_submission(
            callback_id,
            values,
            team_id=team,
            user_id=user,
            private_metadata=private_metadata,
            view_id=view_id or f"V{uuid.uuid4().hex[:8].upper()}",
            **sign,
        )
        return await self.post(body, headers, settle=settle)

    async def shortcut(
        self,
        callback_id: str,
        *,
        message: dict[str, Any] | None = None,
        user: str = ALICE,
        team: str = TEAM,
        channel: str = CHANNEL,
        settle: bool = True,
        **sign: Any,
    ) -> tuple[int, str]:
        """Use a shortcut: on `message` (a message shortcut, in `channel`), else a global one."""
        payload = signing.shortcut_payload(
            callback_id,
            team_id=team,
            user_id=user,
            message=message,
            channel_id=channel,
            response_url=self.slack.response_url(f"shortcut-{uuid.uuid4().hex[:8]}"),
        )
        body, headers = signing.interactive(payload, **sign)
        return await self.post(body, headers, settle=settle)

    async def event(
        self,
        event: dict[str, Any],
        *,
        team: str = TEAM,
        event_id: str | None = None,
        settle: bool = True,
        **sign: Any,
    ) -> tuple[int, str]:
        body, headers = signing.event_callback(
            event, team_id=team, event_id=event_id or f"Ev{uuid.uuid4().hex[:8]}", **sign
        )
        return await self.post(body, headers, settle=settle)

    async def function_executed(
        self,
        callback_id: str,
        inputs: dict[str, Any],
        *,
        team: str = TEAM,
        execution_id: str | None = None,
        token: str = STEP_TOKEN,
        settle: bool = True,
        **sign: Any,
    ) -> tuple[int, str]:
        """A Workflow Builder custom step run: Slack's `function_executed` event, as the
        Events API delivers it. Returns (status, the function_execution_id)."""
        execution = execution_id or f"Fx{uuid.uuid4().hex[:10].upper()}"
        event = {
            "type": "function_executed",
            "function": {
                "id": f"Fn{callback_id.upper()[:8]}",
                "callback_id": callback_id,
                "title": callback_id.replace("_", " ").capitalize(),
                "description": "",
                "type": "app",
                "input_parameters": [],
                "output_parameters": [],
                "app_id": signing.API_APP_ID,
                "date_created": 1_700_000_000,
                "date_updated": 1_700_000_000,
                "date_deleted": 0,
            },
            "inputs": inputs,
            "function_execution_id": execution,
            "workflow_execution_id": f"Wx{execution[2:]}",
            "event_ts": "1700000000.000100",
            "bot_access_token": token,
        }
        status, _ = await self.event(event, team=team, settle=settle, **sign)
        return status, execution


def blocks_of(call: Call) -> list[dict[str, Any]]:
    blocks = call.args.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def text_of(call: Call) -> str:
    """Every piece of text in a message, flattened, for assertions about what people see."""
    return json.dumps(blocks_of(call), ensure_ascii=False) + "\n" + str(call.args.get("text", ""))


def find_element(
    blocks: list[dict[str, Any]], action_id: str, *, block_id: str | None = None
) -> tuple[dict[str, Any], str]:
    for block in blocks:
        if block_id is not None and block.get("block_id") != block_id:
            continue
        candidates = list(block.get("elements") or [])
        if block.get("accessory"):
            candidates.append(block["accessory"])
        for element in candidates:
            if element.get("action_id") == action_id:
                return element, block.get("block_id", "")
    raise AssertionError(f"no element {action_id!r} in the card")
