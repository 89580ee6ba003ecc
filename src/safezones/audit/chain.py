"""The hash that links each audit event to the one before it (no Django here)."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
FIELDS = ("seq", "at", "actor_id", "actor", "role", "action", "object_type", "object_id", "school_code")


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    values = [_canonical(fields[name]) for name in FIELDS]
    payload = json.dumps([prev_hash, *values], separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    # Databases hand datetimes back in different zones; hash one spelling.
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def find_break(events: Iterable[Mapping[str, Any]], head_seq: int, head_hash: str) -> Break | None:
    """The first event that was changed, removed or moved; None if the chain holds."""
    expected_seq, prev = 1, GENESIS
    for event in events:
        if event["seq"] != expected_seq:
            return Break(expected_seq, "missing: the chain skips from this event to a later one")
        if event["prev_hash"] != prev:
            return Break(event["seq"], "removed or reordered: it does not follow the event before it")
        if event_hash(prev, event) != event["hash"]:
            return Break(event["seq"], "changed: its content no longer matches its hash")
        expected_seq, prev = expected_seq + 1, event["hash"]
    if expected_seq - 1 != head_seq or prev != head_hash:
        return Break(expected_seq, "missing: events were cut from the end of the chain")
    return None
