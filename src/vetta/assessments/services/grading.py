"""Grading runs from queue to result: claimed once, heartbeating while they work, recorded once.

The race-free claim is a conditional UPDATE (`status=queued` → `running` with a fresh claim id);
the result is recorded by another that names that claim, so a redelivered message, a duplicate
enqueue, or a worker the reaper gave up on can never record a second result. A worker that dies
mid-run stops heartbeating; `grading_runs_reap` re-queues its run (bounded), then fails it for the
platform's reasons so the candidate can resubmit without penalty.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from vetta.assessments.models import AttemptStatus, GradingRun, RunKind, RunStatus
from vetta.assessments.signals import attempt_graded
from vetta.governance.services import audit_record
from vetta.grading.contract import (
    ExerciseRef,
    GradingRequest,
    GradingResult,
    SubmittedFile,
)

log = logging.getLogger(__name__)


def grading_run_enqueue(run: GradingRun) -> None:
    """Sends the run to the queue once the transaction that created it commits (a worker must
    never look for a row that does not exist yet)."""
    from vetta.assessments.tasks import grade_run_task

    run_id = str(run.run_id)
    transaction.on_commit(lambda: grade_run_task.delay(run_id))


def worker_identity() -> str:
    """This grading process as operators find it: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def grading_run_claim(*, run_id: str) -> uuid.UUID | None:
    """The claim id if this worker now owns the run; None if another owns it or it is done."""
    claim = uuid.uuid4()
    now = timezone.now()
    claimed = GradingRun.objects.filter(run_id=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        claim=claim,
        worker=worker_identity()[:255],
        deliveries=F("deliveries") + 1,
        started_at=now,
        heartbeat_at=now,
    )
    return claim if claimed == 1 else None


def grading_run_heartbeat(*, run_id: str, claim: uuid.UUID) -> bool:
    return (
        GradingRun.objects.filter(run_id=run_id, claim=claim, status=RunStatus.RUNNING).update(
            heartbeat_at=timezone.now()
        )
        == 1
    )


def _request(run: GradingRun) -> GradingRequest:
    files = run.files if run.kind == RunKind.PUBLIC_TESTS else run.submission.files  # type: ignore[union-attr]
    return GradingRequest(
        run_id=str(run.run_id),
        exercise=ExerciseRef(slug=run.item.exercise.slug, version=run.item.exercise.version),
        variant_seed=run.item.variant_seed,
        files=[SubmittedFile.model_validate(f) for f in files],
    )


def _grade(run: GradingRun) -> GradingResult:
    from vetta.assessments.services.bank import bank_package
    from vetta.grading.engine import GradeOptions, grade
    from vetta.grading.public_tests import run_public_tests

    request = _request(run)
    options = GradeOptions(unsafe_no_sandbox=settings.VETTA_UNSAFE_NO_SANDBOX)
    package = bank_package(run.item.exercise)
    if run.kind == RunKind.PUBLIC_TESTS:
        return run_public_tests(
            package,
            {f.path: f.content() for f in request.files},
            run_id=request.run_id,
            seed=request.variant_seed,
            options=options,
        )
    return grade(package, request, options)


def _platform_failure(run: GradingRun, message: str) -> GradingResult:
    from vetta.grading.engine import platform_failure

    return platform_failure(
        run_id=str(run.run_id),
        exercise=ExerciseRef(slug=run.item.exercise.slug, version=run.item.exercise.version),
        variant_seed=run.item.variant_seed,
        message=message,
    )


class _Heartbeat:
    """Refreshes the run's heartbeat from a thread while the grader works."""

    def __init__(self, run_id: str, claim: uuid.UUID) -> None:
        self.run_id, self.claim = run_id, claim
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        interval = settings.VETTA_GRADING_HEARTBEAT_SECONDS
        try:
            while not self.stop.wait(interval):
                try:
                    grading_run_heartbeat(run_id=self.run_id, claim=self.claim)
                except DatabaseError:
                    # A dropped connection must not silence the heartbeat for the rest of a long
                    # run (the reaper would take a healthy run away): reconnect next beat.
                    log.warning("heartbeat of run %s failed; retrying", self.run_id, exc_info=True)
                    connection.close()
        finally:
            close_old_connections()

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def grading_run_execute(*, run_id: str) -> bool:
    """Claims, grades and records one run; False when there was nothing to do (already claimed
    by someone else, or already recorded: a redelivered message)."""
    claim = grading_run_claim(run_id=run_id)
    if claim is None:
        return False
    run = GradingRun.objects.select_related("item__exercise", "submission").get(run_id=run_id)
    with _Heartbeat(run_id, claim):
        try:
            result = _grade(run)
        except Exception as exc:  # a platform failure must not be charged to the candidate
            log.exception("grading run %s failed", run_id)
            result = _platform_failure(run, type(exc).__name__)
    return grading_run_record(run_id=run_id, claim=claim, result=result)


