"""Comparison of plain-data values, outside the sandbox. Pure functions."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Comparison(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # exact: equal as JSON data; approx: floats within tolerance; unordered: lists as multisets
    kind: Literal["exact", "approx", "unordered"] = "exact"
    rel: Annotated[float, Field(ge=0)] = 1e-9
    abs: Annotated[float, Field(ge=0)] = 1e-9


def _decode_float(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"__float__"}:
        return float(value["__float__"])
    return value


def _approx_equal(expected: Any, actual: Any, rel: float, abs_: float) -> bool:
    expected, actual = _decode_float(expected), _decode_float(actual)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        if math.isnan(expected) or math.isnan(actual):
            return math.isnan(expected) and math.isnan(actual)
        return math.isclose(expected, actual, rel_tol=rel, abs_tol=abs_)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(
            _approx_equal(e, a, rel, abs_) for e, a in zip(expected, actual, strict=True)
        )
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(
            _approx_equal(expected[k], actual[k], rel, abs_) for k in expected
        )
    return type(expected) is type(actual) and bool(expected == actual)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def values_match(expected: Any, actual: Any, comparison: Comparison) -> bool:
    if comparison.kind == "unordered":
        if not isinstance(expected, list) or not isinstance(actual, list):
            return False
        return sorted(map(_canonical, expected)) == sorted(map(_canonical, actual))
    if comparison.kind == "approx":
        return _approx_equal(expected, actual, comparison.rel, comparison.abs)
    # exact still tells 1 from True, which Python's == would not
    return _canonical(expected) == _canonical(actual)


def short_repr(value: Any, limit: int = 300) -> str:
    text = _canonical(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} chars)"
