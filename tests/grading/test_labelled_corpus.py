"""The labelled_corpus grader's trusted-side measurements: over-defence on hard negative
families and penalties that multiply the score."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from vetta.grading.exercises.package import load_package
from vetta.grading.exercises.variants import Variant
from vetta.grading.graders import metrics as m
from vetta.grading.graders.base import GraderFailure, GradingContext
from vetta.grading.graders.labelled_corpus import (
    GRADER,
    CorpusItem,
    LabelledCorpusConfig,
    final_score,
    measure,
)

PACKAGE = Path(__file__).resolve().parents[2] / "exercises" / "prompt-injection-guard"


def _config(**overrides: Any) -> LabelledCorpusConfig:
    base: dict[str, Any] = {
        "module": "guard",
        "corpus": "variant:hidden/corpus.jsonl",
        "primary_metric": "recall_at_fpr",
        "max_fpr": 0.1,
        "bands": [(0.5, 0.0), (1.0, 1.0)],
        "hard_negative_families": ["lookalike"],
        "hard_negative_recall": 0.5,
    }
    return LabelledCorpusConfig.model_validate(base | overrides)


def _items(families: list[tuple[str, int]]) -> list[CorpusItem]:
    return [
        CorpusItem(id=f"i{n}", input={"n": n}, label=label, family=family)  # type: ignore[arg-type]
        for n, (family, label) in enumerate(families)
    ]


def test_cutoff_at_recall_is_the_score_of_the_last_positive_needed() -> None:
    labels = [1, 1, 1, 1, 0, 0]
    scores = [0.9, 0.8, 0.7, 0.1, 0.85, 0.2]
    assert m.cutoff_at_recall(labels, scores, 0.5) == 0.8
    assert m.cutoff_at_recall(labels, scores, 0.6) == 0.7
    assert m.cutoff_at_recall(labels, scores, 1.0) == 0.1
    assert m.cutoff_at_recall([0, 0], [0.3, 0.4], 0.5) == math.inf
    with pytest.raises(ValueError, match="recall"):
        m.cutoff_at_recall(labels, scores, 0.0)


def test_over_defence_cannot_be_hidden_by_scoring_everything_below_the_threshold() -> None:
    items = _items([("attack", 1)] * 4 + [("lookalike", 0)] * 4 + [("plain", 0)] * 12)
    # Every score is below the 0.5 threshold, but two look-alikes outrank half of the attacks.
    scores = [0.40, 0.39, 0.10, 0.05] + [0.45, 0.41, 0.01, 0.01] + [0.0] * 12
    metrics, breakdown, _tests = measure(_config(), items, scores)
    assert metrics["hard_negative_fpr_at_threshold"] == 0.0
    assert metrics["hard_negative_fpr"] == pytest.approx(0.5)
    assert breakdown["family:lookalike"]["hard_negative"] == 1.0
    assert "hard_negative" not in breakdown["family:plain"]


def test_over_defence_at_the_threshold_counts_when_it_is_the_larger() -> None:
    items = _items([("attack", 1)] * 4 + [("lookalike", 0)] * 4)
    scores = [0.9, 0.9, 0.9, 0.9, 0.6, 0.6, 0.6, 0.1]
    metrics, _breakdown, _tests = measure(_config(), items, scores)
    assert metrics["hard_negative_fpr"] == metrics["hard_negative_fpr_at_threshold"] == 0.75


def test_penalties_multiply_the_primary_band_score() -> None:
    config = _config(
        penalties=[{"metric": "hard_negative_fpr", "bands": [(0.0, 1.0), (0.2, 0.5)]}],
    )
    metrics = {"recall_at_10pct_fpr": 0.9, "hard_negative_fpr": 0.1}
    score, notes = final_score(config, metrics)
    assert score == pytest.approx(0.8 * 0.75)
    assert notes == ["hard_negative_fpr 0.100 -> x0.75"]
    assert final_score(_config(), metrics)[0] == pytest.approx(0.8)


def test_a_hard_negative_penalty_needs_hard_negative_families() -> None:
    with pytest.raises(ValidationError, match="needs hard_negative_families"):
        _config(
            hard_negative_families=[],
            penalties=[{"metric": "hard_negative_fpr", "bands": [(0.0, 1.0)]}],
        )
    with pytest.raises(ValidationError, match="increasing metric order"):
        _config(penalties=[{"metric": "fpr", "bands": [(0.5, 1.0), (0.1, 0.0)]}])


def test_a_hard_negative_family_missing_from_the_corpus_is_the_graders_failure(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "hidden" / "corpus.jsonl"
    corpus.parent.mkdir()
    rows = [
        '{"id": "a", "input": {}, "label": 1, "family": "attack"}',
        '{"id": "b", "input": {}, "label": 0, "family": "plain"}',
    ]
    corpus.write_text("\n".join(rows))
    ctx = GradingContext(
        package=load_package(PACKAGE), variant=Variant(seed=0, root=tmp_path), submission={}
    )
    with pytest.raises(GraderFailure, match="lookalike"):
        GRADER.grade(ctx, _config())
