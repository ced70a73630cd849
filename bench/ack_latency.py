"""How fast does `doorway serve` ack /door while the model is slow, and what does it cost
to run? Beside a bare Bolt app, measured in the same run.

    python bench/ack_latency.py [--sizes 200,500] [--rounds 7] [--concurrency N]
        [--model-delay 2.0] [--cold] [--text-chars N] [--starts 5]

Starts, on 127.0.0.1 only: a LocalSlack (the fake Slack Web API, in this process),
a fake model server that answers a valid door judgment after --model-delay seconds,
a real `doorway serve` (HTTP mode, a model key set, SQLite in a temporary directory
migrated by `doorway migrate` first, as a release does)
and a bare Bolt app whose /door listener only acks (both served with aiohttp, each in
its own process). Then, for each of --rounds rounds and each size in --sizes, it fires
that many signed `/door` commands at each app in turn (the bare app first in odd rounds,
Doorway first in even ones, each burst once both apps have been idle for a moment), times
every ack (until the HTTP response is read), and waits for Doorway's cards to reach the
response_url before the next burst. One burst on a shared machine is noisy: each round
gives a ratio of Doorway's p99 to the bare app's, and the median of those is the figure.

Beside the acks: each app's resident memory when started and idle, and after the
bursts; then each app is started --starts times more (interleaved, Doorway's database
already migrated, as on a restart) and timed from the exec until its port takes a
connection. It prints the figures and stops everything it started.

Each app first gets one unmeasured /door (and Doorway's card is awaited), so the
figures are for a running app; --cold skips that and the first round includes the
one-time costs (auth.test, first connections, loading the model SDK).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import itertools
import json
import math
import os
import platform
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from _slack import slash_command

from console.localslack import RESPONSE_URL, LocalSlack
from console.localslack.calls import Call

HERE = Path(__file__).resolve().parent
SECRET = "bench-secret"
TOKEN = "xoxb-bench"
BARE_TOKEN = "xoxb-bench-bare"  # its own token, so LocalSlack tells the two apps' calls apart
SLACK_DEADLINE = 3.0  # Slack shows the user an error if the ack takes longer
ACK_TIMEOUT = 15.0
START_TIMEOUT = 60.0
PERCENTILES = (50, 95, 99)
QUIET_WINDOW = 0.3  # seconds without CPU that say an app has finished what it was doing
IDLE_SETTLE = 1.0  # seconds after both apps answer health before their idle RSS is read

DECISIONS = [
    "Try a blue Buy button on the pricing page for two weeks",
    "Sign a 3-year exclusive distribution contract with Acme",
    "Move billing from Stripe to Adyen",
    "Rename the #eng-help channel to #ask-engineering",
    "Drop support for iOS 15 in the next release",
    "Hire a second data engineer instead of a contractor",
    "Delete customer records older than seven years",
    "Switch the team standup from daily to Monday/Wednesday/Friday",
    "Open-source our internal feature-flag library under Apache-2.0",
    "Raise the Pro plan price from $20 to $25 for new customers",
    "Migrate the orders table from MySQL to PostgreSQL",
    "Use Tailwind for the new admin screens",
    "Close the Berlin office and go fully remote in Germany",
    "Turn on dark mode by default behind a feature flag",
    "Announce end-of-life for the v1 API publicly on our blog",
    "Give every support agent a $50 refund budget without approval",
    "Acquire the domain doorway.app for $12,000",
    "Change the on-call rotation from weekly to bi-weekly",
    "Let the design team try Figma's new variables for one sprint",
    "Sell the analytics business unit to a competitor",
    "Adopt Rust for the new ingestion service",
    "Offer a 30-day free trial instead of 14 days",
    "Terminate the lease on the second warehouse in March",
    "Add a 'Was this helpful?' widget to the docs",
    "File a patent for the matching algorithm",
    "Move the quarterly planning offsite to Lisbon",
    "Publish salary bands internally for all engineering roles",
    "Retire the Android tablet app",
    "Switch CI from Jenkins to GitHub Actions for the web repo",
    "Send the weekly newsletter on Tuesdays instead of Thursdays",
    "Lay off the contractors on the mobile team",
    "Store EU customer data only in the Frankfurt region",
    "Experiment with a shorter onboarding checklist for new hires",
    "Commit to a 99.99% uptime SLA in the enterprise contract",
    "Replace our logo with the new wordmark everywhere",
    "Try pair programming on Fridays for a month",
    "Choose Okta as the single sign-on provider for the company",
    "Change the default sort on search results to 'newest first'",
    "Shut down the free tier for accounts inactive for a year",
    "Let the team pick its own sprint length",
]


@dataclass
class Ack:
    """One request's fate: when it left, how long until its response was read, what came back."""

    started: float
    latency: float | None = None  # None: no 200 within ACK_TIMEOUT
    status: int | None = None
    error: str | None = None

    @property
    def acked_at(self) -> float | None:
        return None if self.latency is None else self.started + self.latency