def grading_run_record(*, run_id: str, claim: uuid.UUID, result: GradingResult) -> bool:
    """Records the result if `claim` still owns the run; exactly one result per run."""
    status = RunStatus.DONE if result.gradable else RunStatus.FAILED
    with transaction.atomic():
        recorded = GradingRun.objects.filter(
            run_id=run_id, claim=claim, status=RunStatus.RUNNING
        ).update(
            status=status,
            finished_at=timezone.now(),
            result=result.model_dump(mode="json"),
            score=result.score if result.gradable else None,
            verdict=result.verdict.value,
            failure="" if result.gradable else result.summary,
        )
        if recorded != 1:
            log.info("run %s: result from a stale claim discarded", run_id)
            return False
        run = GradingRun.objects.select_related("item__attempt__candidate", "submission").get(
            run_id=run_id
        )
        if run.kind == RunKind.GRADE:
            audit_record(
                actor="system",
                action="grading.record",
                subject=run.audit_id,
                payload={
                    "submission": run.submission.audit_id,  # type: ignore[union-attr]
                    "attempt": run.item.attempt.audit_id,
                    "verdict": result.verdict.value,
                    # Audit payloads hold no floats (canonical JSON): the score as fixed text.
                    "score": f"{result.score:.6f}" if result.gradable else None,
                    "grader": result.grader,
                },
            )
            attempt = run.item.attempt
            transaction.on_commit(lambda: attempt_announce_if_graded(attempt.pk))
    return True


def attempt_announce_if_graded(attempt_id: int) -> None:
    """Sends `attempt_graded` if the attempt is finished and every exercise's latest submission
    is graded. Called after the commit of each recorded result and of the attempt's end (a
    candidate may finish after the last result came in). It may announce one graded state more
    than once (two results recorded at the same moment): receivers must be idempotent."""
    from vetta.assessments.models import Attempt

    attempt = Attempt.objects.get(pk=attempt_id)
    if attempt.status != AttemptStatus.FINISHED:
        return
    for item in attempt.items.all():
        latest = item.submissions.order_by("-number").first()
        if latest is None:
            continue
        run = latest.runs.order_by("-queued_at").first()
        if run is None or run.status != RunStatus.DONE:
            return
    attempt_graded.send(sender=Attempt, attempt=attempt)


@dataclass
class ReapReport:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"requeued": self.requeued, "failed": self.failed}


def grading_runs_reap() -> ReapReport:
    """Finds runs whose worker went silent (no heartbeat for VETTA_GRADING_STALE_SECONDS) and runs
    queued for that long without a worker picking them up (a message lost with a crashed
    embedded broker); re-queues them, or after VETTA_GRADING_MAX_DELIVERIES deliveries fails them
    with a clear reason so the candidate may resubmit freely."""
    report = ReapReport()
    stale = timezone.now() - timedelta(seconds=settings.VETTA_GRADING_STALE_SECONDS)
    suspects = GradingRun.objects.filter(
        Q(status=RunStatus.RUNNING, heartbeat_at__lt=stale)
        | Q(status=RunStatus.QUEUED, queued_at__lt=stale)
    ).values_list("run_id", "status", "claim", "deliveries")
    for run_id, status, claim, deliveries in suspects:
        with transaction.atomic():
            match = GradingRun.objects.filter(run_id=run_id, status=status, claim=claim)
            if deliveries >= settings.VETTA_GRADING_MAX_DELIVERIES:
                reason = (
                    f"grading did not finish after {deliveries} attempt(s); the platform gave up "
                    "on it. You may resubmit without penalty."
                )
                if match.update(
                    status=RunStatus.FAILED, failure=reason, finished_at=timezone.now()
                ):
                    report.failed.append(str(run_id))
                continue
            if match.update(status=RunStatus.QUEUED, claim=None, queued_at=timezone.now()):
                report.requeued.append(str(run_id))
                transaction.on_commit(_resender(str(run_id)))
    if report.requeued or report.failed:
        log.warning("reaper: %s", report.as_dict())
    return report


def _resender(run_id: str) -> Callable[[], None]:
    def resend() -> None:
        from vetta.assessments.tasks import grade_run_task

        grade_run_task.delay(run_id)

    return resend
