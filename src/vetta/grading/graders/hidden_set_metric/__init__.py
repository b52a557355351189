"""`hidden_set_metric`: the candidate's pipeline trains in one sandbox and predicts in another.

1. **Train** (sandbox A): the candidate's workspace (their code and the given data) runs the
   training command; a trusted runner then packs the model directory into one tar file, which is
   collected as opaque bytes (size-capped, regular files only, never unpickled here).
2. **Predict** (sandbox B): a fresh sandbox holds the candidate's code (not the given data), the
   model files and the hidden features — never the labels. The prediction command writes one
   probability per row; the file is parsed strictly here, outside.
3. **Score** (trusted side): metrics against the hidden labels, mapped to a score through the
   package's bands. Optionally the same model also predicts a *reference* split drawn like the
   given data; the gap between the two tells a reviewer when a pipeline leaned on information
   that does not exist at prediction time.

A file left in the workspace by the training run cannot pose as predictions (the prediction run
starts from nothing but the model directory), an early exit leaves no predictions file, a
duplicated or invented id fails the strict parse, and the labels are never anywhere a sandbox
could read them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from vetta.grading.contract import TestOutcome
from vetta.grading.exercises.errors import PackageError
from vetta.grading.exercises.model import format_size
from vetta.grading.exercises.package import SPEC_FILE, ExercisePackage
from vetta.grading.graders.base import (
    Graded,
    Grader,
    GraderFailure,
    GradingContext,
    require_files,
)
from vetta.grading.graders.harness import harness_file
from vetta.grading.graders.hidden_set_metric.artifacts import (
    ModelArchiveError,
    PredictionsError,
    ScoringSet,
    load_scoring_set,
    parse_predictions,
    read_model_archive,
)
from vetta.grading.graders.hidden_set_metric.config import (
    RESERVED_DIRS,
    SCORING_DIR,
    HiddenSetMetricConfig,
)
from vetta.grading.graders.hidden_set_metric.metrics import (
    METRIC_TITLES,
    Band,
    MetricName,
    band_score,
    compute_metrics,
    describe_bands,
    higher_is_better,
)
from vetta.grading.sandbox.types import MiB, Outcome, Verdict

_RUNNER = ".vetta/train_runner.py"
_ARCHIVE = ".vetta/model.tar"
_STATUS = ".vetta/model_status.json"
_TAR_OVERHEAD = 1 * MiB  # headers and padding of the model archive beyond its files' bytes
# stderr lines quoted in a failed run's message. The training run only sees the given data, so
# its traceback can be shown; the prediction run saw hidden rows, so only the error line is
# quoted (the full output follows the package's feedback policy for hidden runs).
_TRAIN_TAIL_LINES = 6
_PREDICT_TAIL_LINES = 1
_LOG_LINE_CHARS = 300
# The diagnostic on the reference split flags a drop of the main metric larger than this from
# rows exported like the training data to the hidden rows: sampling noise on a few thousand rows
# moves ROC AUC by about 0.01-0.02, a leaking feature by far more.
_REFERENCE_GAP = 0.05


@dataclass
class _Report:
    """What a grading has established so far; turned into a `Graded` at any stopping point."""

    config: HiddenSetMetricConfig
    tests: list[TestOutcome] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    stdout: bytes = b""
    stderr: bytes = b""

    def check(
        self, name: str, group: str, passed: bool, message: str, *, visible: bool = True
    ) -> None:
        """An unscored check: what happened, for the candidate (or, hidden, for reviewers)."""
        self.tests.append(
            TestOutcome(
                name=name,
                points=0.0,
                max_points=0.0,
                visible=visible,
                passed=passed,
                message=message,
                group=group,
            )
        )

    def log(self, title: str, outcome: Outcome) -> None:
        self.stdout += f"== {title} ==\n".encode() + outcome.stdout
        self.stderr += f"== {title} ==\n".encode() + outcome.stderr

    def stop(self, summary: str, reason: str) -> Graded:
        """Score 0: every metric check is reported as not reached."""
        for title, weight in _objectives(self.config):
            self.tests.append(
                TestOutcome(
                    name=f"{title} on the hidden set",
                    points=0.0,
                    max_points=weight,
                    visible=True,
                    passed=False,
                    message=f"not measured: {reason}",
                    group="metric",
                )
            )
        return Graded(
            tests=self.tests,
            score=0.0,
            summary=summary,
            run_verdicts=self.verdicts,
            stdout=self.stdout,
            stderr=self.stderr,
        )


def _objectives(config: HiddenSetMetricConfig) -> list[tuple[str, float]]:
    return [(METRIC_TITLES[config.metric], config.main_weight)] + [
        (METRIC_TITLES[o.metric], o.weight) for o in config.secondary
    ]


def _run_problem(outcome: Outcome, what: str, profile: str, *, tail_lines: int) -> str:
    """Why a run did not finish, in the candidate's terms, with the tail of its stderr."""
    reason = {
        Verdict.CPU_TIME: f"{what} used up its CPU time ({profile} limits)",
        Verdict.WALL_TIME: f"{what} passed its wall-clock limit ({profile} limits)",
        Verdict.MEMORY: f"{what} ran out of memory ({profile} limits)",
        Verdict.OUTPUT_LIMIT: f"{what} printed more output than allowed",
    }.get(outcome.verdict, f"{what} exited with code {outcome.exit_code}")
    lines = outcome.stderr.decode("utf-8", "replace").strip().splitlines()
    tail = [line[:_LOG_LINE_CHARS] for line in lines[-tail_lines:]]
    return reason + (":\n" + "\n".join(tail) if tail else "")


