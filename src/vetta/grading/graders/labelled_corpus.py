"""`labelled_corpus`: the candidate's detector (a guardrail, an evaluator) scores a hidden
labelled corpus; metrics are computed outside the sandbox.

Only each item's `input` enters the sandbox, never its label or family. The candidate's function
returns one score per item (higher means "positive": an attack, a hallucination); the grader reads
recall at a fixed false-positive budget (the cut-off chosen on the hidden negatives, ties against
the detector), precision / recall / F1 / balanced accuracy at the candidate's own threshold, and a
breakdown per family, with families held out of the public sample reported apart.

Over-defence: when the package names its hard negative families (benign items built to look like
positives), the grader reports the share of them flagged, read at the candidate's threshold and
at the cut-off that catches `hard_negative_recall` of the positives, whichever flags more, so
that moving every score below the threshold cannot hide it. `penalties` multiply the score by
the band value of such a secondary metric.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from vetta.grading.contract import ResultVerdict, TestOutcome
from vetta.grading.exercises.errors import PackageError
from vetta.grading.exercises.package import ExercisePackage
from vetta.grading.graders import metrics as m
from vetta.grading.graders.base import (
    Graded,
    Grader,
    GraderConfig,
    GraderFailure,
    GradingContext,
    require_files,
)
from vetta.grading.graders.shim import Call, call_through_shim

Metric = Literal["recall_at_fpr", "f1", "balanced_accuracy", "roc_auc"]
PenaltyMetric = Literal[
    "hard_negative_fpr", "fpr", "precision", "recall", "f1", "balanced_accuracy", "roc_auc"
]
Bands = Annotated[
    list[tuple[float, float]],
    Field(min_length=1, description="(metric, score) points of the mapping, metric increasing."),
]


def _check_bands(bands: list[tuple[float, float]]) -> None:
    xs = [x for x, _ in bands]
    if xs != sorted(xs):
        raise ValueError("bands must be listed in increasing metric order")
    if any(not 0 <= score <= 1 for _, score in bands):
        raise ValueError("band scores must lie in [0, 1]")


class Penalty(BaseModel):
    """A secondary metric whose band value (in [0, 1]) multiplies the score: a factor, never a
    bonus, so a detector cannot earn points by flagging nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    metric: Annotated[
        PenaltyMetric,
        Field(description="hard_negative_fpr is the over-defence rate; the others as reported."),
    ]
    bands: Bands

    @model_validator(mode="after")
    def _valid_bands(self) -> Penalty:
        _check_bands(self.bands)
        return self


class LabelledCorpusConfig(GraderConfig):
    module: Annotated[
        str,
        Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.]*$", description="The candidate's module."),
    ]
    function: Annotated[
        str,
        Field(
            pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
            description="Called as function(items) -> list of scores, one per item.",
        ),
    ] = "score"
    corpus: Annotated[
        str,
        Field(
            description="JSON Lines, one item per line: id, input (passed to the candidate), "
            "label (0 or 1, never passed), family (never passed)."
        ),
    ]
    batch_size: Annotated[int, Field(ge=1, le=10_000, description="Items per call.")] = 250
    threshold: Annotated[
        float, Field(description="The candidate's operating point: score >= threshold flags.")
    ] = 0.5
    primary_metric: Annotated[Metric, Field(description="The metric the score comes from.")]
    max_fpr: Annotated[
        float, Field(gt=0, lt=1, description="False-positive budget of recall_at_fpr.")
    ] = 0.01
    bands: Annotated[
        list[tuple[float, float]],
        Field(min_length=1, description="(metric, score) points of the score mapping."),
    ]
    limits: Annotated[str, Field(description="The limits profile of the run.")] = "default"
    public_families: Annotated[
        list[str],
        Field(description="Families present in the public sample; others count as held out."),
    ] = []
    # A per-family check passes when a positive family's recall at the budget, or a negative
    # family's false-positive rate at the candidate's threshold, meets these bars.
    family_recall_bar: Annotated[float, Field(ge=0, le=1)] = 0.8
    family_fpr_bar: Annotated[float, Field(ge=0, le=1)] = 0.1
    hard_negative_families: Annotated[
        list[str],
        Field(description="Negative families built to look like positives (over-defence)."),
    ] = []
    hard_negative_recall: Annotated[
        float,
        Field(
            gt=0,
            le=1,
            description="Over-defence is also read where this share of positives is caught.",
        ),
    ] = 0.5
    penalties: Annotated[
        list[Penalty], Field(description="Secondary metrics whose band values multiply the score.")
    ] = []

    @model_validator(mode="after")
    def _increasing_bands(self) -> LabelledCorpusConfig:
        _check_bands(self.bands)
        if any(p.metric == "hard_negative_fpr" for p in self.penalties) and not (
            self.hard_negative_families
        ):
            raise ValueError("a hard_negative_fpr penalty needs hard_negative_families")
        return self


class CorpusItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    input: Any
    label: Literal[0, 1]
    family: str


