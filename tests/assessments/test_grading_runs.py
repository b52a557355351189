"""Grading runs: claimed once, recorded once, reaped when their worker dies. Grading uses the
real sandbox."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.assessments.conftest import FIXTURE_BANK, World
from tests.assessments.test_attempts import started
from vetta.assessments.models import GradingRun, RunStatus
from vetta.assessments.selectors import attempt_results, item_result
from vetta.assessments.services.attempts import (
    attempt_finish,
    draft_save,
    submission_create,
    submission_regrade,
)
from vetta.assessments.services.grading import (
    grading_run_claim,
    grading_run_execute,
    grading_run_record,
    grading_runs_reap,
)
from vetta.assessments.signals import attempt_graded
from vetta.governance.models import AuditEvent
from vetta.governance.services import audit_verify
from vetta.grading.contract import GradingResult

pytestmark = pytest.mark.django_db

STRONG = (FIXTURE_BANK / "tiny-adder/solutions/strong/adder.py").read_text()


def submitted(world: World, source: str = STRONG) -> GradingRun:
    item = started(world).items.get()
    draft_save(item=item, path="adder.py", content=source, base_revision=None)
    return submission_create(item=item).runs.get()


@pytest.mark.sandbox
def test_a_submission_is_graded_once_and_scored(world: World) -> None:
    run = submitted(world)
    assert grading_run_execute(run_id=str(run.run_id)) is True
    assert grading_run_execute(run_id=str(run.run_id)) is False  # a redelivered message
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.score == 1.0 and run.deliveries == 1
    result = item_result(item=run.item)
    assert result.status == "graded" and result.score == 1.0
    assert AuditEvent.objects.filter(action="grading.record").count() == 1
    assert audit_verify().ok


@pytest.mark.sandbox
def test_the_skill_summary_weighs_each_exercise_by_its_skill_weights(world: World) -> None:
    run = submitted(world)
    grading_run_execute(run_id=str(run.run_id))
    results = attempt_results(attempt=run.item.attempt)
    rows = {s.skill_area: s for s in results.skills}
    assert rows["python_ml_frameworks"].score == 1.0
    assert rows["python_ml_frameworks"].level == "required"
    assert rows["mlops_deployment"].score is None  # required, but no exercise evidences it here
    assert results.overall == 1.0


def test_a_result_from_a_stale_claim_is_discarded(world: World) -> None:
    run = submitted(world)
    claim = grading_run_claim(run_id=str(run.run_id))
    assert claim is not None and grading_run_claim(run_id=str(run.run_id)) is None
    fake = GradingResult.model_validate(
        {
            "run_id": str(run.run_id),
            "exercise": {"slug": "tiny-adder", "version": "0.1.0"},
            "variant_seed": 0,
            "gradable": True,
            "verdict": "ok",
            "score": 1.0,
            "points": 1,
            "max_points": 1,
        }
    )
    assert grading_run_record(run_id=str(run.run_id), claim=uuid.uuid4(), result=fake) is False
    assert grading_run_record(run_id=str(run.run_id), claim=claim, result=fake) is True
    assert grading_run_record(run_id=str(run.run_id), claim=claim, result=fake) is False


def test_the_run_names_the_worker_process_that_claimed_it(world: World) -> None:
    run = submitted(world)
    grading_run_claim(run_id=str(run.run_id))
    run.refresh_from_db()
    assert run.worker == f"{socket.gethostname()}:{os.getpid()}"


def test_the_reaper_requeues_a_silent_run_then_gives_up_with_a_reason(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.VETTA_GRADING_MAX_DELIVERIES = 2
    run = submitted(world)
    long_ago = timezone.now() - timedelta(seconds=settings.VETTA_GRADING_STALE_SECONDS + 1)
    for expected in ("requeued", "failed"):
        claim = grading_run_claim(run_id=str(run.run_id))
        assert claim is not None
        GradingRun.objects.filter(pk=run.pk).update(heartbeat_at=long_ago)
        with django_capture_on_commit_callbacks(execute=False) as resent:
            report = grading_runs_reap()
        assert getattr(report, expected) == [str(run.run_id)]
        assert len(resent) == (1 if expected == "requeued" else 0)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "resubmit without penalty" in run.failure


def test_a_run_queued_too_long_is_sent_again(world: World, settings: Any) -> None:
    run = submitted(world)
    GradingRun.objects.filter(pk=run.pk).update(
        queued_at=timezone.now() - timedelta(seconds=settings.VETTA_GRADING_STALE_SECONDS + 1)
    )
    assert grading_runs_reap().requeued == [str(run.run_id)]


@pytest.mark.sandbox
def test_a_platform_failure_can_be_regraded_free_after_the_deadline(world: World) -> None:
    run = submitted(world)
    GradingRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, failure="worker lost")
    attempt_finish(attempt=run.item.attempt)
    again = submission_regrade(submission=run.submission)
    assert grading_run_execute(run_id=str(again.run_id))
    assert item_result(item=run.item).score == 1.0


@pytest.mark.sandbox
def test_a_finished_and_graded_attempt_is_announced(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[Any] = []

    def receiver(sender: Any, attempt: Any, **kwargs: Any) -> None:
        heard.append(attempt)

    attempt_graded.connect(receiver)
    try:
        run = submitted(world)
        attempt_finish(attempt=run.item.attempt)
        with django_capture_on_commit_callbacks(execute=True):
            grading_run_execute(run_id=str(run.run_id))
    finally:
        attempt_graded.disconnect(receiver)
    assert heard == [run.item.attempt]
