"""`doorway serve` as a real process, for tests about starting and stopping it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from console.localslack import LocalSlack

DOORWAY = [sys.executable, "-m", "bot.cli"]
READY = ("Doorway is connected to Slack", "Doorway is serving Slack")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "OPENAI_", "DATABASE_URL", "PORT", "DOORWAY_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path}/doorway.db",
        PORT=str(free_port()),
        DOORWAY_LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


@dataclass
class Served:
    """A running `doorway serve`; its stderr is read as it comes."""

    process: asyncio.subprocess.Process
    port: int
    lines: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)

    async def wait_for_line(self, text: str | tuple[str, ...], timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if any(t in line for t in ((text,) if isinstance(text, str) else text)):
                    return line
            if self.process.returncode is not None:
                break
            await asyncio.sleep(0.05)
        raise AssertionError(f"doorway serve never said {text!r}; it said:\n{self.stderr}")

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> float:
        """Send `sig`; seconds until the process exited."""
        started = time.monotonic()
        self.process.send_signal(sig)
        await self.wait(timeout)
        return time.monotonic() - started

    async def wait(self, timeout: float = 30) -> int:
        try:
            code = await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(
                f"doorway serve did not exit in {timeout} s:\n{self.stderr}"
            ) from None
        if self._reader is not None:
            await self._reader
        return code


async def start_serve(tmp_path: Path, env: dict[str, str]) -> Served:
    process = await asyncio.create_subprocess_exec(
        *DOORWAY,
        "serve",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    served = Served(process=process, port=int(env["PORT"]))

    async def read() -> None:
        assert process.stderr is not None
        async for raw in process.stderr:
            served.lines.append(raw.decode(errors="replace").rstrip("\n"))

    served._reader = asyncio.ensure_future(read())
    return served


@contextlib.asynccontextmanager
async def serving_over_socket_mode(
    tmp_path: Path, slack: LocalSlack
) -> AsyncIterator[tuple[Served, dict[str, str]]]:
    """`doorway serve` connected to `slack` over Socket Mode (and its env); SIGTERM stops it
    within 10 s afterwards."""
    env = serve_env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-socket",
        SLACK_APP_TOKEN="xapp-socket",
        SLACK_API_URL=slack.api_url,
    )
    served = await start_serve(tmp_path, env)
    try:
        await served.wait_for_line("connected to Slack over Socket Mode")
        yield served, env
    finally:
        assert await served.stop() < 10
