"""The JSON schemas sent to the model are its reply models, in the form strict servers take."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from bot.model.replies import CHAIR_SCHEMA, DOOR_SCHEMA, strict_schema


def test_door_schema_is_the_reply_model_in_strict_form() -> None:
    assert DOOR_SCHEMA == {
        "type": "object",
        "properties": {
            "reasons": {
                "type": "array",
                "items": {"type": "string"},
                "description": "1 to 5 short sentences on how hard this is to undo.",
            },
            "door": {"type": "string", "enum": ["one_way", "two_way"]},
            "confidence": {"type": "number", "description": "How sure, from 0 to 1."},
            "chair_question": {
                "type": "string",
                "description": "One short question the absent customer would ask.",
            },
        },
        "required": ["reasons", "door", "confidence", "chair_question"],
        "additionalProperties": False,
    }
    # Reasons first: the model argues before it concludes.
    properties: dict[str, object] = DOOR_SCHEMA["properties"]  # type: ignore[assignment]
    assert list(properties) == ["reasons", "door", "confidence", "chair_question"]


def test_chair_schema_is_the_reply_model_in_strict_form() -> None:
    assert CHAIR_SCHEMA == {
        "type": "object",
        "properties": {
            "questions": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Short questions in the absent customer's voice.",
            },
        },
        "required": ["questions"],
        "additionalProperties": False,
    }


class _Colour(StrEnum):
    RED = "red"


class _Inner(BaseModel):
    colour: _Colour = _Colour.RED
    note: str | None = Field(default=None, max_length=10)


class _Outer(BaseModel):
    inner: _Inner
    items: list[_Inner] = Field(min_length=1)


def test_nested_models_are_inlined_closed_and_fully_required() -> None:
    inner = {
        "type": "object",
        "properties": {
            "colour": {"type": "string", "enum": ["red"]},
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
        "required": ["colour", "note"],
        "additionalProperties": False,
    }
    assert strict_schema(_Outer) == {
        "type": "object",
        "properties": {"inner": inner, "items": {"type": "array", "items": inner}},
        "required": ["inner", "items"],
        "additionalProperties": False,
    }
