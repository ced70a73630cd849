"""Block Kit validation for tests: would Slack accept what the bot sends?

The JSON Schema (tests/data/slack-block-kit.schema.json, MIT, see its LICENSE
file) checks each block, element and text limit. The rules that need the whole
payload are checked here: blocks per surface, unique block_ids, unique
action_ids within a block, the cumulative markdown budget, a fallback `text`.

`assert_valid_call` fits `LocalSlack(validator=...)`, so a bad payload is
refused the way Slack refuses it (`invalid_blocks`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

SCHEMA_PATH = Path(__file__).parent / "data" / "slack-block-kit.schema.json"
MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
MAX_MESSAGE_TEXT = 40_000
MAX_MARKDOWN_TOTAL = 12_000
_MESSAGE_METHODS = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.update",
        "chat.scheduleMessage",
        "response_url",
    }
)
_VIEW_METHODS = frozenset({"views.open", "views.push", "views.update", "views.publish"})


class BlockKitError(AssertionError):
    """Slack would refuse this payload."""


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def _validator(definition: str | None = None) -> Draft202012Validator:
    """A validator for the whole blocks array, or for one `$defs` entry."""
    schema = _schema()
    if definition is None:
        return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    # The defs use "#/$defs/..." refs, which resolve against the schema's $id.
    registry: Registry = Registry().with_resource(schema["$id"], Resource.from_contents(schema))
    return Draft202012Validator(
        {"$ref": f"{schema['$id']}#/$defs/{definition}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@cache
def _block_defs() -> dict[str, str]:
    """Block type (e.g. "section") -> its `$defs` name (e.g. "section_block")."""
    defs = _schema()["$defs"]
    names = [ref["$ref"].rsplit("/", 1)[1] for ref in defs["block"]["oneOf"]]
    return {defs[name]["properties"]["type"]["const"]: name for name in names}


def _errors(
    validator: Draft202012Validator, instance: Any, where: str, skip: str | None = None
) -> list[str]:
    errors = validator.iter_errors(instance)
    found = [leaf for e in errors if list(e.path)[:1] != [skip] for leaf in _leaves(e)]
    found.sort(key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{where}{_path(e.absolute_path)}: {_describe(e)}" for e in found[:10]]


def _leaves(error: ValidationError) -> list[ValidationError]:
    """Look inside "not valid under any of the given schemas" for the real reason.

    Block Kit unions are discriminated by `type`: drop the branches whose `type`
    did not match, and if one branch is left, report its errors instead.
    """
    if not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    matching = [
        subs
        for subs in branches.values()
        if not any(s.validator == "const" and list(s.relative_path)[-1:] == ["type"] for s in subs)
    ]
    if len(matching) != 1:
        return [error]
    return [leaf for sub in matching[0] for leaf in _leaves(sub)]


def _describe(error: ValidationError) -> str:
    if error.validator in ("maxLength", "minLength"):
        return f"{len(error.instance)} characters; {error.validator} is {error.validator_value}"
    if error.validator in ("maxItems", "minItems"):
        return f"{len(error.instance)} items; {error.validator} is {error.validator_value}"
    message = str(error.message)
    return message if len(message) <= 200 else message[:199] + "…"


def _path(parts: Any) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _raise(problems: list[str], what: str) -> None:
    if problems:
        raise BlockKitError(f"invalid {what}:\n  " + "\n  ".join(problems))


def _walk(node: Any, skip: frozenset[str] = frozenset()) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
        for key, value in node.items():
            if key not in skip:
                yield from _walk(value, skip)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, skip)


def _block_problems(blocks: Any, surface: str, where: str = "blocks") -> list[str]:
    if not isinstance(blocks, list):
        return [f"{where}: expected a list of blocks, got {type(blocks).__name__}"]
    problems: list[str] = []
    limit = MAX_BLOCKS[surface]
    if not blocks:
        # An empty list clears a message's blocks; views need at least one.
        return [] if surface == "message" else [f"{where}: empty; a {surface} needs a block"]
    if len(blocks) > limit:
        problems.append(f"{where}: {len(blocks)} blocks; a {surface} allows {limit}")
    block_defs = _block_defs()
    for i, block in enumerate(blocks):
        kind = block.get("type") if isinstance(block, Mapping) else None
        if kind not in block_defs:
            problems.append(f"{where}[{i}]: unknown block type {kind!r}")
            continue
        problems += _errors(_validator(block_defs[kind]), block, f"{where}[{i}]")
        counts = Counter(
            n["action_id"] for n in _walk(block, frozenset({"child_blocks"})) if "action_id" in n
        )
        problems += [
            f"{where}[{i}]: action_id {a!r} used {n} times in one block"
            for a, n in counts.items()
            if n > 1
        ]
    block_ids = Counter(n["block_id"] for n in _walk(blocks) if "block_id" in n)
    problems += [f"{where}: block_id {b!r} used {n} times" for b, n in block_ids.items() if n > 1]
    markdown = sum(
        len(b.get("text", ""))
        for b in blocks
        if isinstance(b, Mapping) and b.get("type") == "markdown"
    )
    if markdown > MAX_MARKDOWN_TOTAL:
        problems.append(
            f"{where}: {markdown} characters of markdown blocks; max {MAX_MARKDOWN_TOTAL}"
        )
    if not problems:  # the whole-array schema is the final word
        problems += _errors(_validator(), blocks, where)
    return problems


def assert_valid_blocks(blocks: Any, *, surface: str = "message") -> None:
    """Raise BlockKitError unless `blocks` is a blocks array Slack accepts on `surface`."""
    if surface not in MAX_BLOCKS:
        raise ValueError(f"surface must be one of {sorted(MAX_BLOCKS)}, not {surface!r}")
    _raise(_block_problems(blocks, surface), f"{surface} blocks")


def assert_valid_view(view: Any) -> None:
    """Raise BlockKitError unless `view` is a modal or home view Slack accepts."""
    kind = view.get("type") if isinstance(view, Mapping) else None
    if kind not in ("modal", "home"):
        raise BlockKitError(f"invalid view: type must be 'modal' or 'home', not {kind!r}")
    # Blocks get the clearer per-block report; the view schema checks the rest.
    problems = _errors(_validator(f"{kind}_view"), view, "view", skip="blocks")
    if "blocks" in view:
        problems += _block_problems(view["blocks"], kind, "view.blocks")
    _raise(problems, f"{kind} view")


def assert_valid_message(args: Mapping[str, Any]) -> None:
    """Raise BlockKitError unless a chat.* / response_url payload is one Slack accepts.

    Blocks, if any, must be valid, and `text` must be there as the notification
    and screen-reader fallback.
    """
    if args.get("delete_original"):
        return
    problems: list[str] = []
    text = args.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append("text: missing; Slack needs it as the fallback for blocks")
    elif len(text) > MAX_MESSAGE_TEXT:
        problems.append(f"text: {len(text)} characters; max {MAX_MESSAGE_TEXT}")
    if args.get("response_type") not in (None, "ephemeral", "in_channel"):
        problems.append(f"response_type: {args['response_type']!r}")
    if "blocks" in args:
        problems += _block_problems(_decoded(args["blocks"]), "message")
    for i, attachment in enumerate(_decoded(args.get("attachments")) or []):
        if isinstance(attachment, Mapping) and "blocks" in attachment:
            problems += _block_problems(attachment["blocks"], "message", f"attachments[{i}].blocks")
    _raise(problems, "message")


def assert_valid_call(call: Any) -> None:
    """Validate a recorded LocalSlack call by its method; other methods pass."""
    if call.method in _MESSAGE_METHODS:
        assert_valid_message(call.args)
    elif call.method in _VIEW_METHODS:
        assert_valid_view(_decoded(call.args.get("view")))


def _decoded(value: Any) -> Any:
    """Form-encoded payloads carry blocks as JSON strings."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value
