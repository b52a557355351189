"""Grading a submission against an exercise package: the one entry point every interface uses
(the CLI's `vetta grade`, the Celery task, `vetta exercise test`).

Whatever goes wrong inside a grader becomes a `grader_error` result: gradable=False, no score,
never the candidate's fault.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from vetta.grading.contract import (
    ExerciseRef,
    GradingRequest,
    GradingResult,
    ResultVerdict,
    SubmittedFile,
    Timings,
    clip_log,
)
from vetta.grading.exercises.package import ExercisePackage
from vetta.grading.exercises.variants import Variant, VariantError, generate_variant
from vetta.grading.graders import get_grader
from vetta.grading.graders.base import Graded, GraderFailure, GradingContext, Progress
from vetta.grading.sandbox.types import Verdict

log = logging.getLogger(__name__)

# When points were lost, the worst limit a run hit names the result; ordered worst first.
_LIMIT_VERDICTS: tuple[tuple[Verdict, ResultVerdict], ...] = (
    (Verdict.MEMORY, ResultVerdict.MEMORY),
    (Verdict.CPU_TIME, ResultVerdict.CPU_TIME),
    (Verdict.WALL_TIME, ResultVerdict.WALL_TIME),
    (Verdict.OUTPUT_LIMIT, ResultVerdict.OUTPUT_LIMIT),
)


class SubmissionRejected(ValueError):
    """The files handed in break the exercise's rules (a path not editable, too large)."""


@dataclass
class GradeOptions:
    unsafe_no_sandbox: bool = False
    progress: Progress = field(default=lambda message: None)


def workspace_files(package: ExercisePackage, variant: Variant | None) -> dict[str, bytes]:
    """What a candidate starts from: the starter files and the variant's public files."""
    files = package.starter_files()
    if variant is not None:
        files.update(variant.public_files())
    return files


def check_submission(package: ExercisePackage, files: list[SubmittedFile]) -> None:
    limit = package.spec.files.max_submission_bytes
    total = 0
    for item in files:
        if not package.is_editable(item.path):
            allowed = ", ".join(package.spec.files.editable)
            raise SubmissionRejected(f"{item.path}: not a file this exercise accepts ({allowed})")
        total += len(item.content())
    if total > limit:
        raise SubmissionRejected(f"the submission is {total} bytes; the limit is {limit} bytes")


def _verdict(graded: Graded, score: float) -> ResultVerdict:
    if graded.verdict is not None:
        return graded.verdict
    if score >= 1.0 - 1e-9:
        return ResultVerdict.OK
    for sandbox_verdict, result_verdict in _LIMIT_VERDICTS:
        if sandbox_verdict in graded.run_verdicts:
            return result_verdict
    if score == 0 and Verdict.RUNTIME_ERROR in graded.run_verdicts:
        return ResultVerdict.RUNTIME_ERROR
    return ResultVerdict.WRONG


def platform_failure(
    *,
    run_id: str,
    exercise: ExerciseRef,
    variant_seed: int,
    message: str,
    grader: str = "",
    wall_seconds: float = 0.0,
) -> GradingResult:
    """A `grader_error` result: no score, never held against the candidate."""
    return GradingResult(
        run_id=run_id,
        exercise=exercise,
        variant_seed=variant_seed,
        gradable=False,
        verdict=ResultVerdict.GRADER_ERROR,
        score=0.0,
        points=0.0,
        max_points=0.0,
        summary=f"Grading failed for a reason on the platform's side: {message}",
        grader=grader,
        timings=Timings(wall_seconds=wall_seconds),
    )


def _error_result(
    request: GradingRequest, grader: str, message: str, started: float
) -> GradingResult:
    return platform_failure(
        run_id=request.run_id,
        exercise=request.exercise,
        variant_seed=request.variant_seed,
        message=message,
        grader=grader,
        wall_seconds=time.monotonic() - started,
    )