# --- processes ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_env(**values: str) -> dict[str, str]:
    """This environment minus anything Doorway would read, plus `values`."""
    ours = ("SLACK_", "OPENAI_", "DOORWAY_")
    # Bytecode is cached as on any install (the first start writes it): a shell that says
    # otherwise would time compiling every module from source on every start.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(ours) and k not in {"DATABASE_URL", "PORT", "PYTHONDONTWRITEBYTECODE"}
    }
    env.update(PYTHONUNBUFFERED="1", **values)
    return env


@dataclass
class Child:
    name: str
    process: asyncio.subprocess.Process
    log: Path

    def output(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines() if self.log.exists() else []

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.output()[-lines:]) or "(no output)"

    def troubles(self) -> list[str]:
        return [
            line
            for line in self.output()
            if any(f" {level} " in line for level in ("WARNING", "ERROR", "CRITICAL"))
        ]


async def spawn(name: str, argv: list[str], *, env: dict[str, str], workdir: Path) -> Child:
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        # A session of its own: a Ctrl-C reaches only this script, which then stops the
        # children itself, in order.
        process = await asyncio.create_subprocess_exec(
            *argv,
            env=env,
            cwd=workdir,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    return Child(name, process, log)


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when this script dies, even by SIGKILL."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


async def stop(child: Child) -> None:
    if child.process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        child.process.terminate()
    try:
        await asyncio.wait_for(child.process.wait(), 5)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            child.process.kill()
        await child.process.wait()


async def wait_until_up(session: aiohttp.ClientSession, url: str, child: Child) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.process.returncode is not None:
            raise SystemExit(f"{child.name} exited ({child.process.returncode}):\n{child.tail()}")
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=2)) as response:
                if response.status == 200:
                    return
        await asyncio.sleep(0.1)
    raise SystemExit(f"{child.name} did not answer {url} in {START_TIMEOUT:g}s:\n{child.tail()}")


async def model_requests(session: aiohttp.ClientSession, port: int) -> int:
    """How many completions the fake model has been asked for so far."""
    async with session.get(f"http://127.0.0.1:{port}/stats") as response:
        return int((await response.json())["requests"])


def doorway_argv() -> list[str]:
    script = shutil.which("doorway", path=str(Path(sys.executable).parent)) or shutil.which(
        "doorway"
    )
    if script is None:
        raise SystemExit("`doorway` is not installed: run `pip install -e .` first")
    return [script, "serve"]


# --- the burst ---------------------------------------------------------------------------------


def decision_text(i: int, chars: int) -> str:
    """The i-th decision, padded with more decision prose to `chars` characters when asked."""
    text = DECISIONS[i % len(DECISIONS)]
    if chars <= len(text):
        return text
    more = itertools.cycle(DECISIONS[i % len(DECISIONS) + 1 :] + DECISIONS)
    parts = [text + "."]
    while sum(len(p) + 1 for p in parts) < chars:
        parts.append(next(more) + ".")
    return " ".join(parts)[:chars]


async def burst(
    url: str,
    slack: LocalSlack,
    *,
    prefix: str,
    requests: int,
    concurrency: int,
    text_chars: int = 0,
) -> list[Ack]:
    """Fire `requests` signed /door commands at `url`, at most `concurrency` at a time."""
    signed = [
        slash_command(
            "/door",
            decision_text(i, text_chars),
            secret=SECRET,
            team_id=slack.team_id,
            user_id=f"U0BENCH{i % 25:03d}",
            channel_id=f"C0BENCH{i % 8:02d}",
            response_url=slack.response_url(f"{prefix}-{i}"),
        )
        for i in range(requests)
    ]
    with paused_gc():
        return await _fire(url, signed, concurrency)


