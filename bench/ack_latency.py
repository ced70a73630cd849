"""How fast does `doorway serve` ack /door while the model is slow? Beside a bare Bolt app.

    python bench/ack_latency.py [--requests 200] [--concurrency N] [--model-delay 2.0] [--cold]

Starts, on 127.0.0.1 only: a LocalSlack (the fake Slack Web API, in this process),
a fake model server that answers a valid door judgment after --model-delay seconds,
a real `doorway serve` (HTTP mode, SQLite in a temporary directory) and a bare Bolt
app whose /door listener only acks (both served with aiohttp, each in its own
process). Then it fires --requests signed `/door` commands at each in turn (the bare
app first, so Doorway's after-the-ack work can't slow it down), times every ack
(until the HTTP response is read), waits for Doorway's cards to reach the
response_url, prints the figures, and stops everything it started.

Each app first gets one unmeasured /door (and Doorway's card is awaited), so the
figures are for a running app; --cold skips that and measures the first burst after
start, one-time costs (auth.test, first connections) included.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import itertools
import json
import math
import os
import platform
import shutil
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from _slack import slash_command

from console.localslack import RESPONSE_URL, LocalSlack

HERE = Path(__file__).resolve().parent
SECRET = "bench-secret"
TOKEN = "xoxb-bench"
BARE_TOKEN = "xoxb-bench-bare"  # its own token, so LocalSlack tells the two apps' calls apart
SLACK_DEADLINE = 3.0  # Slack shows the user an error if the ack takes longer
ACK_TIMEOUT = 15.0
START_TIMEOUT = 60.0
PERCENTILES = (50, 95, 99)

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
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(ours) and k not in {"DATABASE_URL", "PORT"}
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


async def wait_for_cards(slack: LocalSlack, prefix: str, count: int, budget: float) -> None:
    deadline = time.monotonic() + budget
    # The fake keeps a list of calls, with no event per burst to wait on.
    while time.monotonic() < deadline and len(cards(slack, prefix)) < count:  # noqa: ASYNC110
        await asyncio.sleep(0.1)


def cards(slack: LocalSlack, prefix: str) -> dict[int, object]:
    """Answered response_url posts for this burst, by request index."""
    found = {}
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


def report(
    args: argparse.Namespace,
    doorway: list[Ack],
    bare: list[Ack],
    slack: LocalSlack,
    model_calls: int,
) -> None:
    ours, base = figures(doorway), figures(bare)
    at_once = (
        "all at once" if args.concurrency >= args.requests else f"{args.concurrency} at a time"
    )
    start = "apps just started (--cold)" if args.cold else "apps warmed by one request"
    print(
        f"/door ack latency: {args.requests} signed requests, {at_once}; "
        f"fake model answers after {args.model_delay:g} s; {start}"
        + (f"; each decision {args.text_chars:,} characters" if args.text_chars else "")
    )
    print(
        f"(Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.system()}; "
        "everything on 127.0.0.1)"
    )
    print()
    print(f"{'':18}{'doorway':>12}{'bare Bolt':>12}{'ratio':>9}")
    for key in [f"p{p}" for p in PERCENTILES] + ["max"]:
        ratio = ours[key] / base[key] if base[key] > 0 else math.inf
        shown = "-" if math.isinf(ratio) or math.isnan(ratio) else f"{ratio:.2f}x"
        print(f"{key:18}{ms(ours[key]):>12}{ms(base[key]):>12}{shown:>9}")
    print(f"{'acked within 3 s':18}{ours['within']:>12.1%}{base['within']:>12.1%}")
    print(f"{'no ack (errors)':18}{ours['failed']:>12.0f}{base['failed']:>12.0f}")
    for name, acks in (("doorway", doorway), ("bare Bolt", bare)):
        errors = sorted({a.error for a in acks if a.error})
        if errors:
            print(f"  {name} errors: {', '.join(errors)}")

    delivered = cards(slack, "door")
    by_model = sum("sized by the model" in json.dumps(c.args) for c in delivered.values())
    print()
    print(
        f"cards delivered to response_url: {len(delivered)}/{args.requests} "
        f"({by_model} sized by the model, {len(delivered) - by_model} by the built-in rules; "
        f"{model_calls} model calls)"
    )
    gaps = sorted(
        call.at - acked  # type: ignore[attr-defined]
        for i, call in delivered.items()
        if (acked := doorway[i].acked_at) is not None
    )
    if gaps:
        print(
            f"each card came after its own ack by {gaps[0]:.2f} s to {gaps[-1]:.2f} s "
            f"(median {percentile(gaps, 50):.2f} s): the model's work ran after the ack"
        )
    slowest = max((a.acked_at or 0) for a in doorway) - min(a.started for a in doorway)
    print(
        f"doorway: all {args.requests} acks were back {slowest:.2f} s after the first request left"
    )
    auth = {
        token: sum(c.token == token for c in slack.calls("auth.test"))
        for token in (TOKEN, BARE_TOKEN)
    }
    print(f"auth.test calls to Slack: doorway {auth[TOKEN]}, bare Bolt {auth[BARE_TOKEN]}")


async def warm_up(url: str, slack: LocalSlack, *, prefix: str, card_wait: float) -> None:
    """One unmeasured /door; for Doorway, also wait until its card is delivered."""
    acks = await burst(url, slack, prefix=f"warm-{prefix}", requests=1, concurrency=1)
    if acks[0].latency is None:
        raise SystemExit(f"the warm-up /door to {url} got no ack ({acks[0].error})")
    if prefix == "door":
        await wait_for_cards(slack, "warm-door", 1, card_wait)


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
                doorway = await spawn(
                    "doorway",
                    doorway_argv(),
                    workdir=workdir,
                    env=child_env(
                        **slack_env,
                        PORT=str(doorway_port),
                        DATABASE_URL=f"sqlite:///{workdir / 'doorway.db'}",
                        OPENAI_API_KEY="bench",
                        OPENAI_BASE_URL=f"http://127.0.0.1:{model_port}/v1",
                    ),
                )
                children.append(doorway)
                bare = await spawn(
                    "bare",
                    [sys.executable, str(HERE / "_bare_app.py")],
                    workdir=workdir,
                    env=child_env(
                        **{**slack_env, "SLACK_BOT_TOKEN": BARE_TOKEN}, PORT=str(bare_port)
                    ),
                )
                children.append(bare)
                await wait_until_up(session, f"http://127.0.0.1:{model_port}/stats", model)
                await wait_until_up(session, f"http://127.0.0.1:{doorway_port}/healthz", doorway)
                await wait_until_up(session, f"http://127.0.0.1:{bare_port}/healthz", bare)

                bare_url = f"http://127.0.0.1:{bare_port}/slack/events"
                doorway_url = f"http://127.0.0.1:{doorway_port}/slack/events"
                if not args.cold:
                    await warm_up(bare_url, slack, prefix="bare", card_wait=args.card_wait)
                    await warm_up(doorway_url, slack, prefix="door", card_wait=args.card_wait)
                bare_acks = await burst(
                    bare_url,
                    slack,
                    prefix="bare",
                    requests=args.requests,
                    concurrency=args.concurrency,
                    text_chars=args.text_chars,
                )
                model_calls_before = await model_requests(session, model_port)
                doorway_acks = await burst(
                    doorway_url,
                    slack,
                    prefix="door",
                    requests=args.requests,
                    concurrency=args.concurrency,
                    text_chars=args.text_chars,
                )
                await wait_for_cards(slack, "door", args.requests, args.card_wait)
                model_calls = await model_requests(session, model_port) - model_calls_before
            report(args, doorway_acks, bare_acks, slack, model_calls)
            troubles = doorway.troubles()
            if troubles:
                print(f"doorway logged {len(troubles)} warning(s)/error(s):")
                for line in troubles[:3]:
                    print(f"  {line[:160]}")
            if doorway.process.returncode is not None:
                print(f"\ndoorway exited early ({doorway.process.returncode}):\n{doorway.tail()}")
        finally:
            await asyncio.gather(*(stop(child) for child in reversed(children)))
            await slack.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per app (200)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="requests in flight at once (default: all of them)",
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
        default=30.0,
        help="seconds to wait for Doorway's cards after the acks (30)",
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
        help="no warm-up request: measure each app's first requests too",
    )
    args = parser.parse_args()
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    args.concurrency = min(args.concurrency or args.requests, args.requests)
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    try:
        asyncio.run(run(args))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted: stopped everything this benchmark started", file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
