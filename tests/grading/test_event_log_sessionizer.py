"""The event-log-sessionizer exercise separates a linear solution from a quadratic one on its
large inputs, and grades deterministically. Grading runs in the real sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetta.grading.contract import GradingResult, ResultVerdict
from vetta.grading.engine import grade, request_for
from vetta.grading.exercises.package import load_package
from vetta.grading.exercises.submission import read_submission

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

PACKAGE = Path(__file__).resolve().parents[2] / "exercises" / "event-log-sessionizer"


def _grade(solution: str, seed: int | None = None) -> GradingResult:
    package = load_package(PACKAGE)
    files, _ = read_submission(PACKAGE / "solutions" / solution, package)
    return grade(package, request_for(package, files, run_id="t", seed=seed))


def test_a_quadratic_solution_fails_only_the_large_inputs_on_cpu_time() -> None:
    result = _grade("partial/quadratic")
    failed = {t.group for t in result.tests if not t.passed}
    assert failed == {"large"}
    assert result.verdict is ResultVerdict.CPU_TIME
    assert all("CPU" in t.message for t in result.tests if not t.passed)


def test_the_strong_solution_passes_every_variant_it_is_given() -> None:
    for seed in (1, 2):
        assert _grade("strong", seed=seed).score == 1.0


def test_grading_the_same_submission_and_variant_twice_gives_identical_results() -> None:
    first, second = _grade("partial/naive-time"), _grade("partial/naive-time")
    assert first.deterministic_view() == second.deterministic_view()
    assert 0 < first.score < 1
