"""Celery tasks of webhooks: thin wrappers around one service each."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from vetta.integrations.services.webhooks import (
    webhook_deliveries_resume,
    webhook_delivery_attempt,
)


@shared_task(
    name="vetta.deliver_webhook", bind=True, acks_late=True, ignore_result=True, max_retries=None
)
def deliver_webhook_task(self: Any, delivery_id: int) -> str:
    """One request of a delivery; on failure, the same task again after the backoff. The bound
    on requests is kept in the database (VETTA_WEBHOOK_MAX_ATTEMPTS), not in Celery's retry
    count, so a redelivered message cannot exceed it."""
    outcome = webhook_delivery_attempt(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="vetta.resume_webhook_deliveries", ignore_result=True)
def resume_webhook_deliveries_task() -> int:
    return len(webhook_deliveries_resume())
