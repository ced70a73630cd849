"""The console as a newcomer meets it: the clock, the transcript, the line editor, presses."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.console.test_console import console, console_env

# A digest that comes due in a tick, right after the moment it is due.
DIGEST_ON_ITS_DAY = re.compile(
    r"⏰ Fri \d\d \w{3} \d{4} 16:00 UTC: something is due\.\n── #general"
)


def test_tick_runs_each_thing_on_its_own_day(tmp_path: Path) -> None:
    out = console("/door Try a blue button\n1\n/digest on\ntick +15d\n", tmp_path, TZ="UTC")

    # Two Fridays in fifteen days: two digests, each on its Friday, none skipped as late.
    assert len(DIGEST_ON_ITS_DAY.findall(out)) == 2, out
    ticked = out.split("> tick +15d", 1)[1]
    assert ticked.index("Time to look back") > ticked.rindex("16:00 UTC: something is due")
    assert ticked.rstrip().splitlines()[-1].startswith("⏰ It's now")


def test_the_clock_survives_a_restart(tmp_path: Path) -> None:
    first = console("tick +20d\n", tmp_path, TZ="UTC")
    moved = re.search(r"It's now \w{3} (\d\d \w{3} \d{4})", first)
    assert moved is not None, first

    again = console("tick\n", tmp_path, TZ="UTC")
    assert "The clock is where the last session left it" in again
    assert re.search(rf"It's \w{{3}} {moved.group(1)} ", again), again


def test_piped_input_is_echoed_into_the_transcript(tmp_path: Path) -> None:
    out = console("/door Try a blue button\n3\n+14d\nas bob\nquit\n", tmp_path)

    assert "you in #general> /door Try a blue button\n" in out
    assert "you in #general> 3\n" in out and "› +14d\n" in out
    assert "you in #general> as bob\n" in out and "bob in #general> quit\n" in out
    assert out.index("> /door Try") < out.index("Two-way door") < out.index("> 3\n")


def test_press_takes_the_label_and_the_value_in_one_line(tmp_path: Path) -> None:
    out = console("/door Try a blue button\npress Review 2031-02-03\n", tmp_path)

    assert "review on Mon 03 Feb 2031" in out
    assert "YYYY-MM-DD" not in out, "nothing was asked: the date came with the press"


def test_chair_help_is_help(tmp_path: Path) -> None:
    out = console("/chair help\n", tmp_path)

    assert "/chair <topic>" in out and "would ask about help" not in out


def test_a_terminal_gets_line_editing_and_a_history(tmp_path: Path) -> None:
    main, other = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "console"],
        stdin=other,
        stdout=other,
        stderr=other,
        cwd=tmp_path,
        env=console_env(tmp_path, TERM="dumb"),
        close_fds=True,
    )
    os.close(other)
    seen = b""

    def wait_for(wanted: bytes, timeout: float = 60) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while wanted not in seen:
            left = deadline - time.monotonic()
            assert left > 0, f"waited for {wanted!r}; saw {seen.decode(errors='replace')}"
            ready, _, _ = select.select([main], [], [], left)
            if ready:
                try:
                    seen += os.read(main, 65536)
                except OSError:  # the console ended
                    break

    try:
        wait_for(b"you in #general> ")
        os.write(main, b"/door Try a blue button\r")
        wait_for(b"Decision #1")
        os.write(main, b"\x1b[A\r")  # the up arrow brings the last line back
        wait_for(b"Decision #2")
        os.write(main, b"quit\r")
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(main)
    history = (tmp_path / ".doorway_console_history").read_text()
    assert "/door Try a blue button" in history
