"""The console draws and fills exactly the Block Kit that Doorway sends, no more, no less."""

from __future__ import annotations

import ast
from pathlib import Path

from console import answers, press, render

ROOT = Path(__file__).resolve().parents[2]

# Slack's vocabulary (api.slack.com/reference/block-kit), to tell blocks from elements
# among the `"type": …` values the code writes (others are text objects, views, events).
SLACK_BLOCKS = frozenset(
    {
        "actions",
        "context",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "table",
        "video",
    }
)
SLACK_ELEMENTS = frozenset(
    {
        "button",
        "channels_select",
        "checkboxes",
        "conversations_select",
        "datepicker",
        "datetimepicker",
        "email_text_input",
        "external_select",
        "file_input",
        "multi_channels_select",
        "multi_conversations_select",
        "multi_external_select",
        "multi_static_select",
        "multi_users_select",
        "number_input",
        "overflow",
        "plain_text_input",
        "radio_buttons",
        "rich_text_input",
        "static_select",
        "timepicker",
        "url_text_input",
        "users_select",
        "workflow_button",
    }
)


def emitted_types() -> set[str]:
    """Every `"type": "<literal>"` in a dict the platform or a room builds."""
    found: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if not isinstance(node, ast.Dict):
                    continue
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if "markdown" in keys:
                    continue  # a canvas's document_content ({"type": "markdown", …}), no block
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "type"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        found.add(value.value)
    return found


def test_the_scan_finds_the_card_and_the_modals() -> None:
    emitted = emitted_types()
    assert {"header", "actions", "input", "button", "datepicker", "mrkdwn"} <= emitted


def test_the_renderer_draws_exactly_the_blocks_doorway_sends() -> None:
    assert set(render.BLOCKS) == emitted_types() & SLACK_BLOCKS


def test_presses_and_forms_handle_exactly_the_elements_doorway_sends() -> None:
    sent = emitted_types() & SLACK_ELEMENTS
    assert set(answers.STATE_KEY) | press.BUTTONS == sent
    assert render.CONTROLS == sent
