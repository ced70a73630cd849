"""The `doorway` command as operators use it: real processes, real environment."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from console.localslack import LocalSlack
from tests import signing
from tests.driver import ALICE, CHANNEL, TEAM

DOORWAY = [sys.executable, "-m", "bot.cli"]


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "OPENAI_", "DATABASE_URL", "PORT", "DOORWAY_"))
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/doorway.db"
    env.update(extra)
    return env


def run(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        DOORWAY + args,
        cwd=tmp_path,
        env=env_for(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_serve_without_credentials_points_to_the_console(tmp_path: Path) -> None:
    done = run(["serve"], tmp_path)
    assert done.returncode == 2
    assert "doorway console" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_bad_setting_is_one_line(tmp_path: Path) -> None:
    done = run(["serve"], tmp_path, SLACK_BOT_TOKEN="xoxp-user-token")
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN" in done.stderr and "Traceback" not in done.stderr


def test_migrate_then_export_an_empty_log(tmp_path: Path) -> None:
    assert run(["migrate"], tmp_path).returncode == 0
    done = run(["export", "--format", "json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    assert run(["export", "--format", "xml"], tmp_path).returncode == 2


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    done = run(["export"], tmp_path, DATABASE_URL="postgresql://nobody@127.0.0.1:1/none")
    assert done.returncode != 0
    assert "DATABASE_URL" in done.stderr and "Traceback" not in done.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
async def test_serve_sizes_a_door_and_export_shows_it(tmp_path: Path, fmt: str) -> None:
    port = free_port()
    async with LocalSlack(team_id=TEAM) as slack:
        env = env_for(
            tmp_path,
            SLACK_BOT_TOKEN="xoxb-cli",
            SLACK_SIGNING_SECRET="cli-secret",
            SLACK_API_URL=slack.api_url,
            PORT=str(port),
        )
        server = await asyncio.create_subprocess_exec(
            *DOORWAY,
            "serve",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            async with aiohttp.ClientSession() as http:
                for _ in range(100):
                    try:
                        async with http.get(base + "/healthz") as health:
                            if health.status == 200:
                                break
                    except aiohttp.ClientError:
                        pass
                    await asyncio.sleep(0.1)
                else:
                    pytest.fail("doorway serve never became healthy")
            body, headers = signing.slash_command(
                "/door",
                "Sign a 3-year exclusive contract <!channel>",
                team_id=TEAM,
                user_id=ALICE,
                channel_id=CHANNEL,
                response_url=slack.response_url("cli"),
                secret="cli-secret",
            )
            status, _ = await signing.post(base + "/slack/events", body, headers)
            assert status == 200
            await slack.wait_for("response_url")
            status, _ = await signing.post(
                base + "/slack/events", body, headers | {"X-Slack-Signature": "v0=" + "0" * 64}
            )
            assert status == 401
        finally:
            server.terminate()
            await asyncio.wait_for(server.wait(), 10)
    done = run(["export", "--format", fmt], tmp_path)
    assert done.returncode == 0, done.stderr
    typed = "Sign a 3-year exclusive contract <!channel>"
    assert (
        typed if fmt != "md" else typed.replace("<!", "&lt;\\!").replace(">", "&gt;")
    ) in done.stdout
    assert "None" not in done.stdout.replace('"None"', "")  # no Python leaking into the log
    if fmt == "json":
        [entry] = json.loads(done.stdout)
        assert entry["door"] == "one_way" and entry["door_source"] == "rules"
        assert entry["team_id"] == TEAM and entry["author_id"] == ALICE
        for key in (
            "id",
            "channel_id",
            "text",
            "created_at",
            "review_at",
            "status",
            "dissent",
            "outcome",
        ):
            assert key in entry


def test_tick_without_a_bot_token_is_one_line(tmp_path: Path) -> None:
    done = run(["tick"], tmp_path)
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_export_before_migrate_says_to_migrate(tmp_path: Path) -> None:
    done = run(["export"], tmp_path)
    assert done.returncode == 2
    assert "doorway migrate" in done.stderr and "Traceback" not in done.stderr


def test_the_console_is_an_installed_command(tmp_path: Path) -> None:
    done = run(["--help"], tmp_path)
    assert done.returncode == 0 and "console" in done.stdout and "no Slack needed" in done.stdout


def test_an_installed_command_that_cannot_load_is_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from importlib.metadata import EntryPoint

    import typer

    from bot.cli import _installed

    command = _installed(EntryPoint("broken", "no_such_module:run", "doorway.commands"))
    with pytest.raises(typer.Exit):
        command()
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("doorway: the broken command is installed but can't be loaded")
    assert "ModuleNotFoundError" in line and "pip install -e ." in line