def _thread_env(ctx: GradingContext, profile: str) -> dict[str, str]:
    # Math libraries size their thread pools to the machine, not to the cgroup quota; pinning
    # them to the quota avoids oversubscription and keeps results identical from run to run.
    threads = str(max(1, int(ctx.limits(profile).cpu_quota)))
    names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    return dict.fromkeys(names, threads)


def _fill(command: list[str], values: Mapping[str, str]) -> list[str]:
    filled = []
    for arg in command:
        text = arg
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        filled.append(text)
    return filled


def _read_set(
    ctx: GradingContext, config: HiddenSetMetricConfig, features: str, labels: str
) -> ScoringSet:
    try:
        return load_scoring_set(
            ctx.resolve(features).read_bytes(),
            ctx.resolve(labels).read_bytes(),
            id_column=config.id_column,
            label_column=config.label_column,
        )
    except (OSError, ValueError) as exc:
        raise GraderFailure(f"cannot use the hidden set {features} / {labels}: {exc}") from exc


class HiddenSetMetricGrader(Grader[HiddenSetMetricConfig]):
    """The candidate's pipeline trains in one sandbox on the given data and predicts in a second
    sandbox on hidden features; the labels never enter a sandbox. The metric is computed outside
    and mapped to a score through the package's bands (plus weighted secondary metrics)."""

    kind = "hidden_set_metric"
    version = 1
    config_model = HiddenSetMetricConfig

    def check_package(
        self, package: ExercisePackage, config: HiddenSetMetricConfig
    ) -> list[PackageError]:
        refs = {"features": config.features, "labels": config.labels}
        if config.reference is not None:
            refs |= {
                "reference.features": config.reference.features,
                "reference.labels": config.reference.labels,
            }
        errors = require_files(package, refs)
        for run in ("train", "predict"):
            profile = getattr(config, run).limits
            if profile not in package.spec.limits:
                errors.append(
                    PackageError(
                        SPEC_FILE,
                        f"grader.config.{run}.limits",
                        f"names limits profile {profile!r}, which `limits` does not define",
                    )
                )
        train = package.spec.limits.get(config.train.limits)
        needed = 2 * config.max_model_bytes + _TAR_OVERHEAD
        if train is not None and train.work < needed:
            errors.append(
                PackageError(
                    SPEC_FILE,
                    f"limits.{config.train.limits}.work",
                    f"{format_size(train.work)} cannot hold the model directory and its archive "
                    f"(2 x max_model_bytes = {format_size(2 * config.max_model_bytes)}, plus data)",
                )
            )
        return errors

    def grade(self, ctx: GradingContext, config: HiddenSetMetricConfig) -> Graded:
        hidden = _read_set(ctx, config, config.features, config.labels)
        reference = (
            _read_set(ctx, config, config.reference.features, config.reference.labels)
            if config.reference is not None
            else None
        )
        report = _Report(config)
        model = self._train(ctx, config, report)
        if model is None:
            return report.stop(
                "The training did not produce a model; nothing was scored.", "no model"
            )
        ctx.progress(f"predicting {len(hidden.ids)} hidden rows")
        outcome, predictions = self._predict(ctx, config, model, hidden)
        report.verdicts.append(outcome.verdict)
        report.log("prediction", outcome)
        report.check(
            "prediction finished within limits",
            "predict",
            outcome.ok,
            "finished"
            if outcome.ok
            else _run_problem(
                outcome, "the prediction", config.predict.limits, tail_lines=_PREDICT_TAIL_LINES
            ),
        )
        if not outcome.ok:
            return report.stop(
                "The prediction run did not finish; nothing was scored.",
                "the prediction did not finish",
            )
        if isinstance(predictions, str):
            report.check("predictions cover every hidden row", "predict", False, predictions)
            return report.stop(
                f"The predictions could not be scored: {predictions}",
                "the predictions could not be read",
            )
        report.check(
            "predictions cover every hidden row",
            "predict",
            True,
            f"{len(hidden.ids)} predictions, one per row",
        )
        score, metrics = self._score(config, report, labels=hidden.labels, predictions=predictions)
        breakdown = {"hidden": {**metrics, "rows": float(len(hidden.ids))}}
        if reference is not None:
            diagnosis = self._diagnose(
                ctx, config, report, model=model, reference=reference, hidden_metrics=metrics
            )
            if diagnosis is not None:
                breakdown["reference"] = diagnosis
        extras = ", ".join(
            f"{METRIC_TITLES[name]} {metrics[name]:.4f}"
            for name in ("roc_auc", "pr_auc", "brier", "brier_skill")
            if name != config.metric
        )
        return Graded(
            tests=report.tests,
            score=score,
            metrics=metrics,
            breakdown=breakdown,
            summary=(
                f"Trained, then predicted {len(hidden.ids)} hidden rows: "
                f"{METRIC_TITLES[config.metric]} {metrics[config.metric]:.4f} ({extras}); "
                f"score {score:.3f}."
            ),
            run_verdicts=report.verdicts,
            stdout=report.stdout,
            stderr=report.stderr,
        )

    def _train(
        self, ctx: GradingContext, config: HiddenSetMetricConfig, report: _Report
    ) -> dict[str, bytes] | None:
        ctx.progress("training")
        profile = config.train.limits
        command = [
            "python",
            _RUNNER,
            config.model_dir,
            _ARCHIVE,
            _STATUS,
            str(config.max_model_bytes),
            str(config.max_model_files),
            "--",
            *_fill(config.train.command, {"model": config.model_dir}),
        ]
        outcome = ctx.run(
            command,
            profile=profile,
            extra_files={_RUNNER: harness_file("train_runner.py")},
            collect=[_ARCHIVE, _STATUS],
            collect_max_bytes=config.max_model_bytes + _TAR_OVERHEAD,
            env=_thread_env(ctx, profile),
        )
        report.verdicts.append(outcome.verdict)
        report.log("training", outcome)
        report.check(
            "training finished within limits",
            "train",
            outcome.ok,
            "finished"
            if outcome.ok
            else _run_problem(outcome, "the training", profile, tail_lines=_TRAIN_TAIL_LINES),
        )
        if not outcome.ok:
            return None
        try:
            if _ARCHIVE not in outcome.files:
                raise ModelArchiveError(_status_message(outcome, config))
            files = read_model_archive(
                outcome.files[_ARCHIVE],
                prefix=config.model_dir,
                max_bytes=config.max_model_bytes,
                max_files=config.max_model_files,
            )
        except ModelArchiveError as exc:
            report.check("the model directory was handed over", "train", False, str(exc))
            return None
        report.check(
            "the model directory was handed over",
            "train",
            True,
            f"{len(files)} file(s) in {config.model_dir}/",
        )
        return files

    def _predict(
        self,
        ctx: GradingContext,
        config: HiddenSetMetricConfig,
        model: dict[str, bytes],
        rows: ScoringSet,
    ) -> tuple[Outcome, npt.NDArray[np.float64] | str]:
        """One prediction run on `rows`; the parsed probabilities or the candidate-facing
        reason they cannot be scored."""
        suffix = "json" if config.predictions_format == "json" else "csv"
        features_path = f"{SCORING_DIR}/features.csv"
        predictions_path = f"{SCORING_DIR}/predictions.{suffix}"
        # The candidate's code and starter files, but not the given data (training material),
        # nor anything at the grader's own paths: a predictions file must come from this run.
        public = set(ctx.variant.public_files()) if ctx.variant is not None else set()
        files = {
            path: content
            for path, content in ctx.submission.items()
            if path not in public
            and path.split("/")[0] not in RESERVED_DIRS
            and not path.startswith(config.model_dir + "/")
        }
        files.update(model)
        files[features_path] = rows.features
        profile = config.predict.limits
        command = _fill(
            config.predict.command,
            {
                "model": config.model_dir,
                "features": features_path,
                "predictions": predictions_path,
            },
        )
        outcome = ctx.run(
            command,
            profile=profile,
            files=files,
            collect=[predictions_path],
            collect_max_bytes=config.max_predictions_bytes,
            env=_thread_env(ctx, profile),
        )
        if not outcome.ok:
            return outcome, ""
        raw = outcome.files.get(predictions_path)
        if raw is None:
            problem = outcome.collect_errors.get(predictions_path, "")
            return outcome, (
                f"the prediction run finished without writing the predictions file it was "
                f"given ({predictions_path})" + (f": {problem}" if problem else "")
            )
        try:
            return outcome, parse_predictions(
                raw,
                ids=rows.ids,
                id_column=config.id_column,
                value_column=config.prediction_column,
                fmt=config.predictions_format,
                max_bytes=config.max_predictions_bytes,
            )
        except PredictionsError as exc:
            return outcome, str(exc)

    def _score(
        self,
        config: HiddenSetMetricConfig,
        report: _Report,
        *,
        labels: npt.NDArray[np.int64],
        predictions: npt.NDArray[np.float64],
    ) -> tuple[float, dict[str, float]]:
        """The weighted band score and every metric; one scored check per weighted metric."""
        metrics = compute_metrics(labels, predictions)
        objectives: list[tuple[MetricName, list[Band], float]] = [
            (config.metric, config.bands, config.main_weight),
            *((o.metric, o.bands, o.weight) for o in config.secondary),
        ]
        score = 0.0
        for metric, bands, weight in objectives:
            value = metrics[metric]
            earned = band_score(value, bands, higher_better=higher_is_better(metric))
            score += weight * earned
            report.tests.append(
                TestOutcome(
                    name=f"{METRIC_TITLES[metric]} on the hidden set",
                    points=round(weight * earned, 6),
                    max_points=weight,
                    visible=True,
                    passed=earned >= config.pass_score,
                    message=f"{value:.4f} gives {earned:.3f} of this check "
                    f"(bands: {describe_bands(bands)})",
                    group="metric",
                )
            )
        return min(1.0, max(0.0, score)), metrics

    def _diagnose(
        self,
        ctx: GradingContext,
        config: HiddenSetMetricConfig,
        report: _Report,
        *,
        model: dict[str, bytes],
        reference: ScoringSet,
        hidden_metrics: Mapping[str, float],
    ) -> dict[str, float] | None:
        """Metrics on the reference split, for reviewers: a hidden check (never scored) flags
        a model that is much better on rows exported like its training data than on the
        hidden rows. Its run's verdict stays out of the result's verdict."""
        ctx.progress(f"predicting {len(reference.ids)} reference rows")
        outcome, predictions = self._predict(ctx, config, model, reference)
        if isinstance(predictions, str):
            problem = predictions or _run_problem(
                outcome, "the prediction", config.predict.limits, tail_lines=_PREDICT_TAIL_LINES
            )
            report.check("reference split scored", "diagnostic", False, problem, visible=False)
            return None
        metrics = compute_metrics(reference.labels, predictions)
        name = config.metric
        gap = metrics[name] - hidden_metrics[name]
        if not higher_is_better(name):
            gap = -gap
        report.check(
            "performance holds from the reference split to the hidden set",
            "diagnostic",
            gap <= _REFERENCE_GAP,
            f"{name} {metrics[name]:.4f} on rows exported like the given data, "
            f"{hidden_metrics[name]:.4f} on the hidden set",
            visible=False,
        )
        return {**metrics, "rows": float(len(reference.ids))}


def _status_message(outcome: Outcome, config: HiddenSetMetricConfig) -> str:
    """Why no archive came back, from the runner's status file (untrusted: used for wording only,
    and only when it parses as expected)."""
    try:
        status = json.loads(outcome.files.get(_STATUS, b"{}")[:4096])
        detail = status.get("detail") if isinstance(status, dict) else None
    except ValueError:
        detail = None
    if isinstance(detail, str) and detail:
        return detail
    problem = outcome.collect_errors.get(_ARCHIVE)
    if problem:
        return f"the model archive could not be collected: {problem}"
    return f"no model came back from the training run (is {config.model_dir}/ written?)"


GRADER = HiddenSetMetricGrader()
