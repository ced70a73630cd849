"""LocalSlack: the Slack Web API served in-process on a free local port.

The terminal console, the tests and the benchmarks point a real slack_sdk
client at it (`AsyncWebClient(base_url=slack.api_url)`). It answers like Slack,
records every call in order, and can be told to fail, rate-limit or stall.

    async with LocalSlack() as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
        await client.chat_postMessage(channel="C1", text="hi")
        assert slack.last("chat.postMessage").args["text"] == "hi"
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from aiohttp import web

from console.localslack.calls import Call, CallLog
from console.localslack.installs import OAUTH_ACCESS, Grant, Installs
from console.localslack.methods import METHODS
from console.localslack.socket import SOCKET_PATH, LocalSocketMode
from console.localslack.wire import basic, bearer, read_args
from console.localslack.workspace import SlackError, Workspace

logger = logging.getLogger(__name__)

RESPONSE_URL = "response_url"
# Answered here, not by the workspace: it hands out the Socket Mode URL (and slack_sdk's
# SocketModeClient calls it as well as bot/serving/startup.py).
CONNECTIONS_OPEN = "apps.connections.open"
IMPLEMENTED = frozenset(METHODS) | {CONNECTIONS_OPEN, OAUTH_ACCESS}
_SERVER_ERRORS = {500: "internal_error", 502: "bad_gateway", 503: "service_unavailable"}
# What carries Block Kit, so the validator sees it.
_VALIDATED = frozenset(
    {RESPONSE_URL, "chat.postMessage", "chat.postEphemeral", "chat.update"}
    | {"views.open", "views.publish"}
)

OnCall = Callable[[Call], Awaitable[None] | None]
Validator = Callable[[Call], object]


class LocalSlack(CallLog):
    """An in-process fake of the Slack Web API and of response_url endpoints.

    `at` on each Call is `time.monotonic()` at arrival. `validator`, if given,
    sees every call before it is answered; if it raises, the call is refused
    the way Slack refuses bad Block Kit (`invalid_blocks` / `invalid_arguments`).
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        team_id: str = "T0DOORWAY",
        team_domain: str = "example",
        user_id: str = "U0DOORWAY",
        bot_id: str = "B0DOORWAY",
        first_ts: int = 1,
        latency: float = 0.0,
        on_call: OnCall | None = None,
        validator: Validator | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__()
        self.token = token
        self.workspace = Workspace(
            team_id=team_id,
            team_domain=team_domain,
            user_id=user_id,
            bot_id=bot_id,
            first_ts=first_ts,
        )
        self.latency = latency
        self.on_call = on_call
        self.validator = validator
        self._host, self._port = host, port
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None
        self._response_channels: dict[str, str] = {}
        self.socket = LocalSocketMode()
        # Workspaces that installed the app through OAuth, each with its own token.
        self.installs = Installs()
        self.installs.workspaces[team_id] = self.workspace

    # -- lifecycle -------------------------------------------------------------------

    async def start(self) -> LocalSlack:
        if self._runner is not None:
            return self
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{name:.+}", self._handle_response_url)
        app.router.add_get(SOCKET_PATH, self.socket.handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port)
        await site.start()
        host, port = runner.addresses[0][:2]
        self._runner, self._base_url = runner, f"http://{host}:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is None:
            return
        self._stopping.set()  # wakes any delayed answer so shutdown is quick
        runner, self._runner = self._runner, None
        await self.socket.close()
        await runner.cleanup()

    async def __aenter__(self) -> LocalSlack:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("LocalSlack is not started")
        return self._base_url

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str, *, channel: str | None = None) -> str:
        """A response_url; given the `channel` it was handed out in, an `in_channel`
        answer to it becomes a message there (in `messages` and channel history)."""
        if channel is not None:
            self._response_channels[name] = channel
        return f"{self.base_url}/response/{quote(name, safe='')}"

    # -- the workspace ------------------------------------------------------------

    @property
    def team_id(self) -> str:
        return self.workspace.team_id

    @property
    def user_id(self) -> str:
        return self.workspace.user_id

    @property
    def bot_id(self) -> str:
        return self.workspace.bot_id

    @property
    def users(self) -> dict[str, dict[str, Any]]:
        return self.workspace.users

    @property
    def channels(self) -> dict[str, dict[str, Any]]:
        return self.workspace.channels

    @property
    def messages(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Messages as they stand now, by (channel, ts), after updates."""
        return self.workspace.messages

    @property
    def views(self) -> dict[str, dict[str, Any]]:
        return self.workspace.views

    @property
    def step_results(self) -> dict[str, dict[str, Any]]:
        """How each workflow step run ended, by function_execution_id: `{"outputs": …}`
        (functions.completeSuccess) or `{"error": …}` (functions.completeError)."""
        return self.workspace.step_results

    def add_user(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """See `Workspace.add_user`: name, real_name, tz, tz_offset, is_bot, deleted."""
        return self.workspace.add_user(user_id, **fields)

    def add_channel(self, channel_id: str, **fields: Any) -> dict[str, Any]:
        """See `Workspace.add_channel`: name, is_private, is_member, members."""
        return self.workspace.add_channel(channel_id, **fields)

    # -- OAuth installs (many workspaces) -------------------------------------------

    def add_workspace(
        self, team_id: str, *, team_domain: str | None = None, enterprise_id: str | None = None
    ) -> Workspace:
        """Another workspace, answered by the calls made with the tokens issued for it."""
        workspace = Workspace(
            team_id=team_id,
            team_domain=team_domain or team_id.lower(),
            user_id=f"U{team_id[1:]}BOT"[:32],
            bot_id=f"B{team_id[1:]}"[:32],
            first_ts=self.workspace.next_number() * 1000,
        )
        self.installs.workspaces[team_id] = workspace
        return workspace

    def grant(
        self,
        team_id: str | None,
        *,
        enterprise_id: str | None = None,
        org_wide: bool = False,
        rotating: bool = False,
        installer: str = "U0INSTALLER",
        scope: str = "commands,chat:write",
    ) -> str:
        """A code, as Slack puts on the redirect after someone approves the install, that
        `oauth.v2.access` trades for a bot token of `team_id` (or of the org, `org_wide`)."""
        where = team_id or enterprise_id
        if where is None:
            raise ValueError("a grant is for a team or, org-wide, an enterprise")
        if where not in self.installs.workspaces:
            self.add_workspace(where)
        return self.installs.grant(
            Grant(team_id, enterprise_id, org_wide, rotating, installer, scope)
        )

    def workspace_of(self, token: str | None) -> Workspace:
        """The workspace a token was issued for (the first one for any other token)."""
        team = self.installs.team_of(token) if token else None
        return self.installs.workspaces[team] if team else self.workspace

    # -- HTTP ----------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        args = await read_args(request)
        header = request.headers.get("Authorization")
        token = bearer(header) or args.pop("token", None)
        for name, value in basic(header).items():  # oauth.v2.access: the app's credentials
            args.setdefault(name, value)
        call = Call(method=request.match_info["method"], args=args, token=token)
        call.team_id = self.workspace_of(token).team_id
        return await self._answer(call, lambda: self._api_answer(call), request)

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return web.Response(status=400, text="invalid_payload")
        args = body if isinstance(body, dict) else {"payload": body}
        call = Call(method=RESPONSE_URL, args=args, url_name=request.match_info["name"])
        return await self._answer(call, lambda: self._response_url_answer(call), request)

    async def _answer(
        self, call: Call, answer: Callable[[], dict[str, Any]], request: web.Request
    ) -> web.Response:
        self.record(call)
        failure = self.take_failure(call.method)
        await self._sleep(self.latency + (failure.delay if failure else 0.0))
        headers: dict[str, str] = {}
        if self._stopping.is_set():  # stopped mid-delay: the call never went through
            status, body = 503, {"ok": False, "error": "service_unavailable"}
        elif failure and failure.status == 0 and request.transport is not None:
            request.transport.close()  # the connection drops: the caller gets no answer
            status, body = 0, {"ok": False, "error": "dropped"}
        elif failure and failure.status == 429:
            retry_after = failure.retry_after if failure.retry_after is not None else 1
            # slack_sdk reads only the first digit of Retry-After: keep it whole seconds.
            headers["Retry-After"] = str(math.ceil(retry_after))
            status, body = 429, {"ok": False, "error": failure.error or "ratelimited"}
        elif failure and failure.status >= 400:
            error = failure.error or _SERVER_ERRORS.get(failure.status, "fatal_error")
            status, body = failure.status, {"ok": False, "error": error}
        elif failure and failure.error:
            status, body = 200, {"ok": False, "error": failure.error}
        else:
            status, body = 200, _ok(answer)
        call.status, call.response = status, body
        self.notify()
        await self._tell(call)
        return web.json_response(body, status=status, headers=headers)

    def _api_answer(self, call: Call) -> dict[str, Any]:
        if call.method == CONNECTIONS_OPEN:
            # App-level tokens only: what Socket Mode connects with.
            if not call.token:
                raise SlackError("not_authed")
            if not call.token.startswith("xapp-"):
                raise SlackError("invalid_auth")
            return {"url": "ws" + self.base_url.removeprefix("http") + SOCKET_PATH}
        if call.method == OAUTH_ACCESS:
            answer = self.installs.access(call.args)
            call.team_id = answer["team"]["id"] if answer["team"] else None
            return answer
        method = METHODS.get(call.method)
        if method is None:
            raise SlackError("unknown_method")
        if not call.token:
            raise SlackError("not_authed")
        if not self._token_ok(call.token):
            raise SlackError("invalid_auth")
        self._validate(call)
        return method(self.workspace_of(call.token), call.args)

    def _response_url_answer(self, call: Call) -> dict[str, Any]:
        self._validate(call)
        channel = self._response_channels.get(call.url_name or "")
        if channel is not None and call.args.get("response_type") == "in_channel":
            call.posted_ts = self.workspace.post(channel, call.args)["ts"]
        return {}

    def _validate(self, call: Call) -> None:
        if self.validator is None or call.method not in _VALIDATED:
            return
        try:
            self.validator(call)
        except Exception as exc:  # any complaint from the validator refuses the call
            error = "invalid_blocks" if "view" not in call.args else "invalid_arguments"
            raise SlackError(error, response_metadata={"messages": [str(exc)]}) from exc

    def _token_ok(self, token: str) -> bool:
        if self.installs.is_revoked(token):
            return False
        if self.installs.knows(token):
            return True
        if token.startswith("xwfp-"):  # a workflow step run's own token (bot_access_token)
            return True
        return token == self.token if self.token is not None else token.startswith("xoxb-")

    async def _sleep(self, seconds: float) -> None:
        if seconds > 0 and not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _tell(self, call: Call) -> None:
        if self.on_call is None:
            return
        try:
            result = self.on_call(call)
            if inspect.isawaitable(result):
                await result
        except Exception:
            logger.exception("LocalSlack on_call failed for %s", call.method)


def _ok(answer: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return {"ok": True, **answer()}
    except SlackError as exc:
        return {"ok": False, "error": exc.error, **exc.extra}
