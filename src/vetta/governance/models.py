"""The audit trail (GOVERNANCE.md G1): an append-only, SHA-256 hash-chained log of events.

Rows hold pseudonymous ids only (``member:<uuid>``, ``profile:<id>``), never names or e-mail
addresses, so erasing a candidate's personal data (G7) leaves the chain intact and verifiable.
"""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """One event, never updated or deleted: on PostgreSQL a trigger refuses both (0002)."""

    index = models.PositiveBigIntegerField(unique=True, help_text="Gapless position in the chain.")
    created_at = models.DateTimeField()
    actor = models.CharField(max_length=80, help_text="Pseudonymous id of who acted.")
    action = models.CharField(max_length=80)
    subject = models.CharField(max_length=80, help_text="Pseudonymous id of what changed.")
    payload = models.JSONField(default=dict, help_text="Details without personal data.")
    payload_digest = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["index"]
        constraints = [
            models.CheckConstraint(condition=models.Q(index__gte=1), name="audit_index_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.action} {self.subject}"


class AuditChainHead(models.Model):
    """The single row that writers lock to append, and that remembers the tip of the chain.

    Locking this row (``SELECT ... FOR UPDATE``) serialises writers on PostgreSQL so indexes stay
    gapless; remembering the tip lets ``audit_verify`` notice events deleted from the end, which a
    walk of the chain alone cannot see.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_index = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row"),
        ]

    def __str__(self) -> str:
        return f"audit head #{self.last_index}"
