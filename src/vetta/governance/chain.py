"""Pure hashing rules of the audit chain, shared by the writer and the verifier."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64

JsonValue = None | bool | int | str | list["JsonValue"] | dict[str, "JsonValue"]


class PayloadError(ValueError):
    """The payload cannot be hashed reproducibly."""


def _check(value: Any, where: str) -> None:
    # Floats are refused: their text form differs between databases and JSON libraries, and a
    # digest that changes on a round trip through PostgreSQL's jsonb would look like tampering.
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, list):
        for position, item in enumerate(value):
            _check(item, f"{where}[{position}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise PayloadError(f"{where}: keys must be strings, got {key!r}")
            _check(item, f"{where}.{key}")
        return
    raise PayloadError(f"{where}: {type(value).__name__} is not allowed in an audit payload")


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the same bytes for the same data, on any database."""
    _check(value, "payload")
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def payload_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def timestamp_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(
    *,
    index: int,
    created_at: datetime,
    actor: str,
    action: str,
    subject: str,
    payload_digest: str,
    prev_hash: str,
) -> str:
    """SHA-256 over the canonical row and the previous event's hash."""
    row = {
        "index": index,
        "created_at": timestamp_text(created_at),
        "actor": actor,
        "action": action,
        "subject": subject,
        "payload_digest": payload_digest,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(row)).hexdigest()
