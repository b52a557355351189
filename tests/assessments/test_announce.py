"""`attempt_graded` is sent once the attempt is finished and its latest submissions are graded,
whichever comes last: the result, or the end of the attempt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.assessments.conftest import World
from tests.assessments.test_grading_runs import submitted
from vetta.assessments.models import Attempt
from vetta.assessments.services.attempts import attempt_finish
from vetta.assessments.services.grading import grading_run_claim, grading_run_record
from vetta.assessments.signals import attempt_graded
from vetta.grading.contract import GradingResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[Attempt]]:
    announced: list[Attempt] = []

    def receiver(sender: Any, attempt: Attempt, **kwargs: Any) -> None:
        announced.append(attempt)

    attempt_graded.connect(receiver)
    yield announced
    attempt_graded.disconnect(receiver)


def record_a_result(run_id: str) -> None:
    claim = grading_run_claim(run_id=run_id)
    assert claim is not None
    result = GradingResult.model_validate(
        {
            "run_id": run_id,
            "exercise": {"slug": "tiny-adder", "version": "0.1.0"},
            "variant_seed": 0,
            "gradable": True,
            "verdict": "ok",
            "score": 1.0,
            "points": 1,
            "max_points": 1,
        }
    )
    assert grading_run_record(run_id=run_id, claim=claim, result=result)


def test_finishing_after_the_last_result_announces_the_attempt(
    world: World, heard: list[Attempt], django_capture_on_commit_callbacks: Any
) -> None:
    run = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        record_a_result(str(run.run_id))
    assert heard == []  # still in progress: the candidate may submit again
    with django_capture_on_commit_callbacks(execute=True):
        attempt_finish(attempt=run.item.attempt)
    assert heard == [run.item.attempt]


def test_finishing_while_grading_is_queued_waits_for_the_result(
    world: World, heard: list[Attempt], django_capture_on_commit_callbacks: Any
) -> None:
    run = submitted(world)
    with django_capture_on_commit_callbacks(execute=False):
        attempt_finish(attempt=run.item.attempt)
    with django_capture_on_commit_callbacks(execute=True):
        from vetta.assessments.services.grading import attempt_announce_if_graded

        attempt_announce_if_graded(run.item.attempt.pk)
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True):
        record_a_result(str(run.run_id))
    assert heard == [run.item.attempt]
