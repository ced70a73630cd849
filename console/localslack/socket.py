"""The Socket Mode end of LocalSlack: a websocket that says hello, sends envelopes, takes acks.

`apps.connections.open` (answered by LocalSlack for an `xapp-` token) issues the URL of
`/socket`; slack_sdk's SocketModeClient connects there as it would to Slack.

    ack = await slack.socket.deliver("slash_commands", {"command": "/door", ...})
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Any

from aiohttp import WSMsgType, web

SOCKET_PATH = "/socket"


class LocalSocketMode:
    """Open Socket Mode connections; envelopes go to the newest one."""

    def __init__(self) -> None:
        self.connections: list[web.WebSocketResponse] = []
        self.opened = 0  # connections ever made
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._changed = asyncio.Event()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self.connections.append(socket)
        self.opened += 1
        self._notify()
        await socket.send_json(
            {
                "type": "hello",
                "num_connections": len(self.connections),
                "connection_info": {"app_id": "A0DOORWAY"},
                "debug_info": {"host": "localslack"},
            }
        )
        try:
            async for message in socket:
                if message.type != WSMsgType.TEXT:
                    continue
                with contextlib.suppress(json.JSONDecodeError, AttributeError):
                    ack = json.loads(message.data)
                    waiting = self._acks.pop(str(ack.get("envelope_id")), None)
                    if waiting is not None and not waiting.done():
                        waiting.set_result(ack)
        finally:
            if socket in self.connections:
                self.connections.remove(socket)
            self._notify()
        return socket

    async def deliver(
        self, kind: str, payload: dict[str, Any], *, timeout: float = 5.0
    ) -> dict[str, Any] | None:
        """Send one envelope (`slash_commands`, `interactive`, `events_api`) to the newest
        connection; its ack, or None if none came within `timeout`."""
        if not self.connections:
            raise RuntimeError("no Socket Mode connection is open")
        envelope_id = uuid.uuid4().hex
        waiting: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = waiting
        await self.connections[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        try:
            return await asyncio.wait_for(waiting, timeout)
        except TimeoutError:
            return None
        finally:
            self._acks.pop(envelope_id, None)

    async def wait_connected(self, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until `count` connections have been opened in all."""
        async with asyncio.timeout(timeout):
            while self.opened < count or not self.connections:
                await self._changed.wait()

    async def close(self) -> None:
        for socket in list(self.connections):
            await socket.close()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()
