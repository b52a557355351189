"""Reads of the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from vetta.governance.models import AuditEvent


def audit_event_list(*, subject: str | None = None, limit: int = 100) -> QuerySet[AuditEvent]:
    """The most recent events first, optionally about one subject."""
    events = AuditEvent.objects.order_by("-index")
    if subject is not None:
        events = events.filter(subject=subject)
    return events[:limit]