def grade(
    package: ExercisePackage, request: GradingRequest, options: GradeOptions | None = None
) -> GradingResult:
    options = options or GradeOptions()
    started = time.monotonic()
    kind = package.spec.grader.kind
    grader = get_grader(kind)
    grader_name = f"{kind}/{grader.version}"
    expected_ref = ExerciseRef(slug=package.slug, version=package.version)
    if request.exercise != expected_ref:
        return _error_result(
            request,
            grader_name,
            f"the request is for {request.exercise.slug} {request.exercise.version} but the "
            f"package is {package.slug} {package.version}",
            started,
        )
    try:
        check_submission(package, request.files)
    except SubmissionRejected as exc:
        return GradingResult(
            run_id=request.run_id,
            exercise=request.exercise,
            variant_seed=request.variant_seed,
            gradable=True,
            verdict=ResultVerdict.WRONG,
            score=0.0,
            points=0.0,
            max_points=0.0,
            summary=f"The submission was not accepted: {exc}",
            grader=grader_name,
        )
    config, errors = grader.parse_config(package.spec.grader.config)
    if config is None:
        return _error_result(request, grader_name, "; ".join(map(str, errors)), started)
    try:
        options.progress("preparing the variant")
        variant = generate_variant(
            package, request.variant_seed, unsafe_no_sandbox=options.unsafe_no_sandbox
        )
        submission = workspace_files(package, variant)
        submission.update({item.path: item.content() for item in request.files})
        ctx = GradingContext(
            package=package,
            variant=variant,
            submission=submission,
            unsafe_no_sandbox=options.unsafe_no_sandbox,
            progress=options.progress,
        )
        graded = grader.grade(ctx, config)
    except (GraderFailure, VariantError) as exc:
        log.warning("grader error on %s: %s", request.run_id, exc)
        return _error_result(request, grader_name, str(exc), started)
    except Exception as exc:  # a bug in a grader must not be blamed on the candidate
        log.exception("grader crashed on %s", request.run_id)
        return _error_result(
            request, grader_name, f"internal error ({type(exc).__name__})", started
        )
    points = sum(t.points for t in graded.tests)
    max_points = sum(t.max_points for t in graded.tests)
    if graded.score is not None:
        score = graded.score
    else:
        score = points / max_points if max_points else 0.0
    score = min(1.0, max(0.0, round(score, 6)))
    stdout, stdout_cut = clip_log(graded.stdout)
    stderr, stderr_cut = clip_log(graded.stderr)
    return GradingResult(
        run_id=request.run_id,
        exercise=request.exercise,
        variant_seed=request.variant_seed,
        gradable=True,
        verdict=_verdict(graded, score),
        score=score,
        points=round(points, 6),
        max_points=round(max_points, 6),
        tests=graded.tests,
        metrics={k: round(v, 6) for k, v in graded.metrics.items()},
        breakdown={
            k: {m: round(v, 6) for m, v in slice_.items()} for k, slice_ in graded.breakdown.items()
        },
        summary=graded.summary,
        stdout=stdout,
        stderr=stderr,
        stdout_truncated=stdout_cut,
        stderr_truncated=stderr_cut,
        grader=grader_name,
        timings=Timings(
            wall_seconds=round(time.monotonic() - started, 3),
            cpu_seconds=round(ctx.cpu_seconds, 3),
            sandbox_runs=ctx.sandbox_runs,
        ),
    )


def request_for(
    package: ExercisePackage, files: Mapping[str, bytes], *, run_id: str, seed: int | None = None
) -> GradingRequest:
    default_seed = package.spec.variants.default_seed if package.spec.variants else 0
    return GradingRequest(
        run_id=run_id,
        exercise=ExerciseRef(slug=package.slug, version=package.version),
        variant_seed=default_seed if seed is None else seed,
        files=[SubmittedFile.of(path, content) for path, content in sorted(files.items())],
    )
