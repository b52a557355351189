"""Webhook endpoints and deliveries.

When an attempt is graded, one delivery per subscribed endpoint is recorded with its body fixed,
then sent by the Celery task `vetta.deliver_webhook`: one HTTP request per task run, claimed with a
conditional UPDATE so two copies of a message never send at once, recorded with another that names
the claim. A failed request is retried with exponential backoff up to VETTA_WEBHOOK_MAX_ATTEMPTS
requests in all; a delivered (or abandoned) one is never sent again, whatever message arrives.
Delivery is at least once: a worker that dies between the receiver's answer and the record sends
again, so receivers deduplicate by `Vetta-Event-Id`.
"""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vetta.assessments.models import Attempt
from vetta.assessments.selectors import AttemptResults, attempt_results
from vetta.governance.services import audit_record
from vetta.integrations import delivery as http
from vetta.integrations.errors import IntegrationError, UnsafeWebhookUrl
from vetta.integrations.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from vetta.orgs.models import EDITOR_ROLES, Organisation
from vetta.orgs.services import Actor, actor_audit_id, actor_require

log = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"  # noqa: S105  # the public prefix of every secret
# A worker that claimed a delivery this long ago without recording it is presumed dead: the
# request's own timeout is 10 s, so two minutes leaves room for a slow database.
STALE_CLAIM = timedelta(seconds=120)
# A pending delivery this far past its due time lost its message (an embedded broker that
# crashed); the periodic sweep sends it again.
OVERDUE = timedelta(seconds=300)
_EVENT_NAMESPACE = uuid.UUID("5b0a3c1e-8d2f-4f61-9a57-0c4f7e2b9d10")


@dataclass(frozen=True)
class IssuedEndpoint:
    endpoint: WebhookEndpoint
    secret: str  # shown once by the CLI and the admin; kept to sign deliveries


def _events(events: Sequence[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(events or [WebhookEvent.ATTEMPT_GRADED.value]))
    unknown = [e for e in chosen if e not in WebhookEvent.values]
    if unknown:
        raise IntegrationError(
            f"unknown event(s) {', '.join(unknown)}; known: {', '.join(WebhookEvent.values)}"
        )
    return chosen


@transaction.atomic
def webhook_endpoint_add(
    *,
    organisation: Organisation,
    url: str,
    events: Sequence[str] | None = None,
    description: str = "",
    secret: str | None = None,
    actor: Actor = None,
) -> IssuedEndpoint:
    """Registers `url` for `events` (default: every event). The URL must be http(s) and, unless
    VETTA_WEBHOOK_ALLOW_PRIVATE is set, must not point at a private or loopback address."""
    actor_require(actor, organisation=organisation, roles=EDITOR_ROLES)
    try:
        http.check_url(url, allow_private=settings.VETTA_WEBHOOK_ALLOW_PRIVATE)
    except UnsafeWebhookUrl as exc:
        raise IntegrationError(str(exc)) from None
    if secret is not None and not 24 <= len(secret) <= 128:
        raise IntegrationError("a webhook secret has between 24 and 128 characters")
    secret = secret or SECRET_PREFIX + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        url=url.strip(),
        secret=secret,
        events=_events(events),
        description=" ".join(description.split())[:200],
    )
    audit_record(
        actor=actor_audit_id(actor),
        action="webhook.add",
        subject=endpoint.audit_id,
        payload={"organisation": organisation.audit_id, "events": endpoint.events},
    )
    return IssuedEndpoint(endpoint=endpoint, secret=secret)


