"""Docs generated from the code must be current."""

from __future__ import annotations

from pathlib import Path

from vetta import vocabulary
from vetta.grading.exercises.docs import exercise_format_markdown

REPO = Path(__file__).resolve().parents[2]


def test_the_exercise_format_reference_is_current() -> None:
    doc = REPO / "docs" / "exercise-format.md"
    assert doc.read_text() == exercise_format_markdown(), (
        "docs/exercise-format.md is stale: run "
        "`.venv/bin/vetta exercise schema --markdown > docs/exercise-format.md`"
    )


def test_the_reference_documents_every_grader_kind_and_band() -> None:
    text = exercise_format_markdown()
    for kind in ("unit_tests", "hidden_set_metric", "http_conformance", "labelled_corpus"):
        assert f"### `{kind}`" in text
    for band in vocabulary.SOLUTION_BANDS:
        assert band in text
