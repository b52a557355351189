"""`vetta exercise test`: every reference solution must land in its band's score range, and no
cheating solution may score above the best wrong one."""

from __future__ import annotations

from dataclasses import dataclass

from vetta.grading.contract import GradingResult
from vetta.grading.engine import GradeOptions, grade, request_for
from vetta.grading.exercises.package import ExercisePackage, Solution
from vetta.grading.exercises.submission import read_submission


@dataclass
class SolutionCheck:
    solution: Solution
    result: GradingResult
    low: float
    high: float
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def check_solutions(
    package: ExercisePackage, options: GradeOptions | None = None, seed: int | None = None
) -> list[SolutionCheck]:
    options = options or GradeOptions()
    checks: list[SolutionCheck] = []
    for solution in package.solutions():
        options.progress(f"grading {solution.name}")
        files, _ignored = read_submission(solution.path, package)
        request = request_for(package, files, run_id=f"selftest-{solution.name}", seed=seed)
        result = grade(package, request, options)
        low, high = package.spec.solutions[solution.band].score
        check = SolutionCheck(solution=solution, result=result, low=low, high=high)
        if not result.gradable:
            check.problem = f"grader error: {result.summary}"
        elif not low - 1e-9 <= result.score <= high + 1e-9:
            check.problem = f"score {result.score:.3f} is outside [{low:g}, {high:g}]"
        checks.append(check)
    wrong = [c.result.score for c in checks if c.solution.band == "wrong" and c.result.gradable]
    best_wrong = max(wrong, default=0.0)
    for check in checks:
        if check.solution.band == "cheating" and check.ok and check.result.score > best_wrong:
            check.problem = (
                f"cheating scored {check.result.score:.3f}, above the best wrong solution "
                f"({best_wrong:.3f})"
            )
    return checks