@transaction.atomic
def webhook_endpoint_remove(*, endpoint: WebhookEndpoint, actor: Actor = None) -> None:
    """Deletes the endpoint and its delivery history; messages still queued for it find
    nothing to send."""
    actor_require(actor, organisation=endpoint.organisation, roles=EDITOR_ROLES)
    audit_record(
        actor=actor_audit_id(actor),
        action="webhook.remove",
        subject=endpoint.audit_id,
        payload={"organisation": endpoint.organisation.audit_id},
    )
    endpoint.delete()


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def attempt_graded_payload(
    *, attempt: Attempt, event_id: uuid.UUID, results: AttemptResults
) -> dict[str, Any]:
    """The event's JSON. The candidate appears only by pseudonymous id: webhook bodies end up in
    other systems' logs; the API gives the e-mail address to a client with a token."""
    return {
        "id": str(event_id),
        "type": WebhookEvent.ATTEMPT_GRADED.value,
        "created_at": timezone.now().isoformat(),
        "data": {
            "attempt": {
                "id": str(attempt.public_id),
                "status": attempt.status,
                "plan_id": str(attempt.plan.public_id),
                "candidate_id": str(attempt.candidate.public_id),
                "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
                "overall_score": _score(results.overall),
                "items": [
                    {
                        "exercise": r.item.exercise.slug,
                        "version": r.item.exercise.version,
                        "title": r.item.exercise.title,
                        "weight": r.item.weight,
                        "status": r.status,
                        "score": _score(r.score),
                        "verdict": r.run.verdict if r.run is not None and r.run.verdict else None,
                    }
                    for r in results.items
                ],
                "results_url": (
                    f"{settings.VETTA_BASE_URL}/api/v1/attempts/{attempt.public_id}/results"
                ),
            }
        },
    }


def _graded_event_id(attempt: Attempt, results: AttemptResults) -> uuid.UUID:
    # The same graded state always gives the same id (two results recorded at the same moment
    # both announce it); a regrade gives new runs, hence a new event.
    runs = sorted(str(r.run.run_id) for r in results.items if r.run is not None)
    return uuid.uuid5(_EVENT_NAMESPACE, f"attempt.graded:{attempt.public_id}:{','.join(runs)}")


def _enqueuer(delivery_id: int) -> Callable[[], None]:
    def enqueue() -> None:
        from vetta.integrations.tasks import deliver_webhook_task

        deliver_webhook_task.delay(delivery_id)

    return enqueue


def webhook_event_record(*, attempt: Attempt) -> list[WebhookDelivery]:
    """One delivery of `attempt.graded` per active endpoint of the attempt's organisation that
    subscribes to it, each sent after commit; an event already recorded is not recorded again."""
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(
            organisation_id=attempt.plan.organisation_id, active=True
        )
        if WebhookEvent.ATTEMPT_GRADED.value in e.events
    ]
    if not endpoints:
        return []
    results = attempt_results(attempt=attempt)
    event_id = _graded_event_id(attempt, results)
    body = json.dumps(
        attempt_graded_payload(attempt=attempt, event_id=event_id, results=results),
        separators=(",", ":"),
        sort_keys=True,
    )
    created: list[WebhookDelivery] = []
    with transaction.atomic():
        for endpoint in endpoints:
            delivery, new = WebhookDelivery.objects.get_or_create(
                endpoint=endpoint,
                event_id=event_id,
                defaults={
                    "event_type": WebhookEvent.ATTEMPT_GRADED.value,
                    "body": body,
                    "next_attempt_at": timezone.now(),
                },
            )
            if new:
                created.append(delivery)
                transaction.on_commit(_enqueuer(delivery.pk))
    return created


def backoff_seconds(attempts_made: int) -> int:
    """Wait after the n-th failed request: the base (60 s by default), then twice, four times…"""
    return int(settings.VETTA_WEBHOOK_BACKOFF_SECONDS * 2 ** (attempts_made - 1))


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str  # the delivery's status afterwards, or "missing"
    sent: bool  # whether this call made a request
    retry_in: int | None = None  # seconds until the next request, when one is due


def _claim(delivery_id: int) -> uuid.UUID | None:
    claim, now = uuid.uuid4(), timezone.now()
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .filter(Q(claim__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM))
        .update(claim=claim, claimed_at=now)
    )
    return claim if claimed == 1 else None


