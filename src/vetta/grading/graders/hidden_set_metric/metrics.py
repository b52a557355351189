"""Metrics of probabilistic predictions and their mapping to a score. Pure functions, run on the
trusted side only: the labels they need never enter a sandbox."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt

MetricName = Literal["roc_auc", "pr_auc", "brier", "brier_skill", "log_loss"]
METRICS: tuple[MetricName, ...] = ("roc_auc", "pr_auc", "brier", "brier_skill", "log_loss")
LOWER_IS_BETTER: frozenset[str] = frozenset({"brier", "log_loss"})
METRIC_TITLES: dict[str, str] = {
    "roc_auc": "ROC AUC",
    "pr_auc": "PR AUC",
    "brier": "Brier score",
    "brier_skill": "Brier skill",
    "log_loss": "log loss",
}
# log loss of a prediction of exactly 0 or 1 on the wrong side is infinite; clipping as
# scikit-learn does keeps one confident mistake from erasing the whole metric.
_LOG_LOSS_EPS = 1e-15

Band = tuple[float, float]


def higher_is_better(metric: str) -> bool:
    return metric not in LOWER_IS_BETTER


def check_bands(metric: str, bands: Sequence[Band]) -> None:
    """Raises ValueError unless `bands` is a usable piecewise-linear map for `metric`: at least
    two points, metric values strictly improving, scores in [0, 1] and never decreasing."""
    if len(bands) < 2:
        raise ValueError("bands need at least two [metric, score] points")
    sign = 1.0 if higher_is_better(metric) else -1.0
    for (m0, s0), (m1, s1) in itertools.pairwise(bands):
        if not all(math.isfinite(v) for v in (m0, s0, m1, s1)):
            raise ValueError("band values must be finite numbers")
        if sign * (m1 - m0) <= 0:
            order = "increasing" if sign > 0 else "decreasing (lower is better)"
            raise ValueError(f"{metric} band points must be strictly {order}: {m0:g} then {m1:g}")
        if s1 < s0:
            raise ValueError(f"band scores must never decrease: {s0:g} then {s1:g}")
    for _metric, score in bands:
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"band score {score:g} is outside [0, 1]")


def band_score(value: float, bands: Sequence[Band], *, higher_better: bool = True) -> float:
    """Piecewise-linear map from a metric to a score in [0, 1] through the band points, flat
    beyond the first and the last point. A metric that is not a number scores 0."""
    if not math.isfinite(value):
        return 0.0
    points = list(bands) if higher_better else [(-m, s) for m, s in bands]
    x = value if higher_better else -value
    if x <= points[0][0]:
        return points[0][1]
    if x >= points[-1][0]:
        return points[-1][1]
    for (m0, s0), (m1, s1) in itertools.pairwise(points):
        if m0 <= x <= m1:
            return s0 + (s1 - s0) * (x - m0) / (m1 - m0)
    raise AssertionError("unreachable: the points are ordered")  # pragma: no cover


def describe_bands(bands: Sequence[Band]) -> str:
    return ", ".join(f"{m:g}→{s:g}" for m, s in bands)


def compute_metrics(
    labels: npt.NDArray[np.int_], probabilities: npt.NDArray[np.float64]
) -> dict[str, float]:
    """Every metric of METRICS, plus the positive rate, on one labelled set (both classes
    present; the caller checks)."""
    from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

    y = np.asarray(labels, dtype=np.int64)
    p = np.asarray(probabilities, dtype=np.float64)
    base_rate = float(y.mean())
    brier = float(brier_score_loss(y, p))
    base_brier = base_rate * (1.0 - base_rate)
    clipped = np.clip(p, _LOG_LOSS_EPS, 1.0 - _LOG_LOSS_EPS)
    log_loss = float(-np.mean(y * np.log(clipped) + (1 - y) * np.log(1.0 - clipped)))
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "brier": brier,
        "brier_skill": 1.0 - brier / base_brier if base_brier > 0 else 0.0,
        "log_loss": log_loss,
        "positive_rate": base_rate,
    }
