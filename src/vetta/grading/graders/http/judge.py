"""Judging responses against a check's expectations, and the latency budget: pure functions on
plain data, so that the conformance verdict never depends on anything but what came back.

Messages name what differed but never carry timings: two gradings of the same submission must
give the same result, and a p95 measured on a busy machine is not the same twice.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vetta.grading.graders.http.checks import CONTAINS, Expect, LatencyCheck, Tolerance
from vetta.grading.graders.http.openapi import SchemaSet

_SHOWN = 120  # characters of a value quoted in a message


@dataclass(frozen=True)
class Reply:
    """What the trusted client got for one request."""

    status: int | None = None  # None: no complete HTTP response (see `error`)
    content_type: str = ""
    body: bytes = b""
    error: str = ""
    seconds: float = 0.0  # request sent to body read; only the latency check looks at it


@dataclass(frozen=True)
class Judgement:
    passed: bool
    message: str
    server_error: bool = False  # a 5xx answer: counted apart, it is never a correct answer


def _shown(value: Any) -> str:
    text = json.dumps(value, sort_keys=True) if not isinstance(value, str) else repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_json(body: bytes) -> Any:
    """Strict JSON: NaN and Infinity, which Python would read, are not JSON and are refused."""
    return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def match_json(expected: Any, actual: Any, tolerance: Tolerance, path: str = "$") -> str | None:
    """The first place where `actual` does not hold `expected` (see the check-file docs), or
    None when it does."""
    if isinstance(expected, dict) and set(expected) == {CONTAINS}:
        if not isinstance(actual, list):
            return f"at {path}: expected a list, got {_shown(actual)}"
        for wanted in expected[CONTAINS]:
            if not any(match_json(wanted, item, tolerance) is None for item in actual):
                return f"at {path}: no item matches {_shown(wanted)}"
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"at {path}: expected an object, got {_shown(actual)}"
        for key, value in expected.items():
            if key not in actual:
                return f"at {path}: the field {key!r} is missing"
            problem = match_json(value, actual[key], tolerance, f"{path}.{key}")
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"at {path}: expected a list, got {_shown(actual)}"
        if len(actual) != len(expected):
            return f"at {path}: expected {len(expected)} items, got {len(actual)}"
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            problem = match_json(want, got, tolerance, f"{path}[{index}]")
            if problem:
                return problem
        return None
    if isinstance(expected, float) and not isinstance(expected, bool):
        if not _is_number(actual) or not math.isclose(
            expected, actual, rel_tol=tolerance.rel, abs_tol=tolerance.abs
        ):
            return f"at {path}: expected {expected!r} (±{tolerance.abs:g}), got {_shown(actual)}"
        return None
    if _is_number(expected):
        if not _is_number(actual) or actual != expected:
            return f"at {path}: expected {expected!r}, got {_shown(actual)}"
        return None
    # str, bool, None: same type and value (True is not 1 in JSON)
    if type(actual) is not type(expected) or actual != expected:
        return f"at {path}: expected {_shown(expected)}, got {_shown(actual)}"
    return None


def judge(expect: Expect, reply: Reply, schemas: SchemaSet) -> Judgement:
    if reply.status is None:
        return Judgement(False, reply.error or "no response")
    wanted = " or ".join(map(str, expect.statuses))
    if reply.status not in expect.statuses:
        server_error = reply.status >= 500
        message = f"expected status {wanted}, got {reply.status}"
        if server_error and all(400 <= s < 500 for s in expect.statuses):
            message = (
                f"expected {wanted}, got a server error {reply.status}: bad input must get a "
                "4xx answer, never a 5xx"
            )
        elif server_error:
            message = f"expected {wanted}, got a server error {reply.status}"
        return Judgement(False, message, server_error)
    if not expect.reads_body:
        return Judgement(True, f"status {reply.status} as expected")
    if "json" not in reply.content_type.lower():
        shown = reply.content_type or "none"
        return Judgement(False, f"status {reply.status}, but the body is not JSON ({shown})")
    try:
        body = parse_json(reply.body)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return Judgement(False, f"status {reply.status}, but the body is not valid JSON ({exc})")
    if expect.schema_ref is not None:
        try:
            problem = schemas.problem(expect.schema_ref, body)
        except RecursionError:
            problem = "the body is nested too deeply to check"
        if problem:
            return Judgement(False, f"the body does not match schema {expect.schema_ref} {problem}")
    if expect.has_json:
        try:
            problem = match_json(expect.json_subset, body, expect.tolerance)
        except RecursionError:
            problem = "the body is nested too deeply to check"
        if problem:
            return Judgement(False, f"unexpected body {problem}")
    return Judgement(True, f"status {reply.status} and body as expected")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: the smallest value with at least q% of the values at or below
    it (so the p95 of 64 requests is the 61st fastest)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def judge_latency(
    spec: LatencyCheck, replies: Sequence[Reply], judgements: Sequence[Judgement]
) -> tuple[Judgement, float | None]:
    """Pass when every measured request got a correct answer and the percentile of their
    latencies is within the budget. Also returns the measured percentile in ms (for logs only:
    it never enters a result)."""
    setup = f"{spec.total} requests at concurrency {spec.concurrency}"
    wrong = sum(not j.passed for j in judgements)
    if len(replies) < spec.total or wrong:
        missing = spec.total - len(judgements) + wrong
        first = next((j.message for j in judgements if not j.passed), "not sent")
        return (
            Judgement(
                False,
                f"{missing} of {setup} did not get a correct answer (first: {first}); the "
                "budget only counts correct answers",
                server_error=any(j.server_error for j in judgements),
            ),
            None,
        )
    measured = percentile([r.seconds for r in replies], spec.percentile) * 1000
    name = f"p{spec.percentile:g}"
    if measured <= spec.budget_ms:
        return Judgement(True, f"{name} of {setup} within {spec.budget_ms:g} ms"), measured
    return Judgement(False, f"{name} of {setup} over the {spec.budget_ms:g} ms budget"), measured
