"""What every grader kind shares: its configuration model, the context it grades in, and the
partial result it hands back for the engine to turn into a `GradingResult`."""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from vetta.grading import sandbox
from vetta.grading.contract import ResultVerdict, TestOutcome
from vetta.grading.exercises.errors import PackageError
from vetta.grading.exercises.package import SPEC_FILE, ExercisePackage
from vetta.grading.exercises.variants import Variant
from vetta.grading.sandbox.types import Limits, NetworkMode, Outcome, Verdict


class GraderConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


ConfigT = TypeVar("ConfigT", bound=GraderConfig)
Progress = Callable[[str], None]


class GraderFailure(Exception):
    """The grader cannot grade (broken package material, a sandbox failure): `grader_error`,
    never held against the candidate."""


@dataclass
class GradingContext:
    package: ExercisePackage
    variant: Variant | None
    # The candidate's workspace as graded: starter files and the variant's public files,
    # overlaid with what the candidate handed in.
    submission: dict[str, bytes]
    unsafe_no_sandbox: bool = False
    progress: Progress = field(default=lambda message: None)
    sandbox_runs: int = 0
    cpu_seconds: float = 0.0

    def resolve(self, ref: str) -> Path:
        """`variant:hidden/x.json` (generated per seed) or a path relative to the package."""
        if ref.startswith("variant:"):
            if self.variant is None:
                raise GraderFailure(f"{ref!r} names variant material but the package has none")
            return self.variant.root / ref.removeprefix("variant:")
        return self.package.root / ref.removeprefix("package:")

    def limits(self, profile: str = "default") -> Limits:
        return self.package.limits(profile).to_limits()

    def run(
        self,
        command: Sequence[str],
        *,
        profile: str = "default",
        files: Mapping[str, bytes] | None = None,
        extra_files: Mapping[str, bytes] | None = None,
        collect: Sequence[str] = (),
        collect_max_bytes: int = 16 * 1024 * 1024,
        stdin: bytes | None = None,
        env: Mapping[str, str] | None = None,
        limits: Limits | None = None,
    ) -> Outcome:
        """One sandboxed run with the candidate's workspace in /work (plus `extra_files`)."""
        work = dict(self.submission if files is None else files)
        work.update(extra_files or {})
        outcome = sandbox.run(
            list(command),
            limits=limits or self.limits(profile),
            files=work,
            collect=collect,
            collect_max_bytes=collect_max_bytes,
            stdin=stdin,
            env=env,
            network=NetworkMode.NONE,
            unsafe_no_sandbox=self.unsafe_no_sandbox,
        )
        self.account(outcome)
        return outcome

    def spawn(
        self,
        command: Sequence[str],
        *,
        profile: str = "default",
        extra_files: Mapping[str, bytes] | None = None,
        env: Mapping[str, str] | None = None,
        limits: Limits | None = None,
    ) -> sandbox.SandboxProcess:
        """Starts the candidate's workspace as a server in a sandbox whose private loopback
        trusted code can join (`netns_call`). Pass the `Outcome` of `stop()` to `account`."""
        work = dict(self.submission)
        work.update(extra_files or {})
        try:
            return sandbox.spawn(
                list(command),
                limits=limits or self.limits(profile),
                files=work,
                env=env,
                network=NetworkMode.LOOPBACK,
                unsafe_no_sandbox=self.unsafe_no_sandbox,
            )
        except sandbox.SandboxError as exc:
            raise GraderFailure(f"the sandbox failed to start the service: {exc}") from exc

    def account(self, outcome: Outcome) -> None:
        """Counts a finished sandbox run; a sandbox failure is the platform's, not the
        candidate's."""
        self.sandbox_runs += 1
        self.cpu_seconds += outcome.cpu_seconds
        if outcome.verdict is Verdict.SANDBOX_ERROR:
            raise GraderFailure(f"the sandbox failed: {outcome.message or 'no detail'}")


@dataclass
class Graded:
    """A grader's answer; the engine adds identity, logs and the final verdict."""

    tests: list[TestOutcome]
    # None: score = points / max_points. Metric graders map a metric to a score themselves.
    score: float | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    breakdown: dict[str, dict[str, float]] = field(default_factory=dict)
    summary: str = ""
    # Sandbox verdicts of the candidate's runs, worst decides the result's verdict when points
    # were lost.
    run_verdicts: list[Verdict] = field(default_factory=list)
    stdout: bytes = b""
    stderr: bytes = b""
    # Set when the candidate's code could not run at all (e.g. an import error).
    verdict: ResultVerdict | None = None


class Grader(abc.ABC, Generic[ConfigT]):
    kind: ClassVar[str]
    version: ClassVar[int] = 1
    config_model: type[ConfigT]

    def parse_config(self, raw: Mapping[str, Any]) -> tuple[ConfigT | None, list[PackageError]]:
        try:
            return self.config_model.model_validate(dict(raw)), []
        except ValidationError as exc:
            return None, [
                PackageError(
                    SPEC_FILE,
                    "grader.config." + ".".join(str(p) for p in err["loc"]),
                    err["msg"].removeprefix("Value error, "),
                )
                for err in exc.errors()
            ]

    def check_package(self, package: ExercisePackage, config: ConfigT) -> list[PackageError]:
        """Checks of the package material this kind needs (files named in its config exist)."""
        return []

    @abc.abstractmethod
    def grade(self, ctx: GradingContext, config: ConfigT) -> Graded: ...


def require_files(package: ExercisePackage, refs: Mapping[str, str]) -> list[PackageError]:
    """Errors for config fields naming package files that do not exist. Variant material
    (`variant:...`) only exists once generated and is checked by running the generator."""
    errors: list[PackageError] = []
    for field_name, ref in refs.items():
        if ref.startswith("variant:"):
            if package.spec.variants is None:
                errors.append(
                    PackageError(
                        SPEC_FILE,
                        f"grader.config.{field_name}",
                        f"{ref!r} names variant material but `variants` is not set",
                    )
                )
            continue
        if not (package.root / ref.removeprefix("package:")).exists():
            errors.append(
                PackageError(
                    ref.removeprefix("package:"), "", f"is missing (grader.config.{field_name})"
                )
            )
    return errors
