"""Celery tasks: thin wrappers that call one service each.

Grading tasks run with acks_late and prefetch 1 (settings): a worker that dies mid-run leaves
its message to be redelivered, and the claim in `grading_run_execute` makes a redelivery harmless.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from vetta.assessments.models import Attempt
from vetta.assessments.services.attempts import attempt_variants_prepare, attempts_expire_due
from vetta.assessments.services.grading import grading_run_execute, grading_runs_reap


@shared_task(name="vetta.grade_run", acks_late=True, ignore_result=True)
def grade_run_task(run_id: str) -> bool:
    return grading_run_execute(run_id=run_id)


@shared_task(name="vetta.reap_grading_runs", ignore_result=True)
def reap_grading_runs_task() -> dict[str, Any]:
    return grading_runs_reap().as_dict()


@shared_task(name="vetta.expire_attempts", ignore_result=True)
def expire_attempts_task() -> int:
    return attempts_expire_due()


@shared_task(name="vetta.prepare_attempt", ignore_result=True)
def prepare_attempt_task(attempt_id: int) -> int:
    attempt = Attempt.objects.filter(pk=attempt_id).first()
    return attempt_variants_prepare(attempt=attempt) if attempt is not None else 0
