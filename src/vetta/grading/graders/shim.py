"""Calling the candidate's functions through the trusted shim (`harness/call_shim.py`): one
sandbox run, plain-JSON inputs in, plain-JSON results out, judged by the caller outside."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vetta.grading.graders.base import GradingContext
from vetta.grading.graders.harness import harness_file
from vetta.grading.sandbox.types import Outcome

_SHIM = ".vetta/call_shim.py"
_CASES = ".vetta/cases.json"
_RESULTS = ".vetta/results.jsonl"
MAX_RESULTS_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Call:
    id: str
    function: str
    args: Sequence[Any] = ()
    kwargs: dict[str, Any] | None = None


@dataclass(frozen=True)
class ShimRun:
    outcome: Outcome
    # id -> {"ok": True, "value": ...} or {"ok": False, "error": "..."}; a call the process never
    # reached (a limit, an early exit) has no entry.
    records: dict[str, dict[str, Any]]


def parse_results(raw: bytes) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for line in raw.decode("utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            records[record["id"]] = record  # the shim writes in order: the last word wins
    return records


def call_through_shim(
    ctx: GradingContext, *, module: str, calls: Sequence[Call], profile: str
) -> ShimRun:
    payload = {
        "module": module,
        "cases": [
            {"id": c.id, "call": c.function, "args": list(c.args), "kwargs": c.kwargs or {}}
            for c in calls
        ],
    }
    outcome = ctx.run(
        ["python", _SHIM, _CASES, _RESULTS],
        profile=profile,
        extra_files={
            _SHIM: harness_file("call_shim.py"),
            _CASES: json.dumps(payload).encode(),
            _RESULTS: b"",
        },
        collect=[_RESULTS],
        collect_max_bytes=MAX_RESULTS_BYTES,
    )
    return ShimRun(outcome=outcome, records=parse_results(outcome.files.get(_RESULTS, b"")))
