"""Writing and verifying the audit trail.

Every service that changes something a candidate's outcome depends on calls ``audit_record`` inside
its own ``transaction.atomic`` block, so the change and its event commit or roll back together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from vetta.governance import chain
from vetta.governance.models import AuditChainHead, AuditEvent

# `system`, `member:6f1c...`, `profile:12`: a kind and an opaque id, never a name or an e-mail.
_PSEUDONYM = re.compile(r"^[a-z][a-z_]*(:[A-Za-z0-9_.-]{1,64})?$")
_ACTION = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")


class AuditError(Exception):
    """An audit event could not be recorded as the rules require."""


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    checked: int
    head_index: int
    head_hash: str
    first_bad_index: int | None = None
    problem: str | None = None


def audit_record(*, actor: str, action: str, subject: str, payload: dict[str, Any]) -> AuditEvent:
    """Appends one event to the chain.

    Precondition: the caller is inside the ``transaction.atomic`` block of the change it records;
    an event written in a transaction of its own could survive a rolled-back change (or vanish
    after a committed one), and the log would lie.
    """
    if not transaction.get_connection().in_atomic_block:
        raise AuditError("audit_record must run inside the transaction of the change it records")
    for name, value in (("actor", actor), ("subject", subject)):
        if not _PSEUDONYM.fullmatch(value):
            raise AuditError(f"{name} {value!r} is not a pseudonymous id such as 'member:<uuid>'")
    if not _ACTION.fullmatch(action):
        raise AuditError(f"action {action!r} must look like 'entity.verb'")
    try:
        digest = chain.payload_digest(payload)
    except chain.PayloadError as exc:
        raise AuditError(str(exc)) from None

    head = _lock_head()
    index = head.last_index + 1
    created_at = timezone.now()
    event = AuditEvent.objects.create(
        index=index,
        created_at=created_at,
        actor=actor,
        action=action,
        subject=subject,
        payload=payload,
        payload_digest=digest,
        prev_hash=head.last_hash,
        hash=chain.event_hash(
            index=index,
            created_at=created_at,
            actor=actor,
            action=action,
            subject=subject,
            payload_digest=digest,
            prev_hash=head.last_hash,
        ),
    )
    head.last_index = index
    head.last_hash = event.hash
    head.save(update_fields=["last_index", "last_hash"])
    return event


def _lock_head() -> AuditChainHead:
    # INSERT ... ON CONFLICT DO NOTHING, then SELECT ... FOR UPDATE: concurrent writers on
    # PostgreSQL queue on this one row, so two events never get the same index or prev_hash.
    # SQLite needs no row lock: settings open every transaction IMMEDIATE, one writer at a time.
    AuditChainHead.objects.bulk_create(
        [AuditChainHead(id=1, last_index=0, last_hash=chain.GENESIS_HASH)], ignore_conflicts=True
    )
    head = AuditChainHead.objects.select_for_update().get(id=1)
    if head.last_index == 0:
        # The head row was lost (e.g. a database flush) while events remain: resume at the tip.
        tip = AuditEvent.objects.order_by("-index").first()
        if tip is not None:
            head.last_index, head.last_hash = tip.index, tip.hash
    return head


def audit_verify() -> VerifyReport:
    """Walks the whole chain and names the first event that is not as it was written.

    Detects an altered field (the row's hash or payload digest no longer matches), a deleted row
    (a gap in the indexes, or a tip shorter than the head remembers) and reordered or spliced rows
    (``prev_hash`` does not match the hash of the event before).
    """
    head = AuditChainHead.objects.filter(id=1).first()
    head_index = head.last_index if head else 0
    head_hash = head.last_hash if head else chain.GENESIS_HASH
    walk = _ChainWalk()
    problem = walk.run()
    if problem is None:
        last = walk.expected_index - 1
        if head_index > last:
            problem = (last + 1, f"the head records #{head_index} but the log ends at #{last}")
        elif head_index < last or (last and head_hash != walk.prev_hash):
            problem = (last, "the chain head does not match the last event")
    if problem is None:
        return VerifyReport(
            ok=True, checked=walk.checked, head_index=head_index, head_hash=head_hash
        )
    return VerifyReport(
        ok=False,
        checked=walk.checked,
        head_index=head_index,
        head_hash=head_hash,
        first_bad_index=problem[0],
        problem=problem[1],
    )


class _ChainWalk:
    """Checks events in index order; stops at the first problem."""

    def __init__(self) -> None:
        self.expected_index = 1
        self.prev_hash = chain.GENESIS_HASH
        self.checked = 0

    def run(self) -> tuple[int, str] | None:
        rows = AuditEvent.objects.order_by("index").values_list(
            "index",
            "created_at",
            "actor",
            "action",
            "subject",
            "payload",
            "payload_digest",
            "prev_hash",
            "hash",
        )
        for row in rows.iterator(chunk_size=2000):
            problem = self._check(row)
            if problem is not None:
                return problem
            self.checked += 1
            self.expected_index += 1
            self.prev_hash = row[-1]
        return None

    def _check(
        self, row: tuple[int, datetime, str, str, str, Any, str, str, str]
    ) -> tuple[int, str] | None:
        index, created_at, actor, action, subject, payload, digest, stored_prev, stored = row
        expected = self.expected_index
        if index != expected:
            missing = f"#{expected}" if index == expected + 1 else f"#{expected}-#{index - 1}"
            return expected, f"event {missing} is missing (deleted?)"
        if stored_prev != self.prev_hash:
            return index, "prev_hash does not match the event before (reordered?)"
        try:
            actual_digest = chain.payload_digest(payload)
        except chain.PayloadError:
            actual_digest = ""
        if actual_digest != digest:
            return index, "payload does not match its digest (altered)"
        recomputed = chain.event_hash(
            index=index,
            created_at=created_at,
            actor=actor,
            action=action,
            subject=subject,
            payload_digest=digest,
            prev_hash=stored_prev,
        )
        if recomputed != stored:
            return index, "hash does not match the row's fields (altered)"
        return None
