"""What the model must answer: the replies as pydantic models, and the JSON schemas sent for them.

The schemas are generated from the models, in the form OpenAI's strict structured outputs take
(every object closed, every property required, `$ref`s inlined) and kept to the subset every
strict server accepts: types, enum, items, required, additionalProperties and descriptions.
The bounds (lengths, counts, 0 to 1) are enforced by pydantic, after the reply.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from bot.decisions.judgment import Door

MAX_REASONS = 5
MAX_REASON_CHARS = 200
MAX_QUESTION_CHARS = 300
MAX_CHAIR_QUESTIONS = 10


def _shorten(text: str, limit: int) -> str:
    """Collapse whitespace and cut at a word boundary, ending with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"


def _clean_lines(items: list[str], *, limit: int, keep: int) -> list[str]:
    cleaned = [_shorten(item, limit) for item in items]
    return [item for item in cleaned if item][:keep]


class DoorReply(BaseModel):
    # Reasons come before the door so the model argues first and concludes second.
    reasons: list[str] = Field(
        description=f"1 to {MAX_REASONS} short sentences on how hard this is to undo."
    )
    door: Door
    confidence: float = Field(ge=0.0, le=1.0, description="How sure, from 0 to 1.")
    chair_question: str = Field(description="One short question the absent customer would ask.")

    @field_validator("reasons")
    @classmethod
    def _reasons(cls, value: list[str]) -> list[str]:
        reasons = _clean_lines(value, limit=MAX_REASON_CHARS, keep=MAX_REASONS)
        if not reasons:
            raise ValueError("no reasons")
        return reasons

    @field_validator("chair_question")
    @classmethod
    def _question(cls, value: str) -> str:
        question = _shorten(value, MAX_QUESTION_CHARS)
        if not question:
            raise ValueError("empty chair question")
        return question


class ChairReply(BaseModel):
    questions: list[str] = Field(description="Short questions in the absent customer's voice.")

    @field_validator("questions")
    @classmethod
    def _questions(cls, value: list[str]) -> list[str]:
        questions = _clean_lines(value, limit=MAX_QUESTION_CHARS, keep=MAX_CHAIR_QUESTIONS)
        if not questions:
            raise ValueError("no questions")
        return questions


# What a strict server accepts; pydantic's titles, bounds and defaults are left out.
_STRICT_KEYS = ("type", "description", "enum", "items", "properties", "anyOf")


def strict_schema(model: type[BaseModel]) -> dict[str, object]:
    """`model`'s JSON schema as a strict `json_schema` response_format takes it."""
    schema = model.model_json_schema()
    return _strict(schema, schema.get("$defs", {}))


def _strict(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        target = defs[node["$ref"].rsplit("/", 1)[-1]]
        return _strict({**target, **{k: v for k, v in node.items() if k != "$ref"}}, defs)
    strict: dict[str, Any] = {}
    for key in _STRICT_KEYS:
        if key not in node:
            continue
        value = node[key]
        if key == "items":
            value = _strict(value, defs)
        elif key == "properties":
            value = {name: _strict(sub, defs) for name, sub in value.items()}
        elif key == "anyOf":
            value = [_strict(sub, defs) for sub in value]
        strict[key] = value
    if strict.get("type") == "object":
        strict["required"] = list(strict.get("properties", {}))
        strict["additionalProperties"] = False
    return strict


DOOR_SCHEMA = strict_schema(DoorReply)
CHAIR_SCHEMA = strict_schema(ChairReply)


# --- The raw reply ----------------------------------------------------------------------------
# Parsed here rather than through the SDK's types: without strict response validation the SDK
# hands back half-built objects (or a bare string) for a malformed body, and with it, harmless
# differences in other OpenAI-compatible servers would be rejected.


class Message(BaseModel):
    content: str | None = None
    refusal: str | None = None


class Choice(BaseModel):
    message: Message
    finish_reason: str | None = None


class Completion(BaseModel):
    choices: list[Choice] = Field(min_length=1)
