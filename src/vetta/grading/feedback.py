"""What a candidate may see of a grading result, per the exercise's feedback policy.

Public tests are shown in full. Hidden tests are aggregated (or listed by name and outcome, or
omitted) and their messages never shown: they may quote hidden inputs. Output of hidden runs and
per-family breakdowns are withheld unless the package says otherwise.
"""

from __future__ import annotations

from typing import Any

from vetta.grading.contract import GradingResult
from vetta.grading.exercises.model import FeedbackPolicy, HiddenFeedback


def candidate_view(result: GradingResult, policy: FeedbackPolicy) -> dict[str, Any]:
    public = [t for t in result.tests if t.visible]
    hidden = [t for t in result.tests if not t.visible]
    view: dict[str, Any] = {
        "verdict": result.verdict.value,
        "gradable": result.gradable,
        "score": result.score,
        "summary": result.summary,
        "public_tests": [
            {
                "name": t.name,
                "passed": t.passed,
                "message": t.message,
                "points": t.points,
                "max_points": t.max_points,
            }
            for t in public
        ],
        "hidden_tests": None,
        "metrics": dict(result.metrics) if policy.show_metrics else {},
        "breakdown": dict(result.breakdown) if policy.show_breakdown else {},
        "stdout": "",
        "stderr": "",
    }
    if hidden and policy.hidden_tests is not HiddenFeedback.NONE:
        view["hidden_tests"] = {
            "passed": sum(t.passed for t in hidden),
            "total": len(hidden),
            "tests": (
                [{"name": t.name, "passed": t.passed} for t in hidden]
                if policy.hidden_tests is HiddenFeedback.PER_TEST
                else []
            ),
        }
    if policy.show_hidden_output or not hidden:
        view["stdout"], view["stderr"] = result.stdout, result.stderr
    return view
