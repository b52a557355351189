"""The `exercise.yaml` model. Its JSON Schema is exported to `docs/exercise-format.md` by
`vetta exercise schema --markdown`, and a test checks the docs are current.
"""

from __future__ import annotations

import enum
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, field_validator, model_validator

from vetta import vocabulary
from vetta.grading.sandbox.types import Limits

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?)i?B?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def parse_size(value: object) -> int:
    """'256M', '2G', '512K', '1.5G' or a plain byte count -> bytes (binary units)."""
    if isinstance(value, bool):
        raise ValueError("a size must be a number of bytes or a string like '256M'")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("a size cannot be negative")
        return value
    if isinstance(value, str):
        match = _SIZE.match(value)
        if match:
            return int(float(match.group(1)) * _UNITS[match.group(2).upper()])
    raise ValueError(f"{value!r} is not a size; write e.g. 256M, 2G or 65536")


def format_size(value: int) -> str:
    for unit in ("G", "M", "K"):
        if value >= _UNITS[unit] and value % _UNITS[unit] == 0:
            return f"{value // _UNITS[unit]}{unit}"
    return str(value)


def _size(value: object) -> int:
    return parse_size(value)


ByteSize = Annotated[
    int,
    Field(json_schema_extra={"type": ["string", "integer"], "examples": ["256M", "2G"]}),
    PlainSerializer(format_size, return_type=str),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Difficulty(enum.StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class LimitsSpec(_Strict):
    """Sandbox limits for one kind of run. Omitted fields take the unit-test defaults of
    SANDBOX.md; every value must also lie within the operator's bounds (VETTA_MAX_*)."""

    memory: ByteSize = Limits.memory_bytes
    cpu_seconds: Annotated[float, Field(gt=0)] = Limits.cpu_seconds
    wall_seconds: Annotated[float, Field(gt=0)] = Limits.wall_seconds
    pids: Annotated[int, Field(ge=1)] = Limits.pids
    cpu_quota: Annotated[float, Field(gt=0, le=64)] = Limits.cpu_quota
    tmp: ByteSize = Limits.tmp_bytes
    work: ByteSize = Limits.work_bytes
    output: ByteSize = Limits.output_bytes

    @field_validator("memory", "tmp", "work", "output", mode="before")
    @classmethod
    def _sizes(cls, value: object) -> int:
        return _size(value)

    def to_limits(self) -> Limits:
        return Limits(
            memory_bytes=self.memory,
            cpu_seconds=self.cpu_seconds,
            wall_seconds=self.wall_seconds,
            pids=self.pids,
            cpu_quota=self.cpu_quota,
            tmp_bytes=self.tmp,
            work_bytes=self.work,
            output_bytes=self.output,
            file_size_bytes=max(self.tmp, self.work),
        )


class HiddenFeedback(enum.StrEnum):
    AGGREGATE = "aggregate"  # "14 of 18 hidden tests passed", no names, inputs or messages
    PER_TEST = "per_test"  # each hidden test's name and pass/fail, never its input or message
    NONE = "none"  # only the score


class FeedbackPolicy(_Strict):
    """What the candidate sees of a graded submission. Public tests are always shown in full."""

    hidden_tests: HiddenFeedback = HiddenFeedback.AGGREGATE
    show_metrics: bool = True
    # Slices such as attack families stay hidden unless stated: naming held-out families would
    # teach the candidate the hidden corpus.
    show_breakdown: bool = False
    # Output of hidden runs may print hidden inputs, so it is withheld unless stated.
    show_hidden_output: bool = False


class UploadSpec(_Strict):
    """Whether the candidate may upload a file or an archive instead of (or besides) editing."""

    allowed_extensions: list[str] = [".py"]
    max_bytes: ByteSize = 1024 * 1024
    archives: bool = False  # .zip / .tar.gz extracted safely into the submission

    @field_validator("max_bytes", mode="before")
    @classmethod
    def _sizes(cls, value: object) -> int:
        return _size(value)


class FilesSpec(_Strict):
    statement: str = "statement.md"
    starter: str = "starter"
    public_tests: str | None = "public_tests"
    hidden: str = "hidden"
    # Glob patterns (relative to the submission root) of the files a candidate may hand in.
    editable: Annotated[list[str], Field(min_length=1)]
    max_submission_bytes: ByteSize = 2 * 1024 * 1024
    uploads: UploadSpec | None = None

    @field_validator("max_submission_bytes", mode="before")
    @classmethod
    def _sizes(cls, value: object) -> int:
        return _size(value)


class VariantsSpec(_Strict):
    """A seeded generator: `python GENERATOR --seed N --out DIR` writes `DIR/public/` (handed to
    the candidate with the starter files) and `DIR/hidden/` (grader-only). Same seed, same bytes."""

    generator: str
    default_seed: Annotated[int, Field(ge=0, lt=2**32)] = 0
    timeout_seconds: Annotated[float, Field(gt=0, le=1800)] = 120.0
    memory: ByteSize = 1024**3

    @field_validator("memory", mode="before")
    @classmethod
    def _sizes(cls, value: object) -> int:
        return _size(value)


class BandSpec(_Strict):
    """The score range [min, max] every reference solution of a band must land in."""

    score: tuple[Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)]]
    description: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> BandSpec:
        low, high = self.score
        if low > high:
            raise ValueError(f"score range [{low}, {high}] is empty: min is above max")
        return self


