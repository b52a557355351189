"""Configuration of the `hidden_set_metric` grader kind (`grader.config` in exercise.yaml).

Every field has a description: `docs/exercise-format.md` is generated from these models.
"""

from __future__ import annotations

import posixpath
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from vetta.grading.exercises.model import ByteSize, parse_size
from vetta.grading.graders.base import GraderConfig
from vetta.grading.graders.hidden_set_metric.artifacts import PredictionsFormat
from vetta.grading.graders.hidden_set_metric.metrics import MetricName, check_bands
from vetta.grading.sandbox.types import MiB

# Where the prediction run finds its input and writes its output; the grader owns this folder,
# and `.vetta/` holds its runner in the training run.
SCORING_DIR = "scoring"
RESERVED_DIRS = frozenset({SCORING_DIR, ".vetta"})


class RunSpec(GraderConfig):
    """One sandboxed run of the candidate's code."""

    command: Annotated[list[str], Field(min_length=1)] = Field(
        description="argv of the run, started in /work. Placeholders: `{model}` (the model "
        "directory), and in the prediction command `{features}` (the CSV of rows to predict) "
        "and `{predictions}` (the file to write)."
    )
    limits: str = Field(description="Name of a profile of the package's `limits`.")


class Objective(GraderConfig):
    """A further metric that counts towards the score with a weight (e.g. calibration)."""

    metric: MetricName = Field(description="Metric computed on the hidden set.")
    bands: list[tuple[float, float]] = Field(
        description="[metric, score] points of a piecewise-linear map, in order of improving "
        "metric (decreasing for `brier` and `log_loss`); flat beyond the ends."
    )
    weight: Annotated[float, Field(gt=0, lt=1)] = Field(
        description="Share of the score this metric decides; the main metric gets the rest."
    )

    @model_validator(mode="after")
    def _bands_fit_metric(self) -> Objective:
        check_bands(self.metric, self.bands)
        return self


class ReferenceSplit(GraderConfig):
    """Rows exported like the given training data, scored by the same model for diagnosis only:
    their metrics go to the result's `breakdown`, never into the score."""

    features: str = Field(
        description="CSV of features (no label column), e.g. "
        "`variant:hidden/reference_features.csv`."
    )
    labels: str = Field(description="CSV with the id and label columns.")


def _safe_relative(value: str) -> str:
    normal = posixpath.normpath(value)
    if value.startswith("/") or normal.startswith("..") or normal in {".", ""}:
        raise ValueError(f"{value!r} must be a relative path inside /work")
    return normal


class HiddenSetMetricConfig(GraderConfig):
    """`grader.config` of a `hidden_set_metric` exercise."""

    train: RunSpec = Field(
        default=RunSpec(command=["python", "train.py"], limits="train"),
        description="The training run: the candidate's workspace with the given data; it must "
        "write the model directory.",
    )
    predict: RunSpec = Field(
        default=RunSpec(
            command=["python", "predict.py", "{model}", "{features}", "{predictions}"],
            limits="predict",
        ),
        description="The prediction run: the candidate's code without the given data, the model "
        "directory and the hidden features.",
    )
    model_dir: str = Field(
        "model",
        description="Directory (relative to /work) the training run "
        "writes and the prediction run receives.",
    )
    max_model_bytes: ByteSize = Field(
        64 * MiB, gt=0, description="Cap on the model directory's total size (e.g. `64M`)."
    )
    max_model_files: Annotated[int, Field(gt=0, le=10_000)] = Field(
        200, description="Cap on the number of files in the model directory."
    )
    features: str = Field(
        description="Hidden rows to predict: a CSV with the id column and the "
        "feature columns, no label (e.g. `variant:hidden/score_features.csv`)."
    )
    labels: str = Field(
        description="Their labels: a CSV with the id and label (0/1) columns. "
        "Read by the grader only."
    )
    reference: ReferenceSplit | None = Field(
        None, description="Optional diagnostic split drawn like the given data."
    )
    id_column: str = Field(description="Column naming each row (ids are compared as text).")
    label_column: str = Field(
        description="Column of the 0/1 label in the labels files; must not "
        "appear in the features files."
    )
    prediction_column: str = Field(
        description="Column (or JSON key) of the predicted probability of the positive class."
    )
    predictions_format: PredictionsFormat = Field(
        "csv",
        description="`csv`: a header with exactly the id and prediction columns, one row "
        "per id. `json`: a list of {id, prediction} records or an object {id: probability}.",
    )
    max_predictions_bytes: ByteSize = Field(
        16 * MiB, gt=0, description="Cap on the predictions file's size (e.g. `16M`)."
    )
    metric: MetricName = Field("roc_auc", description="The main metric.")
    bands: list[tuple[float, float]] = Field(
        description="[metric, score] points mapping the main metric to a score: piecewise "
        "linear, in order of improving metric, flat beyond the ends."
    )
    secondary: list[Objective] = Field(
        [], description="Further weighted metrics; the main metric's weight is 1 minus theirs."
    )
    pass_score: Annotated[float, Field(ge=0, le=1)] = Field(
        0.5, description="A metric check is reported as passed when its band score reaches this."
    )

    @field_validator("max_model_bytes", "max_predictions_bytes", mode="before")
    @classmethod
    def _sizes(cls, value: object) -> int:
        return parse_size(value)

    @field_validator("model_dir")
    @classmethod
    def _model_dir_inside(cls, value: str) -> str:
        value = _safe_relative(value)
        if value.split("/")[0] in RESERVED_DIRS:
            raise ValueError(f"{value!r} is reserved for the grader")
        return value

    @field_validator("predict")
    @classmethod
    def _predict_placeholders(cls, value: RunSpec) -> RunSpec:
        joined = " ".join(value.command)
        missing = [p for p in ("{features}", "{predictions}") if p not in joined]
        if missing:
            raise ValueError(f"the prediction command must contain {' and '.join(missing)}")
        return value

    @model_validator(mode="after")
    def _scoring(self) -> HiddenSetMetricConfig:
        check_bands(self.metric, self.bands)
        if sum(o.weight for o in self.secondary) >= 1.0:
            raise ValueError("secondary weights must add up to less than 1")
        if self.metric in {o.metric for o in self.secondary}:
            raise ValueError(f"{self.metric} is the main metric; do not repeat it in secondary")
        return self

    @property
    def main_weight(self) -> float:
        return 1.0 - sum(o.weight for o in self.secondary)