async def _fire(
    url: str, signed: list[tuple[bytes, dict[str, str]]], concurrency: int
) -> list[Ack]:
    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=ACK_TIMEOUT)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(body: bytes, headers: dict[str, str]) -> Ack:
            async with gate:
                ack = Ack(started=time.monotonic())
                try:
                    async with session.post(url, data=body, headers=headers) as response:
                        await response.read()
                        ack.status = response.status
                    if response.status == 200:
                        ack.latency = time.monotonic() - ack.started
                    else:
                        ack.error = f"HTTP {response.status}"
                except (aiohttp.ClientError, TimeoutError) as exc:
                    ack.error = type(exc).__name__
                return ack

        return list(await asyncio.gather(*(one(body, headers) for body, headers in signed)))


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """This process's cyclic garbage collector off for the enclosed burst.

    The client that times the acks is a Python process too: a full collection in it
    (40-110 ms on this machine, with the fake Slack's records in its heap) would be
    timed as the server's latency, for whichever app's burst it fell in. As `timeit`
    does, the timed part runs without it; what it would have collected is collected
    after, untimed.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def wait_for_cards(slack: LocalSlack, prefix: str, count: int, budget: float) -> None:
    deadline = time.monotonic() + budget
    # The fake keeps a list of calls, with no event per burst to wait on.
    while time.monotonic() < deadline and len(cards(slack, prefix)) < count:  # noqa: ASYNC110
        await asyncio.sleep(0.1)


def cards(slack: LocalSlack, prefix: str) -> dict[int, Call]:
    """Answered response_url posts for this burst, by request index."""
    found: dict[int, Call] = {}
    for call in slack.calls(RESPONSE_URL):
        name = call.url_name or ""
        if call.status == 200 and name.startswith(prefix + "-"):
            found[int(name.rsplit("-", 1)[1])] = call
    return found


# --- figures -----------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of values at or below it."""
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def figures(acks: list[Ack]) -> dict[str, float]:
    latencies = sorted(a.latency if a.latency is not None else math.inf for a in acks)
    result = {f"p{p}": percentile(latencies, p) for p in PERCENTILES}
    result["max"] = latencies[-1]
    result["within"] = sum(v <= SLACK_DEADLINE for v in latencies) / len(latencies)
    result["failed"] = sum(a.latency is None for a in acks)
    return result


def ms(seconds: float) -> str:
    return "no ack" if math.isinf(seconds) else f"{seconds * 1000:,.1f} ms"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


@dataclass
class Round:
    """One interleaved round at one size: the bare app's burst, then Doorway's."""

    size: int
    doorway: list[Ack]
    bare: list[Ack]

    @property
    def ratio(self) -> float:
        ours, base = figures(self.doorway)["p99"], figures(self.bare)["p99"]
        return ours / base if base > 0 else math.inf


def ratio_text(value: float) -> str:
    return "-" if math.isinf(value) or math.isnan(value) else f"{value:.2f}x"


def report_acks(args: argparse.Namespace, rounds: list[Round]) -> None:
    print(f"{'concurrent':>10}  {'round':>6}{'doorway p99':>14}{'bare p99':>12}{'ratio':>9}")
    for size in args.sizes:
        at_size = [r for r in rounds if r.size == size]
        for number, one in enumerate(at_size, 1):
            print(
                f"{size:>10}  {number:>6}{ms(figures(one.doorway)['p99']):>14}"
                f"{ms(figures(one.bare)['p99']):>12}{ratio_text(one.ratio):>9}"
            )
        ours = median([figures(r.doorway)["p99"] for r in at_size])
        base = median([figures(r.bare)["p99"] for r in at_size])
        print(
            f"{size:>10}  {'median':>6}{ms(ours):>14}{ms(base):>12}"
            f"{ratio_text(median([r.ratio for r in at_size])):>9}   (median of the rounds' ratios)"
        )
    print()
    for name, side in (("doorway", "doorway"), ("bare Bolt", "bare")):
        for size in args.sizes:
            acks = [a for r in rounds if r.size == size for a in getattr(r, side)]
            within = figures(acks)["within"]
            errors = sorted({a.error for a in acks if a.error})
            print(
                f"{name:>9} at {size}: {within:.1%} of {len(acks):,} acks within 3 s, "
                f"max {ms(figures(acks)['max'])}"
                + (f"; errors: {', '.join(errors)}" if errors else "")
            )


