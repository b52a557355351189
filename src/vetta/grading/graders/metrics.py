"""Trusted-side metrics for binary detectors and the metric-to-score bands. Pure functions."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass


def band_score(value: float, bands: Sequence[tuple[float, float]]) -> float:
    """Piecewise-linear map from a metric to a score in [0, 1].

    `bands` are (metric, score) points in increasing metric order; below the first point the score
    is the first score, above the last the last score. For a lower-is-better metric, list the
    points with decreasing scores."""
    if not bands:
        raise ValueError("bands must hold at least one (metric, score) point")
    if math.isnan(value):
        return 0.0
    points = list(bands)
    if value <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if value <= x1:
            return y0 + (y1 - y0) * (value - x0) / (x1 - x0) if x1 > x0 else y1
    return points[-1][1]


@dataclass(frozen=True)
class Confusion:
    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def fpr(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def balanced_accuracy(self) -> float:
        positives, negatives = self.tp + self.fn, self.tn + self.fp
        parts = []
        if positives:
            parts.append(self.tp / positives)
        if negatives:
            parts.append(self.tn / negatives)
        return sum(parts) / len(parts) if parts else 0.0


def confusion(labels: Sequence[int], predicted: Sequence[bool]) -> Confusion:
    tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y and not p)
    return Confusion(tp=tp, fp=fp, tn=len(labels) - tp - fp - fn, fn=fn)


def cutoff_at_fpr(labels: Sequence[int], scores: Sequence[float], max_fpr: float) -> float:
    """The cut-off c such that flagging `score > c` gives a false-positive rate ≤ max_fpr.

    Ties are resolved against the detector: a positive scored equal to the cut-off is not
    flagged, so a constant scorer catches nothing at any budget below 100%."""
    negatives = sorted((s for y, s in zip(labels, scores, strict=True) if not y), reverse=True)
    allowed = math.floor(max_fpr * len(negatives) + 1e-9)
    if allowed >= len(negatives):
        return -math.inf
    return negatives[allowed]


def cutoff_at_recall(labels: Sequence[int], scores: Sequence[float], recall: float) -> float:
    """The highest cut-off c such that flagging `score >= c` catches at least `recall` of the
    positives (the score of the ceil(recall * positives)-th best-scored positive); +inf when there
    are no positives. Everything tied with c is flagged, negatives included, so ties count
    against the detector here too."""
    if not 0 < recall <= 1:
        raise ValueError("recall must lie in (0, 1]")
    positives = sorted((s for y, s in zip(labels, scores, strict=True) if y), reverse=True)
    if not positives:
        return math.inf
    return positives[max(1, math.ceil(recall * len(positives) - 1e-9)) - 1]


def recall_at_fpr(labels: Sequence[int], scores: Sequence[float], max_fpr: float) -> float:
    cut = cutoff_at_fpr(labels, scores, max_fpr)
    positives = [s for y, s in zip(labels, scores, strict=True) if y]
    return sum(s > cut for s in positives) / len(positives) if positives else 0.0


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Mann-Whitney U estimate (ties count one half); 0.5 when a class is empty."""
    pairs = sorted(zip(scores, labels, strict=True))
    n_pos = sum(1 for _s, y in pairs if y)
    n_neg = len(pairs) - n_pos
    if not n_pos or not n_neg:
        return 0.5
    rank_sum = 0.0
    index = 0
    while index < len(pairs):
        end = index
        while end + 1 < len(pairs) and pairs[end + 1][0] == pairs[index][0]:
            end += 1
        average_rank = (index + end) / 2 + 1
        rank_sum += average_rank * sum(1 for k in range(index, end + 1) if pairs[k][1])
        index = end + 1
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
