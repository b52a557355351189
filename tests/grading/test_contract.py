"""The grading contract is versioned and snapshotted: changing it must be deliberate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from vetta.grading.contract import (
    ExerciseRef,
    GradingRequest,
    GradingResult,
    ResultVerdict,
    SubmittedFile,
    Timings,
    clip_log,
)

SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize("model", [GradingRequest, GradingResult])
def test_the_json_schema_matches_its_snapshot(model: type) -> None:
    snapshot = SNAPSHOTS / f"{model.__name__}.schema.json"
    current = json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"
    assert snapshot.read_text() == current, (
        f"{model.__name__}'s JSON Schema changed. If deliberate, bump schema_version when the "
        f"change is incompatible and refresh the snapshot:\n  python -m tests.grading.snapshots"
    )


@pytest.mark.parametrize("path", ["../etc/passwd", "/abs/file.py", "a//b.py", "a/./b.py", "x\\y"])
def test_submitted_file_paths_must_stay_inside_the_submission(path: str) -> None:
    with pytest.raises(ValidationError, match="must be relative"):
        SubmittedFile.of(path, b"x")


def test_submitted_files_round_trip_binary_content() -> None:
    content = bytes(range(256))
    assert SubmittedFile.of("model.bin", content).content() == content


def test_a_request_from_another_schema_version_is_refused() -> None:
    with pytest.raises(ValidationError):
        GradingRequest.model_validate(
            {
                "schema_version": 2,
                "run_id": "r",
                "exercise": {"slug": "ab", "version": "1"},
                "files": [],
            }
        )


def test_the_deterministic_view_ignores_timings_and_run_id() -> None:
    base = {
        "exercise": ExerciseRef(slug="ab", version="1.0.0"),
        "variant_seed": 1,
        "gradable": True,
        "verdict": ResultVerdict.OK,
        "score": 1.0,
        "points": 1,
        "max_points": 1,
    }
    one = GradingResult(run_id="a", timings=Timings(wall_seconds=1.0), **base)
    two = GradingResult(run_id="b", timings=Timings(wall_seconds=9.0), **base)
    assert one.deterministic_view() == two.deterministic_view()


def test_scores_outside_zero_to_one_are_refused() -> None:
    with pytest.raises(ValidationError):
        GradingResult(
            run_id="a",
            exercise=ExerciseRef(slug="ab", version="1"),
            variant_seed=0,
            gradable=True,
            verdict=ResultVerdict.OK,
            score=1.5,
            points=1,
            max_points=1,
        )


def test_long_logs_are_cut_with_a_marker() -> None:
    text, cut = clip_log(b"x" * 10_000, limit=100)
    assert cut and text.startswith("x" * 100) and "9900 more characters cut" in text
    assert clip_log("short") == ("short", False)