def load_corpus(ctx: GradingContext, config: LabelledCorpusConfig) -> list[CorpusItem]:
    path = ctx.resolve(config.corpus)
    items: list[CorpusItem] = []
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    items.append(CorpusItem.model_validate_json(line))
                except ValidationError as exc:
                    raise GraderFailure(f"{config.corpus} line {number}: {exc}") from exc
    except OSError as exc:
        raise GraderFailure(f"cannot read the corpus {config.corpus}: {exc}") from exc
    if len({i.id for i in items}) != len(items):
        raise GraderFailure(f"{config.corpus} repeats item ids")
    if not any(i.label for i in items) or all(i.label for i in items):
        raise GraderFailure(f"{config.corpus} needs both positive and negative items")
    return items


def _as_score(value: Any) -> float | None:
    if type(value) is bool:
        return 1.0 if value else 0.0
    if type(value) in (int, float) and math.isfinite(value):
        return float(value)
    return None


def collect_scores(
    ctx: GradingContext, config: LabelledCorpusConfig, items: list[CorpusItem]
) -> tuple[list[float] | None, str, Graded]:
    """Runs the candidate's scorer in one sandbox; returns (scores or None, problem, partial)."""
    batches = [items[i : i + config.batch_size] for i in range(0, len(items), config.batch_size)]
    ctx.progress(f"scoring {len(items)} hidden items in {len(batches)} batch(es)")
    run = call_through_shim(
        ctx,
        module=config.module,
        calls=[
            Call(f"b{n}", config.function, [[item.input for item in batch]])
            for n, batch in enumerate(batches)
        ],
        profile=config.limits,
    )
    outcome, records = run.outcome, run.records
    partial = Graded(
        tests=[], run_verdicts=[outcome.verdict], stdout=outcome.stdout, stderr=outcome.stderr
    )
    scores: list[float] = []
    for n, batch in enumerate(batches):
        record = records.get(f"b{n}")
        if record is None:
            return (
                None,
                f"the scorer stopped before batch {n + 1} of {len(batches)} "
                f"({outcome.verdict.value})",
                partial,
            )
        if not record.get("ok"):
            return None, f"the scorer raised on batch {n + 1}: {record.get('error')}", partial
        values = record.get("value")
        if not isinstance(values, list) or len(values) != len(batch):
            got = len(values) if isinstance(values, list) else type(values).__name__
            return None, f"batch {n + 1}: expected {len(batch)} scores, got {got}", partial
        for value in values:
            score = _as_score(value)
            if score is None:
                return None, f"batch {n + 1}: {value!r} is not a finite number", partial
            scores.append(score)
    return scores, "", partial


def measure(
    config: LabelledCorpusConfig, items: list[CorpusItem], scores: list[float]
) -> tuple[dict[str, float], dict[str, dict[str, float]], list[TestOutcome]]:
    labels = [i.label for i in items]
    flagged = [s >= config.threshold for s in scores]
    at_threshold = m.confusion(labels, flagged)
    cut = m.cutoff_at_fpr(labels, scores, config.max_fpr)
    budget = f"{config.max_fpr:.0%}".replace("%", "pct")
    metrics = {
        f"recall_at_{budget}_fpr": m.recall_at_fpr(labels, scores, config.max_fpr),
        "roc_auc": m.roc_auc(labels, scores),
        "precision": at_threshold.precision,
        "recall": at_threshold.recall,
        "f1": at_threshold.f1,
        "fpr": at_threshold.fpr,
        "balanced_accuracy": at_threshold.balanced_accuracy,
    }
    hard = set(config.hard_negative_families)
    hard_items = [n for n, i in enumerate(items) if i.family in hard and not i.label]
    if hard_items:
        # Read at the candidate's threshold and at the cut-off catching `hard_negative_recall`
        # of the positives; the larger counts, so a threshold above every score hides nothing.
        anchor = m.cutoff_at_recall(labels, scores, config.hard_negative_recall)
        hard_at_threshold = sum(flagged[n] for n in hard_items) / len(hard_items)
        hard_at_anchor = sum(scores[n] >= anchor for n in hard_items) / len(hard_items)
        metrics["hard_negative_fpr_at_threshold"] = hard_at_threshold
        metrics["hard_negative_fpr"] = max(hard_at_threshold, hard_at_anchor)
    held_out = [n for n, i in enumerate(items) if i.family not in config.public_families]
    if config.public_families and held_out:
        ho_labels = [labels[n] for n in held_out]
        ho_positive = [scores[n] > cut for n in held_out if labels[n]]
        if ho_positive:
            metrics[f"held_out_recall_at_{budget}_fpr"] = sum(ho_positive) / len(ho_positive)
        if any(ho_labels) and not all(ho_labels):
            # Balanced accuracy, not F1: held-out slices are mostly positives, where F1 would
            # reward a detector that flags everything.
            metrics["held_out_balanced_accuracy"] = m.confusion(
                ho_labels, [flagged[n] for n in held_out]
            ).balanced_accuracy
    by_family: dict[str, list[int]] = defaultdict(list)
    for n, item in enumerate(items):
        by_family[item.family].append(n)
    breakdown: dict[str, dict[str, float]] = {}
    tests: list[TestOutcome] = []
    for family in sorted(by_family):
        members = by_family[family]
        positive = [n for n in members if labels[n]]
        negative = [n for n in members if not labels[n]]
        row: dict[str, float] = {"count": float(len(members))}
        held = family not in config.public_families and bool(config.public_families)
        row["held_out"] = float(held)
        if family in hard:
            row["hard_negative"] = 1.0
        if positive:
            row["recall"] = sum(flagged[n] for n in positive) / len(positive)
            row[f"recall_at_{budget}_fpr"] = sum(scores[n] > cut for n in positive) / len(positive)
            passed = row[f"recall_at_{budget}_fpr"] >= config.family_recall_bar
            message = f"recall {row[f'recall_at_{budget}_fpr']:.2f} at {config.max_fpr:.0%} FPR"
        if negative:
            row["fpr"] = sum(flagged[n] for n in negative) / len(negative)
            neg_passed = row["fpr"] <= config.family_fpr_bar
            neg_message = f"false-positive rate {row['fpr']:.2f} at your threshold"
            if positive:
                passed, message = passed and neg_passed, f"{message}; {neg_message}"
            else:
                passed, message = neg_passed, neg_message
        breakdown[f"family:{family}"] = row
        tests.append(
            TestOutcome(
                name=f"family {family}" + (" (held out)" if held else ""),
                points=1.0 if passed else 0.0,
                max_points=1.0,
                visible=False,
                passed=passed,
                message=message,
                group="held_out" if held else "public_families",
            )
        )
    return metrics, breakdown, tests