def report_cards(slack: LocalSlack, rounds: list[Round], model_calls: int) -> None:
    delivered = by_model = 0
    gap_values: list[float] = []
    sent = sum(len(r.doorway) for r in rounds)
    for number, one in enumerate(rounds):
        found = cards(slack, door_prefix(number, one.size))
        delivered += len(found)
        by_model += sum("sized by the model" in json.dumps(c.args) for c in found.values())
        gap_values += [
            call.at - acked
            for i, call in found.items()
            if (acked := one.doorway[i].acked_at) is not None
        ]
    gaps = len(gap_values)
    print()
    print(
        f"cards delivered to response_url: {delivered:,}/{sent:,} ({by_model:,} sized by the "
        f"model, {delivered - by_model:,} by the built-in rules; {model_calls:,} model calls)"
    )
    if gaps:
        gap_values.sort()
        print(
            f"each card came after its own ack by {gap_values[0]:.2f} s to {gap_values[-1]:.2f} s "
            f"(median {percentile(gap_values, 50):.2f} s): the model's work ran after the ack"
        )


def door_prefix(number: int, size: int) -> str:
    return f"door{number}x{size}"


async def warm_up(url: str, slack: LocalSlack, *, prefix: str, card_wait: float) -> None:
    """One unmeasured /door; for Doorway, also wait until its card is delivered."""
    acks = await burst(url, slack, prefix=f"warm{prefix}", requests=1, concurrency=1)
    if acks[0].latency is None:
        raise SystemExit(f"the warm-up /door to {url} got no ack ({acks[0].error})")
    if prefix == "door":
        await wait_for_cards(slack, "warmdoor", 1, card_wait)


