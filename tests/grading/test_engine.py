"""The engine: whatever breaks on the platform's side is a grader_error, never the candidate's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vetta.grading.contract import ExerciseRef, ResultVerdict, SubmittedFile
from vetta.grading.engine import GradeOptions, grade, request_for
from vetta.grading.exercises.package import load_package
from vetta.grading.graders import unit_tests


def test_a_request_for_another_version_is_a_grader_error(tiny_package: Path) -> None:
    package = load_package(tiny_package)
    request = request_for(package, {"adder.py": b""}, run_id="r").model_copy(
        update={"exercise": ExerciseRef(slug="tiny-adder", version="9.9.9")}
    )
    result = grade(package, request)
    assert result.verdict is ResultVerdict.GRADER_ERROR and not result.gradable
    assert "9.9.9" in result.summary


def test_a_file_the_exercise_does_not_accept_is_refused(tiny_package: Path) -> None:
    package = load_package(tiny_package)
    request = request_for(package, {"adder.py": b"", "conftest.py": b"x"}, run_id="r")
    result = grade(package, request)
    assert result.gradable and result.score == 0.0
    assert "conftest.py" in result.summary and "not a file this exercise accepts" in result.summary


def test_an_oversized_submission_is_refused(tiny_package: Path) -> None:
    package = load_package(tiny_package)
    huge = SubmittedFile.of("adder.py", b"#" * (package.spec.files.max_submission_bytes + 1))
    request = request_for(package, {}, run_id="r").model_copy(update={"files": [huge]})
    result = grade(package, request)
    assert "limit" in result.summary and result.score == 0.0


def test_a_crashing_grader_is_a_grader_error(
    tiny_package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: Any) -> Any:
        raise KeyError("bug in the grader")

    monkeypatch.setattr(unit_tests.GRADER, "grade", explode)
    package = load_package(tiny_package)
    result = grade(package, request_for(package, {"adder.py": b""}, run_id="r"), GradeOptions())
    assert result.verdict is ResultVerdict.GRADER_ERROR
    assert not result.gradable and "platform" in result.summary


def test_broken_hidden_material_is_a_grader_error(tiny_package: Path) -> None:
    (tiny_package / "hidden" / "cases.json").write_text("{not json")
    package = load_package(tiny_package)
    result = grade(package, request_for(package, {"adder.py": b""}, run_id="r"))
    assert result.verdict is ResultVerdict.GRADER_ERROR
    assert "cases" in result.summary
