"""Running an exercise's public tests on a candidate's work in progress ("run public tests").

The public tests are the package's `public_tests/` pytest files; they run in the sandbox next to
the candidate's files. Their result is feedback for the candidate and never counts towards a
score (the candidate controls the process that reports it).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping

from vetta.grading.contract import (
    ExerciseRef,
    GradingResult,
    ResultVerdict,
    TestOutcome,
    Timings,
    clip_log,
)
from vetta.grading.engine import GradeOptions, workspace_files
from vetta.grading.exercises.package import ExercisePackage
from vetta.grading.exercises.variants import VariantError, generate_variant
from vetta.grading.graders.base import GraderFailure, GradingContext
from vetta.grading.graders.harness import harness_file
from vetta.grading.sandbox.types import Verdict

_PLUGIN = ".vetta/pytest_report.py"
_REPORT = ".vetta/public-report.jsonl"
_PROFILE = "public_tests"  # a limits profile of that name is used when the package defines one


def run_public_tests(
    package: ExercisePackage,
    files: Mapping[str, bytes],
    *,
    run_id: str,
    seed: int,
    options: GradeOptions | None = None,
) -> GradingResult:
    options = options or GradeOptions()
    started = time.monotonic()
    ref = ExerciseRef(slug=package.slug, version=package.version)

    def answer(verdict: ResultVerdict, summary: str, **extra: object) -> GradingResult:
        return GradingResult.model_validate(
            {
                "run_id": run_id,
                "exercise": ref,
                "variant_seed": seed,
                "gradable": verdict is not ResultVerdict.GRADER_ERROR,
                "verdict": verdict,
                "score": 0.0,
                "points": 0.0,
                "max_points": 0.0,
                "summary": summary,
                "grader": "public_tests/1",
                "timings": Timings(wall_seconds=round(time.monotonic() - started, 3)),
                **extra,
            }
        )

    public = package.public_test_files()
    if not public:
        return answer(ResultVerdict.OK, "This exercise has no public tests.")
    try:
        variant = generate_variant(package, seed, unsafe_no_sandbox=options.unsafe_no_sandbox)
    except VariantError as exc:
        return answer(ResultVerdict.GRADER_ERROR, f"Could not prepare the exercise: {exc}")
    work = workspace_files(package, variant)
    work.update({path: content for path, content in files.items() if package.is_editable(path)})
    work.update({f"public_tests/{rel}": content for rel, content in public.items()})
    work.update({_PLUGIN: harness_file("pytest_report.py"), _REPORT: b""})
    ctx = GradingContext(
        package=package,
        variant=variant,
        submission=work,
        unsafe_no_sandbox=options.unsafe_no_sandbox,
        progress=options.progress,
    )
    profile = _PROFILE if _PROFILE in package.spec.limits else "default"
    try:
        outcome = ctx.run(
            [
                "python",
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "pytest_report",
                "--rootdir",
                ".",
                "public_tests",
            ],
            profile=profile,
            env={
                "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
                "PYTHONPATH": ".vetta:.",
                "VETTA_REPORT": _REPORT,
            },
            collect=[_REPORT],
        )
    except GraderFailure as exc:
        return answer(ResultVerdict.GRADER_ERROR, f"The sandbox failed: {exc}")
    tests: list[TestOutcome] = []
    for line in outcome.files.get(_REPORT, b"").decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict) or not isinstance(record.get("name"), str):
            continue
        passed = record.get("outcome") == "passed"
        tests.append(
            TestOutcome(
                name=record["name"].removeprefix("public_tests/"),
                points=1.0 if passed else 0.0,
                max_points=1.0,
                visible=True,
                passed=passed,
                message="passed" if passed else str(record.get("message", ""))[-4000:],
            )
        )
    stdout, stdout_cut = clip_log(outcome.stdout)
    stderr, stderr_cut = clip_log(outcome.stderr)
    passed = sum(t.passed for t in tests)
    limit_verdicts = {
        Verdict.CPU_TIME: ResultVerdict.CPU_TIME,
        Verdict.WALL_TIME: ResultVerdict.WALL_TIME,
        Verdict.MEMORY: ResultVerdict.MEMORY,
        Verdict.OUTPUT_LIMIT: ResultVerdict.OUTPUT_LIMIT,
    }
    if outcome.verdict in limit_verdicts:
        verdict = limit_verdicts[outcome.verdict]
    elif not tests:
        verdict = ResultVerdict.RUNTIME_ERROR
    else:
        verdict = ResultVerdict.OK if passed == len(tests) else ResultVerdict.WRONG
    summary = (
        f"{passed} of {len(tests)} public tests passed."
        if tests
        else "No test ran: see the output below (a syntax or import error?)."
    )
    return answer(
        verdict,
        summary,
        score=passed / len(tests) if tests else 0.0,
        points=float(passed),
        max_points=float(len(tests)),
        tests=tests,
        stdout=stdout,
        stderr=stderr,
        stdout_truncated=stdout_cut,
        stderr_truncated=stderr_cut,
    )