class GraderSpec(_Strict):
    kind: Literal["unit_tests", "hidden_set_metric", "http_conformance", "labelled_corpus"]
    # Validated by the grader kind's own model (see vetta.grading.graders).
    config: dict[str, Any] = {}


class ExerciseSpec(_Strict):
    """An exercise package's `exercise.yaml`."""

    format: Literal[1] = Field(1, description="Version of this file format.")
    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
    version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$", description="Semantic version.")]
    title: Annotated[str, Field(min_length=3, max_length=120)]
    summary: Annotated[str, Field(min_length=10, max_length=400)]
    method: Literal[
        "coding_task", "system_design_interview", "evaluation_case_study", "security_scenario"
    ]
    skill_areas: Annotated[
        dict[str, Annotated[float, Field(gt=0, le=1)]],
        Field(min_length=1, description="Skill areas evidenced, with weights in (0, 1]."),
    ]
    role_contexts: Annotated[list[str], Field(min_length=1)]
    time_limit_minutes: Annotated[int, Field(ge=5, le=480)]
    difficulty: Difficulty
    grader: GraderSpec
    limits: dict[str, LimitsSpec] = Field(
        default_factory=lambda: {"default": LimitsSpec()},
        description="Named sandbox limit profiles; `default` is used unless the grader names one.",
    )
    feedback: FeedbackPolicy = FeedbackPolicy()
    files: FilesSpec
    variants: VariantsSpec | None = None
    solutions: dict[str, BandSpec] = Field(
        description="Score range per reference-solution band (strong, partial, wrong, cheating)."
    )
    # Parts scored by people later (e.g. a written analysis on a rubric); listed for the plan.
    rubric_parts: list[str] = []

    @field_validator("skill_areas")
    @classmethod
    def _known_skill_areas(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(vocabulary.SKILL_AREAS))
        if unknown:
            raise ValueError(
                f"unknown skill area(s) {', '.join(unknown)}; "
                f"known: {', '.join(vocabulary.SKILL_AREAS)}"
            )
        return value

    @field_validator("role_contexts")
    @classmethod
    def _known_contexts(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(vocabulary.ROLE_CONTEXTS))
        if unknown:
            raise ValueError(
                f"unknown role context(s) {', '.join(unknown)}; "
                f"known: {', '.join(vocabulary.ROLE_CONTEXTS)}"
            )
        return value

    @field_validator("solutions")
    @classmethod
    def _bands(cls, value: dict[str, BandSpec]) -> dict[str, BandSpec]:
        unknown = sorted(set(value) - set(vocabulary.SOLUTION_BANDS))
        if unknown:
            raise ValueError(
                f"unknown band(s) {', '.join(unknown)}; bands are "
                f"{', '.join(vocabulary.SOLUTION_BANDS)}"
            )
        missing = [b for b in vocabulary.SOLUTION_BANDS if b not in value]
        if missing:
            raise ValueError(f"every band needs a score range; missing: {', '.join(missing)}")
        return value

    @model_validator(mode="after")
    def _default_limits(self) -> ExerciseSpec:
        if "default" not in self.limits:
            raise ValueError("limits must define a `default` profile")
        return self
