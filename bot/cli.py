"""The `doorway` command: serve, tick, export, migrate, and the commands installed beside it.

Commands that live outside the platform (`doorway console`, from the `console` package) are
found through the `doorway.commands` entry point group, so the platform never imports them.
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import sys
from collections.abc import Callable, Coroutine
from datetime import UTC, date, datetime
from importlib.metadata import EntryPoint, entry_points
from typing import Annotated, TypeVar

import typer

from bot import logs
from bot.settings import Settings, SettingsError, load_settings
from bot.uncollected import uncollected

cli = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Doorway: one-way or two-way door? Decisions, sized and revisited.",
)
log = logging.getLogger("doorway")
T = TypeVar("T")

NO_CREDENTIALS = (
    "No Slack credentials: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or "
    "SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) in .env: create the app from "
    "manifest.yml at https://api.slack.com/apps, install it, and copy them from there "
    "(see README). To try Doorway without Slack, run: doorway console"
)


def _settings() -> Settings:
    try:
        settings = load_settings()
    except SettingsError as exc:
        typer.echo(f"doorway: {exc}", err=True)
        raise typer.Exit(2) from None
    logs.configure(settings)
    return settings


def _fail(message: str) -> None:
    typer.echo(f"doorway: {message}", err=True)
    raise typer.Exit(2)


@cli.command()
def serve() -> None:
    """Serve Slack (HTTP on PORT, or Socket Mode with SLACK_APP_TOKEN) and run the scheduler."""
    settings = _settings()
    if not settings.has_slack_credentials:
        _fail(NO_CREDENTIALS)
    if not settings.socket_mode:
        try:
            settings.require_http_credentials()
        except SettingsError as exc:
            _fail(str(exc))
    with uncollected():  # the whole bot, Bolt, SQLModel: see bot/uncollected.py
        from bot.process import run

    _run_database_step(lambda: asyncio.run(run(settings)))


@cli.command()
def tick(
    at: Annotated[
        str | None,
        typer.Option(
            help="The instant to run, ISO-8601 (default: now); a time without zone is UTC."
        ),
    ] = None,
) -> None:
    """Run, once, everything due at that instant: follow-ups, check-ins, digests."""
    settings = _settings()
    instant = _parse_instant(at) if at else datetime.now(UTC)
    from bot.process import tick_once

    report = _run_database_step(lambda: asyncio.run(tick_once(settings, at=instant)))
    typer.echo(str(report))


@cli.command()
def export(
    team: Annotated[str | None, typer.Option(help="Only this workspace (team id).")] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="decisions (the decision log); coe (every Correction of Error with its "
            "answers and corrective actions); prfaq (every PR/FAQ, its sections, readers and "
            "history); memo (every silent reading, comments only once revealed).",
        ),
    ] = "decisions",
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="json, csv or md; or labels: one JSON line per door decision with the door "
            "it turned out to be (overruled, reviewed or confirmed), a team's own evaluation set.",
        ),
    ] = "json",
    since: Annotated[str | None, typer.Option(help="Only decisions made on or after DATE.")] = None,
    include_private_reasons: Annotated[
        bool,
        typer.Option(
            "--include-private-reasons",
            help="Also write each dissenter's reason for not committing yet. The form promises "
            "it goes to the decision's owner by DM and nowhere else: for the workspace's "
            "admins only, when they must (e.g. a legal request).",
        ),
    ] = False,
) -> None:
    """Write the decision log, or another kind, to stdout (never the private "can't commit
    yet" reasons unless asked)."""
    from bot.export import FORMATS, decision_log, render

    settings = _settings()
    if kind != "decisions":
        from bot.app import exports
        from bot.export_rooms import write_other

        others = exports()
        other = others.get(kind)
        if other is None:
            _fail(f"--kind must be one of {', '.join(['decisions', *others])}, not {kind!r}")
            return
        if format not in other.formats:
            _fail(f"--format for --kind {kind} must be one of {', '.join(other.formats)}")
        at = _parse_instant(since) if since else None
        writing = write_other(other, settings.database_url, team=team, since=at, fmt=format)
        sys.stdout.write(_run_database_step(lambda: asyncio.run(writing)))
        return
    if format not in FORMATS:
        _fail(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
    if format == "labels" and include_private_reasons:
        _fail("--format labels never includes the private reasons: drop --include-private-reasons")
    since_at = _parse_instant(since) if since else None

    async def run() -> str:
        from storage.engine import Database

        db = Database(settings.database_url)
        try:
            return render(
                await decision_log(
                    db,
                    team_id=team,
                    since=since_at,
                    include_private_reasons=include_private_reasons,
                ),
                format,
            )
        finally:
            await db.dispose()

    if include_private_reasons:
        typer.echo(
            "doorway: this export includes the private reasons dissenters gave "
            "their owners; keep it to the workspace's admins",
            err=True,
        )
    sys.stdout.write(_run_database_step(lambda: asyncio.run(run())))


@cli.command()
def forget(
    team: Annotated[str, typer.Option(help="The workspace (team id, T…) to forget.")],
    user: Annotated[
        str | None,
        typer.Option(help="Only this person (user id, U…): their rows, words and id go."),
    ] = None,
) -> None:
    """Delete a workspace's data now (its installs too), or one person's data and words from
    every record (a data-deletion request). `doorway export --team T` first keeps a copy."""
    from bot.app import forget_now

    settings = _settings()
    for name, value, like in (("--team", team, "T0123ABCD"), ("--user", user, "U0123ABCD")):
        if value is not None and not re.fullmatch(r"[A-Z0-9]{2,32}", value):
            _fail(f"{name} must be a Slack id such as {like}, not {value!r}")
    said = _run_database_step(lambda: asyncio.run(forget_now(settings, team=team, user=user)))
    typer.echo(f"doorway: {said}")


@cli.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from storage.migrate import upgrade

    settings = _settings()
    done = _run_database_step(lambda: upgrade(settings.database_url))
    typer.echo(f"doorway: {done}")


def _parse_instant(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            _fail(f"{value!r} is not an ISO-8601 date or time, e.g. 2026-12-04T09:00")
            raise
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _run_database_step(step: Callable[[], T]) -> T:
    """Run a step that needs the database; any failure to use it is one line, not a trace."""
    from bot.slack.failures import is_database_failure, is_slack_failure
    from storage.engine import database_problem, failure_reason
    from storage.migrate import NotMigrated

    try:
        return step()
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except (SettingsError, NotMigrated) as exc:
        _fail(str(exc))
        raise
    except Exception as exc:
        if is_database_failure(exc):
            _fail(database_problem(failure_reason(exc)))
        if is_slack_failure(exc):
            _fail(
                f"Slack failed ({exc}); check SLACK_API_URL and SLACK_BOT_TOKEN, "
                "or try again in a minute"
            )
        raise


# Installed commands: each entry point names `async def run(settings: Settings) -> None`, whose
# docstring is its help. The platform loads the settings and reports failures the same way
# for them as for its own commands.
COMMANDS_GROUP = "doorway.commands"
InstalledCommand = Callable[[Settings], Coroutine[object, object, None]]


def add_installed_commands(group: str = COMMANDS_GROUP) -> None:
    taken = {
        c.name or (c.callback.__name__.replace("_", "-") if c.callback else "")
        for c in cli.registered_commands
    }
    for entry in sorted(entry_points(group=group), key=lambda e: e.name):
        if entry.name not in taken:
            taken.add(entry.name)
            cli.command(name=entry.name)(_installed(entry))


def _installed(entry: EntryPoint) -> Callable[[], None]:
    try:
        run: InstalledCommand | None = entry.load()
        problem = ""
    except Exception as exc:  # noqa: BLE001 - a broken install must not take the CLI down
        run, problem = None, f"{type(exc).__name__}: {exc}"

    def command() -> None:
        if run is None:
            _fail(
                f"the {entry.name} command is installed but can't be loaded ({problem}); "
                "reinstall Doorway: pip install -e ."
            )
            return
        settings = _settings()
        _run_database_step(lambda: asyncio.run(run(settings)))

    command.__doc__ = (run.__doc__ if run else None) or f"{entry.name} (installed command)"
    return command


add_installed_commands()


def main() -> None:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    cli()


if __name__ == "__main__":
    main()
