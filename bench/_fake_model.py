"""A slow OpenAI-compatible model server: every chat completion is a valid answer, late.

    python bench/_fake_model.py --port 8123 --delay 2.0

POST /v1/chat/completions waits `--delay` seconds, then answers the JSON that
bot/model/client.py's schema asks for (a door judgment, or chair questions).
GET /stats says how many completions were asked for. It runs in its own process
so that its work does not share an event loop with the benchmark's timers, and
it exits by itself when the process that started it goes away.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from typing import Any

from _child import exit_with_parent  # type: ignore[import-not-found]
from aiohttp import web

DOOR_ANSWER = {
    "reasons": [
        "It can be rolled back within a day by switching the setting off.",
        "Only one team is affected and no customer data changes.",
    ],
    "door": "two_way",
    "confidence": 0.8,
    "chair_question": "Would I notice this change, and could I get the old way back?",
}
CHAIR_ANSWER = {
    "questions": [
        "What problem of mine does this solve?",
        "What will it cost me to switch?",
        "Who do I call when it breaks?",
    ]
}


def _content(body: dict[str, Any]) -> str:
    schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("name")
    return json.dumps(CHAIR_ANSWER if schema == "chair_questions" else DOOR_ANSWER)


def make_app(delay: float) -> web.Application:
    ids = itertools.count(1)
    counts = {"requests": 0, "answered": 0}

    async def completions(request: web.Request) -> web.Response:
        body = await request.json()
        counts["requests"] += 1
        await asyncio.sleep(delay)
        counts["answered"] += 1
        return web.json_response(
            {
                "id": f"chatcmpl-bench{next(ids):06d}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model") or "gpt-4o-mini",
                "choices": [
                    {
                        "index": 0,
                        "message": {
                            "role": "assistant",
                            "content": _content(body),
                            "refusal": None,
                        },
                        "logprobs": None,
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 100, "completion_tokens": 60, "total_tokens": 160},
            }
        )

    async def stats(_: web.Request) -> web.Response:
        return web.json_response(counts)

    app = web.Application()
    app.router.add_post("/v1/chat/completions", completions)
    app.router.add_get("/stats", stats)
    app.cleanup_ctx.append(exit_with_parent)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=2.0)
    args = parser.parse_args()
    web.run_app(make_app(args.delay), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