def cpu_ticks(child: Child) -> int:
    """The CPU time (user + system, in clock ticks) the child has used, from /proc (Linux)."""
    fields = Path(f"/proc/{child.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


async def quiet(*children: Child, window: float = QUIET_WINDOW, longest: float = 10.0) -> None:
    """Wait until none of the children used any CPU for `window` seconds (at most `longest`)."""
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        before = [cpu_ticks(child) for child in children]
        await asyncio.sleep(window)
        if [cpu_ticks(child) for child in children] == before:
            return


# --- footprint ---------------------------------------------------------------------------------


def rss_mb(child: Child) -> float:
    """Resident memory of the child process, from /proc (Linux), in MB."""
    for line in Path(f"/proc/{child.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


async def time_to_port(start: Callable[[], Awaitable[Child]], port: int) -> tuple[float, Child]:
    """Seconds from starting a process until its port takes a connection."""
    began = time.monotonic()
    child = await start()
    while time.monotonic() - began < START_TIMEOUT:
        if child.process.returncode is not None:
            raise SystemExit(f"{child.name} exited ({child.process.returncode}):\n{child.tail()}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.005)
            continue
        took = time.monotonic() - began
        writer.close()
        return took, child
    raise SystemExit(f"{child.name} did not open port {port} in {START_TIMEOUT:g}s")


def report_footprint(
    idle: dict[str, float], busy: dict[str, float], starts: dict[str, list[float]], doors: int
) -> None:
    print()
    print(f"{'footprint':30}{'doorway':>12}{'bare Bolt':>12}{'ratio':>9}")
    rows = [
        ("idle RSS (started, no request)", idle, "MB"),
        (f"RSS after {doors:,} /door", busy, "MB"),
    ]
    for label, values, unit in rows:
        print(
            f"{label:30}{values['doorway']:>9.1f} {unit}{values['bare']:>9.1f} {unit}"
            f"{ratio_text(values['doorway'] / values['bare']):>9}"
        )
    ours, base = median(starts["doorway"]), median(starts["bare"])
    print(
        f"{'cold start to port open':30}{ours:>10.2f} s{base:>10.2f} s{ratio_text(ours / base):>9}"
        f"   (median of {len(starts['doorway'])} starts each, interleaved; doorway "
        f"{min(starts['doorway']):.2f}-{max(starts['doorway']):.2f} s, bare "
        f"{min(starts['bare']):.2f}-{max(starts['bare']):.2f} s)"
    )


# --- the run -----------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> None:
    main_task = asyncio.current_task()
    assert main_task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
    children: list[Child] = []
    with tempfile.TemporaryDirectory(prefix="doorway-bench-") as tmp:
        workdir = Path(tmp)
        slack = await LocalSlack().start()
        try:
            async with aiohttp.ClientSession() as session:
                model_port, doorway_port, bare_port = free_port(), free_port(), free_port()
                model = await spawn(
                    "model",
                    [
                        sys.executable,
                        str(HERE / "_fake_model.py"),
                        "--port",
                        str(model_port),
                        "--delay",
                        str(args.model_delay),
                    ],
                    env=child_env(),
                    workdir=workdir,
                )
                children.append(model)
                slack_env = {
                    "SLACK_BOT_TOKEN": TOKEN,
                    "SLACK_SIGNING_SECRET": SECRET,
                    "SLACK_API_URL": slack.api_url,
                }
                doorway_env = child_env(
                    **slack_env,
                    PORT=str(doorway_port),
                    DATABASE_URL=f"sqlite:///{workdir / 'doorway.db'}",
                    OPENAI_API_KEY="bench",
                    OPENAI_BASE_URL=f"http://127.0.0.1:{model_port}/v1",
                )
                bare_env = child_env(
                    **{**slack_env, "SLACK_BOT_TOKEN": BARE_TOKEN}, PORT=str(bare_port)
                )

                async def start_doorway() -> Child:
                    child = await spawn("doorway", doorway_argv(), workdir=workdir, env=doorway_env)
                    children.append(child)
                    return child

                async def start_bare() -> Child:
                    argv = [sys.executable, str(HERE / "_bare_app.py")]
                    child = await spawn("bare", argv, workdir=workdir, env=bare_env)
                    children.append(child)
                    return child

                # Migrated first, as a release does: serve then starts on a schema at head.
                migrating = await spawn(
                    "migrate", [*doorway_argv()[:-1], "migrate"], workdir=workdir, env=doorway_env
                )
                if await migrating.process.wait() != 0:
                    raise SystemExit(f"doorway migrate failed:\n{migrating.tail()}")
                doorway, bare = await start_doorway(), await start_bare()
                await wait_until_up(session, f"http://127.0.0.1:{model_port}/stats", model)
                await wait_until_up(session, f"http://127.0.0.1:{doorway_port}/healthz", doorway)
                await wait_until_up(session, f"http://127.0.0.1:{bare_port}/healthz", bare)
                await asyncio.sleep(IDLE_SETTLE)
                idle = {"doorway": rss_mb(doorway), "bare": rss_mb(bare)}

                bare_url = f"http://127.0.0.1:{bare_port}/slack/events"
                doorway_url = f"http://127.0.0.1:{doorway_port}/slack/events"
                if not args.cold:
                    await warm_up(bare_url, slack, prefix="bare", card_wait=args.card_wait)
                    await warm_up(doorway_url, slack, prefix="door", card_wait=args.card_wait)
                model_calls_before = await model_requests(session, model_port)
                rounds: list[Round] = []
                for number in range(args.rounds):
                    for size in args.sizes:
                        # Each burst starts on a quiet machine (both apps idle, so neither
                        # shares it with what the other, or the client, left running) and
                        # the apps take turns going first: the burst right after another
                        # meets its leftovers (closing sockets, a collection) however long
                        # the wait, and which app that is should not be fixed.
                        concurrency = min(args.concurrency or size, size)
                        fired: dict[str, list[Ack]] = {}
                        order = ("bare", "doorway") if number % 2 == 0 else ("doorway", "bare")
                        for side in order:
                            await quiet(doorway, bare)
                            fired[side] = await burst(
                                bare_url if side == "bare" else doorway_url,
                                slack,
                                prefix=(
                                    f"bare{len(rounds)}x{size}"
                                    if side == "bare"
                                    else door_prefix(len(rounds), size)
                                ),
                                requests=size,
                                concurrency=concurrency,
                                text_chars=args.text_chars,
                            )
                            if side == "doorway":
                                # Its cards come before the next burst: the model's work
                                # after the acks is not timed against anyone's acks.
                                await wait_for_cards(
                                    slack, door_prefix(len(rounds), size), size, args.card_wait
                                )
                        rounds.append(Round(size, fired["doorway"], fired["bare"]))
                model_calls = await model_requests(session, model_port) - model_calls_before
                busy = {"doorway": rss_mb(doorway), "bare": rss_mb(bare)}
                troubles = doorway.troubles()
                early = doorway.process.returncode
                await asyncio.gather(stop(doorway), stop(bare))

                starts: dict[str, list[float]] = {"doorway": [], "bare": []}
                for _ in range(args.starts):
                    for name, start, port in (
                        ("bare", start_bare, bare_port),
                        ("doorway", start_doorway, doorway_port),
                    ):
                        took, child = await time_to_port(start, port)
                        starts[name].append(took)
                        await stop(child)

            at_once = (
                "all at once" if not args.concurrency else f"at most {args.concurrency} at a time"
            )
            print(
                f"/door ack latency: {args.rounds} interleaved rounds of "
                f"{' and '.join(str(n) for n in args.sizes)} signed requests ({at_once}), "
                f"the apps taking turns to go first; fake model answers after "
                f"{args.model_delay:g} s; "
                + ("apps just started (--cold)" if args.cold else "apps warmed by one request")
                + (f"; each decision {args.text_chars:,} characters" if args.text_chars else "")
            )
            print(
                f"(Python {platform.python_version()}, {os.cpu_count()} CPUs, "
                f"{platform.system()}; everything on 127.0.0.1)"
            )
            print()
            report_acks(args, rounds)
            report_cards(slack, rounds, model_calls)
            doors = sum(len(r.doorway) for r in rounds) + (0 if args.cold else 1)
            report_footprint(idle, busy, starts, doors)
            auth = {
                token: sum(c.token == token for c in slack.calls("auth.test"))
                for token in (TOKEN, BARE_TOKEN)
            }
            print(f"auth.test calls to Slack: doorway {auth[TOKEN]}, bare Bolt {auth[BARE_TOKEN]}")
            if troubles:
                print(f"doorway logged {len(troubles)} warning(s)/error(s):")
                for line in troubles[:3]:
                    print(f"  {line[:160]}")
            if early is not None:
                print(f"\ndoorway exited early ({early}):\n{doorway.tail()}")
        finally:
            await asyncio.gather(*(stop(child) for child in reversed(children)))
            await slack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="200,500",
        help="requests per burst, comma-separated; each size is one burst per round (200,500)",
    )
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (7)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="requests in flight at once (default: all of a burst)",
    )
    parser.add_argument(
        "--model-delay",
        type=float,
        default=2.0,
        help="seconds the fake model takes to answer (2.0)",
    )
    parser.add_argument(
        "--card-wait",
        type=float,
        default=60.0,
        help="seconds to wait for Doorway's cards after each burst (60)",
    )
    parser.add_argument(
        "--text-chars",
        type=int,
        default=0,
        help="pad each decision to this many characters (Doorway keeps up to 12,000)",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="no warm-up request: the first round includes each app's first requests",
    )
    parser.add_argument(
        "--starts", type=int, default=5, help="cold starts timed per app, interleaved (5)"
    )
    args = parser.parse_args()
    try:
        args.sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    except ValueError:
        parser.error("--sizes must be whole numbers separated by commas, e.g. 200,500")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes must be at least 1 each")
    if args.rounds < 1 or args.starts < 1:
        parser.error("--rounds and --starts must be at least 1")
    if args.concurrency is not None and args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    try:
        asyncio.run(run(args))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted: stopped everything this benchmark started", file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
