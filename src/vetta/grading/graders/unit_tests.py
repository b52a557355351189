"""`unit_tests`: hidden tests call the candidate's functions through a trusted shim.

Inputs cross into the sandbox as JSON; outputs come back as plain JSON data and are compared
here, outside, against expected values that never enter the sandbox. So an object whose `__eq__`
is always true, a patched `assert` or test framework, an early `exit(0)`, a forged result file or
sniffing the harness gains nothing. Cases run in groups, one sandbox run per group, each with its
own limits profile: a large-input group with a tight CPU budget fails a quadratic solution.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vetta.grading.contract import ResultVerdict, TestOutcome
from vetta.grading.exercises.errors import PackageError
from vetta.grading.exercises.package import ExercisePackage
from vetta.grading.graders.base import (
    Graded,
    Grader,
    GraderConfig,
    GraderFailure,
    GradingContext,
    require_files,
)
from vetta.grading.graders.compare import Comparison, short_repr, values_match
from vetta.grading.graders.shim import Call, call_through_shim
from vetta.grading.sandbox.types import Verdict


class GroupSpec(GraderConfig):
    limits: str = "default"  # a profile of the package's `limits`


class UnitTestsConfig(GraderConfig):
    module: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.]*$")]
    # A JSON list of cases (see `Case`); usually generated per variant.
    cases: str
    groups: dict[str, GroupSpec] = {"main": GroupSpec()}


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1)]
    call: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    expected: Any
    points: Annotated[float, Field(gt=0)] = 1.0
    visible: bool = False
    group: str = "main"
    compare: Comparison = Comparison()
    hint: str = ""  # shown with a failure, e.g. "sessions split at exactly the gap"


def load_cases(ctx: GradingContext, config: UnitTestsConfig) -> list[Case]:
    path = ctx.resolve(config.cases)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        cases = [Case.model_validate(item) for item in raw]
    except (OSError, ValueError, ValidationError) as exc:
        raise GraderFailure(f"cannot read the test cases {config.cases}: {exc}") from exc
    unknown = sorted({c.group for c in cases} - set(config.groups))
    if unknown:
        raise GraderFailure(f"cases name undefined group(s): {', '.join(unknown)}")
    if not cases:
        raise GraderFailure(f"{config.cases} holds no cases")
    return cases


def _limit_message(verdict: Verdict, profile: str) -> str:
    return {
        Verdict.CPU_TIME: f"not finished: the run used up its CPU time ({profile} limits)",
        Verdict.WALL_TIME: f"not finished: the run passed its wall-clock limit ({profile} limits)",
        Verdict.MEMORY: f"not finished: the run ran out of memory ({profile} limits)",
        Verdict.OUTPUT_LIMIT: "not finished: the run printed more output than allowed",
    }.get(verdict, "no result: the process ended before this test ran")


class UnitTestsGrader(Grader[UnitTestsConfig]):
    kind = "unit_tests"
    version = 1
    config_model = UnitTestsConfig

    def check_package(
        self, package: ExercisePackage, config: UnitTestsConfig
    ) -> list[PackageError]:
        errors = require_files(package, {"cases": config.cases})
        for name, group in config.groups.items():
            if group.limits not in package.spec.limits:
                errors.append(
                    PackageError(
                        "exercise.yaml",
                        f"grader.config.groups.{name}.limits",
                        f"names limits profile {group.limits!r}, which `limits` does not define",
                    )
                )
        return errors

    def grade(self, ctx: GradingContext, config: UnitTestsConfig) -> Graded:
        cases = load_cases(ctx, config)
        by_group: dict[str, list[tuple[str, Case]]] = defaultdict(list)
        for index, case in enumerate(cases):
            by_group[case.group].append((f"c{index}", case))
        tests: list[TestOutcome] = []
        verdicts: list[Verdict] = []
        stdout, stderr = b"", b""
        import_failures = 0
        for group_name, members in by_group.items():
            profile = config.groups[group_name].limits
            ctx.progress(f"running {len(members)} test(s) of group {group_name!r}")
            run = call_through_shim(
                ctx,
                module=config.module,
                calls=[Call(cid, c.call, c.args, c.kwargs) for cid, c in members],
                profile=profile,
            )
            outcome, results = run.outcome, run.records
            verdicts.append(outcome.verdict)
            stdout += outcome.stdout
            stderr += outcome.stderr
            for cid, case in members:
                record = results.get(cid)
                if record is None:
                    passed, message = False, _limit_message(outcome.verdict, profile)
                elif not record.get("ok"):
                    error = str(record.get("error", "error"))
                    import_failures += error.startswith("import failed")
                    passed, message = False, f"raised {error}"
                else:
                    passed = values_match(case.expected, record.get("value"), case.compare)
                    message = (
                        "passed"
                        if passed
                        else f"expected {short_repr(case.expected)}, "
                        f"got {short_repr(record.get('value'))}"
                    )
                if not passed and case.hint:
                    message += f" (hint: {case.hint})"
                tests.append(
                    TestOutcome(
                        name=case.name,
                        points=case.points if passed else 0.0,
                        max_points=case.points,
                        visible=case.visible,
                        passed=passed,
                        message=message,
                        group=group_name,
                    )
                )
        passed_count = sum(t.passed for t in tests)
        graded = Graded(
            tests=tests,
            run_verdicts=verdicts,
            stdout=stdout,
            stderr=stderr,
            summary=f"{passed_count} of {len(tests)} tests passed.",
        )
        if import_failures == len(tests):
            graded.verdict = ResultVerdict.RUNTIME_ERROR
            graded.summary = f"The module {config.module!r} could not be imported."
        return graded


GRADER = UnitTestsGrader()
