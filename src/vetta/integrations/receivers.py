"""Listeners of other apps' domain signals."""

from __future__ import annotations

import logging
from typing import Any

from vetta.assessments.models import Attempt
from vetta.integrations.services.webhooks import webhook_event_record

log = logging.getLogger(__name__)


def on_attempt_graded(sender: Any, attempt: Attempt, **kwargs: Any) -> None:
    # Runs in the grading worker after the result's commit: a webhook problem must not turn a
    # recorded grading into a failed task, so it is logged instead of raised.
    try:
        webhook_event_record(attempt=attempt)
    except Exception:
        log.exception("recording the webhook deliveries of %s failed", attempt.audit_id)