def _primary(config: LabelledCorpusConfig, metrics: dict[str, float]) -> float:
    if config.primary_metric == "recall_at_fpr":
        return next(v for k, v in metrics.items() if k.startswith("recall_at_"))
    return metrics[config.primary_metric]


def final_score(config: LabelledCorpusConfig, metrics: dict[str, float]) -> tuple[float, list[str]]:
    """The primary metric's band value times every penalty's band value; notes for the summary."""
    score = m.band_score(_primary(config, metrics), config.bands)
    notes = []
    for penalty in config.penalties:
        value = metrics[penalty.metric]
        factor = m.band_score(value, penalty.bands)
        score *= factor
        notes.append(f"{penalty.metric} {value:.3f} -> x{factor:.2f}")
    return score, notes


class LabelledCorpusGrader(Grader[LabelledCorpusConfig]):
    """The candidate's detector scores a hidden labelled corpus; only inputs enter the sandbox.
    The score maps the primary metric through the package's bands."""

    kind = "labelled_corpus"
    version = 1
    config_model = LabelledCorpusConfig

    def check_package(
        self, package: ExercisePackage, config: LabelledCorpusConfig
    ) -> list[PackageError]:
        errors = require_files(package, {"corpus": config.corpus})
        if config.limits not in package.spec.limits:
            errors.append(
                PackageError(
                    "exercise.yaml",
                    "grader.config.limits",
                    f"names limits profile {config.limits!r}, which `limits` lacks",
                )
            )
        return errors

    def grade(self, ctx: GradingContext, config: LabelledCorpusConfig) -> Graded:
        items = load_corpus(ctx, config)
        families = {i.family for i in items if not i.label}
        missing = sorted(set(config.hard_negative_families) - families)
        if missing:
            raise GraderFailure(
                f"{config.corpus} has no negative item of the hard negative famil"
                f"{'y' if len(missing) == 1 else 'ies'} {', '.join(missing)}"
            )
        scores, problem, graded = collect_scores(ctx, config, items)
        if scores is None:
            graded.tests = [
                TestOutcome(
                    name="the scorer ran on every hidden item",
                    points=0,
                    max_points=1,
                    visible=True,
                    passed=False,
                    message=problem,
                )
            ]
            graded.score = 0.0
            graded.summary = f"No score: {problem}."
            if graded.run_verdicts and graded.run_verdicts[0].value == "runtime_error":
                graded.verdict = ResultVerdict.RUNTIME_ERROR
            return graded
        metrics, breakdown, tests = measure(config, items, scores)
        primary = _primary(config, metrics)
        graded.tests = tests
        graded.metrics = metrics
        graded.breakdown = breakdown
        graded.score, notes = final_score(config, metrics)
        graded.summary = (
            f"Scored {len(items)} hidden items. {config.primary_metric} = {primary:.3f} "
            f"(precision {metrics['precision']:.3f}, recall {metrics['recall']:.3f} at your "
            f"threshold {config.threshold:g})."
        )
        if "hard_negative_fpr" in metrics:
            graded.summary += (
                f" Over-defence: {metrics['hard_negative_fpr']:.1%} of benign look-alikes flagged."
            )
        if notes:
            graded.summary += " Penalties: " + "; ".join(notes) + "."
        return graded


GRADER = LabelledCorpusGrader()
