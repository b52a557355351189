"""The grading contract: what a grading run is asked (`GradingRequest`) and what it answers
(`GradingResult`).

Both are versioned by `schema_version`; their JSON Schemas are snapshotted in
`tests/grading/snapshots/` so that a change to the contract is always a deliberate one. The shape
follows PrairieLearn's `results.json`: a score in [0, 1], per-test points, visibility flags, and a
verdict in which the grader's own failure (`grader_error`) is never the candidate's fault.
"""

from __future__ import annotations

import base64
import enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION = 1
MAX_LOG_CHARS = 8_000  # stdout/stderr kept in a result; the rest is cut with a marker


class ResultVerdict(enum.StrEnum):
    OK = "ok"  # ran within limits and earned every point
    WRONG = "wrong"  # ran within limits and lost points
    CPU_TIME = "cpu_time"
    WALL_TIME = "wall_time"
    MEMORY = "memory"
    OUTPUT_LIMIT = "output_limit"
    RUNTIME_ERROR = "runtime_error"  # the candidate's code could not run (import error, crash)
    GRADER_ERROR = "grader_error"  # the platform failed; the attempt may be resubmitted freely


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExerciseRef(_Strict):
    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
    version: str


class SubmittedFile(_Strict):
    """One file handed in, relative to the submission root; content is base64 so that binary
    uploads (a model file, a notebook) cross the queue unchanged."""

    path: Annotated[str, Field(min_length=1, max_length=255)]
    content_b64: str

    @field_validator("path")
    @classmethod
    def _relative_and_inside(cls, value: str) -> str:
        parts = value.split("/")
        if value.startswith("/") or any(p in {"", ".", ".."} for p in parts) or "\\" in value:
            raise ValueError(f"file path {value!r} must be relative, without '..' or empty parts")
        return value

    @classmethod
    def of(cls, path: str, content: bytes) -> SubmittedFile:
        return cls(path=path, content_b64=base64.b64encode(content).decode("ascii"))

    def content(self) -> bytes:
        return base64.b64decode(self.content_b64, validate=True)


class GradingRequest(_Strict):
    schema_version: Literal[1] = 1
    run_id: Annotated[str, Field(min_length=1, max_length=64)]
    exercise: ExerciseRef
    variant_seed: Annotated[int, Field(ge=0, lt=2**32)] = 0
    files: list[SubmittedFile]


class TestOutcome(_Strict):
    """One test (or one scored check) of a run."""

    __test__ = False  # not a pytest test class, despite its name

    name: str
    points: Annotated[float, Field(ge=0)]
    max_points: Annotated[float, Field(ge=0)]
    visible: bool  # shown to the candidate in full (public) or only in aggregate (hidden)
    passed: bool
    message: str = ""
    group: str = ""  # e.g. the sandbox run it belonged to, or an attack family


class Timings(_Strict):
    """Measurements that vary from run to run; excluded from determinism comparisons."""

    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    sandbox_runs: int = 0


class GradingResult(_Strict):
    schema_version: Literal[1] = 1
    run_id: str
    exercise: ExerciseRef
    variant_seed: int
    gradable: bool  # False only for grader_error: no score should be recorded against anyone
    verdict: ResultVerdict
    score: Annotated[float, Field(ge=0.0, le=1.0)]
    points: Annotated[float, Field(ge=0)]
    max_points: Annotated[float, Field(ge=0)]
    tests: list[TestOutcome] = []
    # Named measurements, e.g. {"roc_auc": 0.83} or {"recall_at_1pct_fpr": 0.91}.
    metrics: dict[str, float] = {}
    # Per-slice measurements, e.g. {"family:indirect": {"recall": 0.8, "count": 120}}.
    breakdown: dict[str, dict[str, float]] = {}
    summary: str = ""  # one paragraph for people: what was checked and how it went
    stdout: str = ""
    stderr: str = ""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    grader: str = ""  # grader kind and version, e.g. "unit_tests/1"
    timings: Timings = Timings()

    def deterministic_view(self) -> dict[str, object]:
        """Everything but the timings: equal for two gradings of the same submission+variant."""
        return self.model_dump(exclude={"timings", "run_id"})


def clip_log(data: bytes | str, limit: int = MAX_LOG_CHARS) -> tuple[str, bool]:
    """Decode and cut a log for a result; returns (text, truncated)."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if len(text) <= limit:
        return text, False
    return text[:limit] + f"\n… [{len(text) - limit} more characters cut]", True