def _give_up(delivery_id: int, claim: uuid.UUID, reason: str) -> DeliveryOutcome:
    WebhookDelivery.objects.filter(pk=delivery_id, claim=claim).update(
        status=DeliveryStatus.FAILED,
        claim=None,
        claimed_at=None,
        last_error=reason,
        finished_at=timezone.now(),
    )
    return DeliveryOutcome(status=DeliveryStatus.FAILED, sent=False)


def webhook_delivery_attempt(*, delivery_id: int) -> DeliveryOutcome:
    """Makes the next request of a pending delivery, records it, and says when to retry.

    Nothing is sent if the delivery is already delivered or abandoned (a redelivered message),
    or if another worker is sending it right now.
    """
    claim = _claim(delivery_id)
    if claim is None:
        status = (
            WebhookDelivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
        )
        return DeliveryOutcome(status=status or "missing", sent=False)
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    number = delivery.attempts + 1
    limit = settings.VETTA_WEBHOOK_MAX_ATTEMPTS
    if number > limit:
        return _give_up(delivery_id, claim, f"gave up after {delivery.attempts} requests")
    if not delivery.endpoint.active:
        return _give_up(delivery_id, claim, "the endpoint was disabled")
    started_at = timezone.now()
    result = http.send(
        url=delivery.endpoint.url,
        secret=delivery.endpoint.secret,
        body=delivery.body.encode(),
        headers={
            "Vetta-Event": delivery.event_type,
            "Vetta-Event-Id": str(delivery.event_id),
            "Vetta-Delivery-Attempt": str(number),
        },
        allow_private=settings.VETTA_WEBHOOK_ALLOW_PRIVATE,
    )
    now = timezone.now()
    retry_in: int | None = None
    if result.ok:
        status = DeliveryStatus.DELIVERED
    elif result.refused or number >= limit:
        status = DeliveryStatus.FAILED
    else:
        status = DeliveryStatus.PENDING
        retry_in = backoff_seconds(number)
    with transaction.atomic():
        recorded = WebhookDelivery.objects.filter(pk=delivery_id, claim=claim).update(
            status=status,
            attempts=number,
            claim=None,
            claimed_at=None,
            last_status_code=result.status_code,
            last_error=result.error,
            next_attempt_at=now + timedelta(seconds=retry_in) if retry_in is not None else None,
            finished_at=None if status == DeliveryStatus.PENDING else now,
        )
        if recorded != 1:
            # Our claim went stale and another worker took over; its record is the one kept.
            log.warning("webhook delivery %s: result of a stale claim discarded", delivery_id)
            return DeliveryOutcome(status=DeliveryStatus.PENDING, sent=True)
        WebhookAttempt.objects.create(
            delivery_id=delivery_id,
            number=number,
            started_at=started_at,
            duration_ms=result.duration_ms,
            status_code=result.status_code,
            error=result.error,
        )
    if status != DeliveryStatus.DELIVERED:
        log.warning(
            "webhook delivery %s request %s/%s failed: %s", delivery_id, number, limit, result.error
        )
    return DeliveryOutcome(status=status, sent=True, retry_in=retry_in)


def webhook_deliveries_resume() -> list[int]:
    """Sends again pending deliveries whose message was lost (long overdue) or whose worker
    died mid-request (stale claim); run periodically. Returns their ids."""
    now = timezone.now()
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(claim__isnull=True, next_attempt_at__lt=now - OVERDUE)
        | Q(claim__isnull=False, claimed_at__lt=now - STALE_CLAIM)
    )
    resumed: list[int] = []
    for delivery_id, claim in due.values_list("pk", "claim"):
        with transaction.atomic():
            # Pushing the due time forward keeps the next sweep from sending it yet again.
            if WebhookDelivery.objects.filter(pk=delivery_id, claim=claim).update(
                next_attempt_at=now, claim=None, claimed_at=None
            ):
                resumed.append(delivery_id)
                transaction.on_commit(_enqueuer(delivery_id))
    return resumed
