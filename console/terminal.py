"""Lines in, lines out. Line editing and history at a terminal; a transcript when piped."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import IO

# Where what was typed at a terminal is remembered between sessions (like ~/.python_history).
HISTORY_FILE = "~/.doorway_console_history"
HISTORY_LENGTH = 1000


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


class Terminal:
    """Reads one line at a time without blocking the event loop the bot runs on.

    At a terminal the prompt is shown, with line editing and a history kept in
    HISTORY_FILE (readline, through `input`). When input is piped it is read as a script
    and each line is echoed after its prompt, so the output reads as a transcript.
    """

    def __init__(
        self,
        stdin: IO[str] | None = None,
        stdout: IO[str] | None = None,
        *,
        history: Path | None = None,
    ) -> None:
        self.stdin = stdin if stdin is not None else sys.stdin
        self.stdout = stdout if stdout is not None else sys.stdout
        self.interactive = _isatty(self.stdin)
        self._use_input = self.interactive and self.stdin is sys.stdin and self.stdout is sys.stdout
        self._history = history or Path(HISTORY_FILE).expanduser()
        self._readline = _readline() if self._use_input else None
        if self._readline is not None:
            self._readline.set_history_length(HISTORY_LENGTH)
            with contextlib.suppress(OSError):
                self._readline.read_history_file(self._history)
        self.eof = False
        self.interrupted: str | None = None  # a slash command typed in answer to a question
        if self.stdout is sys.stdout:
            # An emoji must never crash the console on a terminal that can't show it.
            with contextlib.suppress(AttributeError, ValueError):
                sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]

    def close(self) -> None:
        """Keep the history for next time (a terminal only; a history we can't write is lost)."""
        if self._readline is not None:
            with contextlib.suppress(OSError):
                self._readline.write_history_file(self._history)

    def say(self, *lines: str) -> None:
        for line in lines:
            self.stdout.write(line + "\n")
        self.stdout.flush()

    def ask(self, question: str) -> None:
        """A question the console asks mid-way (a form field, a date): shown in both modes."""
        self.say(question)

    async def answer(self, prompt: str) -> str | None:
        """A reply to a question (a form field, a date); None if input ended, or if a slash
        command was typed instead: it cancels the question and is kept to run next."""
        line = await self.read(prompt)
        if line is not None and line.strip().startswith("/"):
            self.interrupted = line.strip()
            return None
        return line

    def stopped(self, message: str) -> str:
        """`message` (e.g. "Not pressed."), saying why when a slash command cut in."""
        if self.interrupted is None:
            return message
        return f"{message.rstrip('.')}: running {self.interrupted.split()[0]} instead."

    def take_interrupted(self) -> str | None:
        line, self.interrupted = self.interrupted, None
        return line

    async def read(self, prompt: str = "> ") -> str | None:
        """The next line without its newline, or None at the end of input."""
        if self.eof:
            return None
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()

        def deliver(line: str | None, error: BaseException | None) -> None:
            if future.done():
                return
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(line)

        def work() -> None:
            line: str | None
            error: BaseException | None = None
            try:
                line = self._read_line(prompt)
            except EOFError:
                line = None
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting coroutine
                line, error = None, exc
            with contextlib.suppress(RuntimeError):  # the loop closed while we waited
                loop.call_soon_threadsafe(deliver, line, error)

        # A daemon thread: a read still waiting at exit must not keep the process alive.
        threading.Thread(target=work, name="console-input", daemon=True).start()
        line = await future
        if line is None:
            self.eof = True
        return line

    def _read_line(self, prompt: str) -> str | None:
        if self._use_input:
            return input(prompt)
        if self.interactive and prompt:
            self.stdout.write(prompt)
            self.stdout.flush()
        raw = self.stdin.readline()
        if raw == "":
            return None
        line = raw.rstrip("\r\n")
        if not self.interactive:
            self.stdout.write(f"{prompt}{line}\n")
            self.stdout.flush()
        return line


def _readline() -> ModuleType | None:
    """The readline module where Python has one (not on Windows): `input` then edits lines."""
    try:
        import readline
    except ImportError:
        return None
    return readline
