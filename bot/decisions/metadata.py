"""The Slack message metadata every decision card carries, so other apps (and Slack's own
surfaces) can tell a Doorway decision from the message itself without reading its words.

Sending metadata needs no scope beyond chat:write and no manifest entry; an app that wants
Slack to tell it of these messages subscribes to `doorway_decision` itself.
"""

from __future__ import annotations

from typing import Any

from storage.models import AnyDecision, DecisionKind, DoorDecision

EVENT_TYPE = "doorway_decision"


def decision_metadata(decision: AnyDecision) -> dict[str, Any]:
    """`{"event_type": "doorway_decision", "event_payload": {id, kind, door, status}}` for a
    /door decision or a /commit one."""
    kind = DecisionKind.DOOR if isinstance(decision, DoorDecision) else DecisionKind.COMMIT
    payload: dict[str, Any] = {
        "id": decision.id,
        "kind": kind.value,
        "door": decision.door,
        "status": decision.status,
    }
    if decision.source_url:
        payload["source_url"] = decision.source_url
    return {"event_type": EVENT_TYPE, "event_payload": payload}
