"""Trusted-side detector metrics, checked against scikit-learn and hand-worked cases."""

from __future__ import annotations

import random

import pytest
from sklearn.metrics import roc_auc_score

from vetta.grading.graders import metrics as m


def test_band_score_interpolates_between_points() -> None:
    bands = [(0.5, 0.0), (0.8, 0.6), (0.9, 0.9), (1.0, 1.0)]
    assert m.band_score(0.4, bands) == 0.0
    assert m.band_score(0.65, bands) == pytest.approx(0.3)
    assert m.band_score(0.95, bands) == pytest.approx(0.95)
    assert m.band_score(2.0, bands) == 1.0
    assert m.band_score(float("nan"), bands) == 0.0


def test_band_score_handles_lower_is_better_metrics() -> None:
    brier = [(0.05, 1.0), (0.10, 0.5), (0.25, 0.0)]
    assert m.band_score(0.02, brier) == 1.0
    assert m.band_score(0.075, brier) == pytest.approx(0.75)


def test_roc_auc_equals_scikit_learn_with_ties() -> None:
    rng = random.Random(3)
    labels = [rng.random() < 0.3 for _ in range(500)]
    scores = [round(rng.random() + 0.3 * y, 1) for y in labels]
    assert m.roc_auc([int(y) for y in labels], scores) == pytest.approx(
        roc_auc_score(labels, scores)
    )


def test_recall_at_fpr_respects_the_budget() -> None:
    labels = [0] * 100 + [1] * 10
    scores = [i / 100 for i in range(100)] + [0.995, 0.985, 0.975, 0.5, 0.4, 0.3, 0.2, 0.1, 0, 0]
    # 1% of 100 negatives: one false positive allowed, so the cut-off is the second-highest
    # negative (0.98): positives above it count.
    assert m.cutoff_at_fpr(labels, scores, 0.01) == 0.98
    assert m.recall_at_fpr(labels, scores, 0.01) == pytest.approx(0.2)


def test_a_constant_scorer_catches_nothing_at_a_small_budget() -> None:
    labels = [0] * 50 + [1] * 50
    assert m.recall_at_fpr(labels, [0.7] * 100, 0.01) == 0.0


def test_confusion_metrics() -> None:
    c = m.confusion([1, 1, 0, 0, 1], [True, False, True, False, True])
    assert (c.tp, c.fp, c.tn, c.fn) == (2, 1, 1, 1)
    assert c.precision == pytest.approx(2 / 3) and c.recall == pytest.approx(2 / 3)
    assert c.f1 == pytest.approx(2 / 3) and c.balanced_accuracy == pytest.approx(
        (2 / 3 + 1 / 2) / 2
    )
