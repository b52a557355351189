"""Calls the candidate's functions on plain-data inputs and writes plain-data outputs.

Usage (inside the sandbox): python call_shim.py CASES_JSON RESULTS_JSONL

CASES_JSON: {"module": "name", "cases": [{"id": "...", "call": "fn", "args": [...], "kwargs": {}}]}
Each result is one JSON line {"id", "ok", "value" | "error"}, flushed before the next case, so an
early exit loses only the cases not yet run. Expected values never enter the sandbox; an object
that claims to equal everything cannot be encoded as plain data and fails here, outside its reach.
"""

from __future__ import annotations

import importlib
import json
import math
import sys
import traceback
from typing import Any

_MAX_DEPTH = 64


def plain(value: Any, depth: int = 0) -> Any:
    if depth > _MAX_DEPTH:
        raise TypeError("the returned value is nested too deeply")
    kind = type(value)
    if value is None or kind is bool or kind is str or kind is int:
        return value
    if kind is float:
        if math.isfinite(value):
            return value
        return {"__float__": repr(value)}
    if kind is list or kind is tuple:
        return [plain(item, depth + 1) for item in value]
    if kind is dict:
        out: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(f"dict keys must be str, got {type(key).__name__}")
            out[key] = plain(item, depth + 1)
        return out
    module = getattr(kind, "__module__", "")
    if module == "numpy":
        import numpy

        if kind is numpy.ndarray:
            return plain(value.tolist(), depth + 1)
        if isinstance(value, numpy.bool_):
            return bool(value)
        if isinstance(value, numpy.integer):
            return int(value)
        if isinstance(value, numpy.floating):
            return plain(float(value), depth + 1)
    raise TypeError(
        f"returned a {module}.{kind.__qualname__}, which is not plain data "
        "(use list, dict, str, int, float, bool or None)"
    )


def main() -> None:
    cases_path, results_path = sys.argv[1], sys.argv[2]
    with open(cases_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    sys.path.insert(0, ".")
    with open(results_path, "a", encoding="utf-8") as out:

        def emit(record: dict[str, Any]) -> None:
            out.write(json.dumps(record, allow_nan=False) + "\n")
            out.flush()

        try:
            module = importlib.import_module(spec["module"])
        except BaseException:
            detail = traceback.format_exc(limit=-3)
            for case in spec["cases"]:
                emit({"id": case["id"], "ok": False, "error": "import failed:\n" + detail})
            return
        for case in spec["cases"]:
            try:
                function = getattr(module, case["call"])
                value = function(*case.get("args", []), **case.get("kwargs", {}))
                emit({"id": case["id"], "ok": True, "value": plain(value)})
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt):
                    raise
                detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                emit({"id": case["id"], "ok": False, "error": detail[-2000:]})


if __name__ == "__main__":
    main()
