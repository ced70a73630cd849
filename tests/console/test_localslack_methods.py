"""LocalSlack implements exactly the Web API methods the platform and the rooms call."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from types import MappingProxyType

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from console.localslack.methods import METHODS
from console.localslack.server import IMPLEMENTED

ROOT = Path(__file__).resolve().parents[2]
_API_NAME = re.compile(r"""api_call\(\s*["']([a-zA-Z.]+)["']""")
# Calls slack_bolt and slack_sdk make for Doorway with the client it gives them: trading an
# install's code, and refreshing a rotating token, are oauth.v2.access.
_ON_OUR_BEHALF = {"AsyncOAuthFlow(": "oauth.v2.access", "AsyncTokenRotator(": "oauth.v2.access"}


def _api_name(attribute: str) -> str | None:
    """The Web API method an AsyncWebClient method calls (`chat_postMessage` →
    `chat.postMessage`), read from slack_sdk's own source; None if it calls none."""
    method = getattr(AsyncWebClient, attribute, None)
    if method is None or not inspect.iscoroutinefunction(method) or attribute == "api_call":
        return None
    found = _API_NAME.findall(inspect.getsource(method))
    return found[0] if len(found) == 1 else None


def called_methods() -> dict[str, set[str]]:
    """Every Web API method called in bot/ and handlers/: `client.<method>(…)` on any
    receiver, and `api_call("<name>")` with a literal name; each with where it is called."""
    called: dict[str, set[str]] = {}
    for folder in ("bot", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            source = path.read_text("utf-8")
            for made, method in _ON_OUR_BEHALF.items():
                if made in source:
                    called.setdefault(method, set()).add(f"{path.relative_to(ROOT)} ({made})")
            tree = ast.parse(source, filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                    continue
                name = _api_name(node.func.attr)
                if node.func.attr == "api_call" and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        name = first.value
                if name is not None:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    called.setdefault(name, set()).add(where)
                # A workflow step's listener ends its run with Bolt's `complete` and `fail`,
                # which call these two for it.
                if node.func.attr == "function" and isinstance(node.func.value, ast.Name):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    for ended in ("functions.completeSuccess", "functions.completeError"):
                        called.setdefault(ended, set()).add(where)
    return called


def test_the_scan_sees_the_calls_it_should() -> None:
    called = called_methods()
    # One from the platform, one from a room, one wrapped over several lines.
    assert "auth.test" in called and "chat.postMessage" in called
    assert any(w.startswith("handlers/chair") for w in called["conversations.history"])


def test_localslack_implements_every_method_doorway_calls() -> None:
    missing = {m: sorted(w) for m, w in called_methods().items() if m not in IMPLEMENTED}
    assert missing == {}, "LocalSlack lacks methods Doorway calls"


def test_localslack_implements_no_method_nobody_calls() -> None:
    unused = sorted(IMPLEMENTED - called_methods().keys())
    assert unused == [], "LocalSlack implements methods Doorway never calls"


def test_nothing_adds_a_method_at_run_time() -> None:
    assert isinstance(METHODS, MappingProxyType)
    with pytest.raises(TypeError):
        METHODS["conversations.replies"] = lambda ws, args: {}  # type: ignore[index]
    sources = [p for p in (ROOT / "console").rglob("*.py")]
    patched = [
        str(p.relative_to(ROOT))
        for p in sources
        if re.search(r"\.methods\[|\.methods\.(setdefault|update)|METHODS\[", p.read_text())
        and p.name != "methods.py"
    ]
    assert patched == []
