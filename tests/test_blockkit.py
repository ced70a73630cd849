"""tests/blockkit.py catches what Slack would refuse, and passes what it accepts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.blockkit import (
    BlockKitError,
    assert_valid_blocks,
    assert_valid_message,
    assert_valid_view,
)


def button(action_id: str, text: str = "Go") -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": text}}


def card() -> list[dict[str, Any]]:
    return [
        {"type": "header", "text": {"type": "plain_text", "text": "Two-way door"}},
        {
            "type": "section",
            "block_id": "decision",
            "text": {"type": "mrkdwn", "text": "*Try a blue button*"},
            "accessory": button("overrule", "Overrule"),
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Sized by rules"}]},
        {"type": "divider"},
        {
            "type": "actions",
            "block_id": "card_actions",
            "elements": [button("share"), button("review")],
        },
    ]


def modal(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "commit",
        "title": {"type": "plain_text", "text": "Disagree and commit"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": blocks,
    }


def test_valid_card_passes() -> None:
    assert_valid_blocks(card())
    assert_valid_blocks(card(), surface="home")
    assert_valid_message({"channel": "C1", "text": "Two-way door", "blocks": card()})
    assert_valid_message({"channel": "C1", "text": "t", "blocks": json.dumps(card())})


def test_valid_views_pass() -> None:
    text_input = {
        "type": "input",
        "block_id": "decision",
        "label": {"type": "plain_text", "text": "Decision"},
        "element": {"type": "plain_text_input", "action_id": "text"},
    }
    assert_valid_view(modal([text_input]))
    assert_valid_view({"type": "home", "blocks": card()})


def test_over_long_button_text_fails() -> None:
    blocks = [{"type": "actions", "elements": [button("go", "x" * 76)]}]
    with pytest.raises(BlockKitError, match=r"elements\[0\]\.text\.text: 76 characters"):
        assert_valid_blocks(blocks)


def test_limits_the_schema_checks_are_reported() -> None:
    long_section = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    with pytest.raises(BlockKitError, match="3001 characters"):
        assert_valid_blocks(long_section)
    long_header = [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]
    with pytest.raises(BlockKitError, match="151 characters"):
        assert_valid_blocks(long_header)


def test_fifty_one_blocks_fail_in_a_message_but_not_in_a_modal() -> None:
    blocks = [{"type": "divider"}] * 51
    with pytest.raises(BlockKitError, match="51 blocks; a message allows 50"):
        assert_valid_blocks(blocks)
    assert_valid_blocks(blocks, surface="modal")
    with pytest.raises(BlockKitError):
        assert_valid_blocks([{"type": "divider"}] * 101, surface="home")


def test_bad_block_type_fails() -> None:
    with pytest.raises(BlockKitError, match="unknown block type 'sektion'"):
        assert_valid_blocks([{"type": "sektion", "text": {"type": "mrkdwn", "text": "x"}}])


def test_unknown_field_fails() -> None:
    with pytest.raises(BlockKitError, match="Additional properties"):
        assert_valid_blocks([{"type": "divider", "colour": "blue"}])


def test_duplicate_ids_fail() -> None:
    blocks = card() + [
        {"type": "section", "block_id": "decision", "text": {"type": "mrkdwn", "text": "again"}}
    ]
    with pytest.raises(BlockKitError, match="block_id 'decision' used 2 times"):
        assert_valid_blocks(blocks)
    twice = [{"type": "actions", "elements": [button("go"), button("go")]}]
    with pytest.raises(BlockKitError, match="action_id 'go' used 2 times"):
        assert_valid_blocks(twice)
    # The same action_id in two different blocks is fine.
    assert_valid_blocks([{"type": "actions", "elements": [button("go")]}] * 2)


def test_message_needs_fallback_text() -> None:
    with pytest.raises(BlockKitError, match="text: missing"):
        assert_valid_message({"channel": "C1", "blocks": card()})
    assert_valid_message({"delete_original": True})
    assert_valid_message({"channel": "C1", "text": "plain only"})


def test_views_are_checked() -> None:
    with pytest.raises(BlockKitError, match="title.text: 30 characters"):
        assert_valid_view({**modal(card()), "title": {"type": "plain_text", "text": "x" * 30}})
    with pytest.raises(BlockKitError, match="type must be"):
        assert_valid_view({"type": "dialog", "blocks": card()})
    with pytest.raises(BlockKitError, match="unknown block type"):
        assert_valid_view({"type": "home", "blocks": [{"type": "nope"}]})
