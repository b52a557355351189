"""The check file of an `http_conformance` exercise: every request the trusted client sends and
what it expects back, declared as data (JSON or YAML), never as code run on the trusted side.

```yaml
format: 1
gates:                       # optional: points that only count once the service really works
  predicts: {groups: [predict, batch], hidden_only: true, min_fraction: 0.5}
checks:
  - name: "predict: one item, default model"
    group: predict
    points: 2
    visible: false           # shown to the candidate in full, or only by the feedback policy
    request: {method: POST, path: /v1/predict, json: {features: {age: 41}}}
    expect:
      status: 200            # or a list of acceptable statuses
      schema: Prediction     # a name in the OpenAPI document's components.schemas
      json: {probability: 0.7311, label: churned}   # a subset of the body
      tolerance: {abs: 1.0e-6}                      # for floats in `json`
  - name: "validation: NaN is rejected"
    group: validation
    requires: [predicts]
    request: {method: POST, path: /v1/predict, body: '{"features": {"age": NaN}}'}
    expect: {status: 422, schema: Error}
latency:
  - name: "latency: p95 of 64 predictions at concurrency 16"
    requests: [{request: {...}, expect: {...}}]   # sent round-robin
    total: 64
    concurrency: 16
    percentile: 95
    budget_ms: 500
```

`json` is a subset: objects may hold more keys than expected (the schema says whether they may),
lists must have the same length and match item by item, floats match within `tolerance`, and an
object `{"$contains": [a, b]}` matches a list holding, somewhere, an item that matches each of
a, b. A gate is open when at least `min_fraction` of its member checks passed; a check that
`requires` a closed gate earns no points, so a service that rejects every request cannot collect
the points of the validation checks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

MAX_CHECK_FILE_BYTES = 16 * 1024 * 1024
CONTAINS = "$contains"

_NAME = Annotated[str, Field(min_length=1, max_length=160)]
_GROUP = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,40}$")]
_PATH = Annotated[str, Field(pattern=r"^/[!-~]{0,2047}$")]  # printable ASCII, no spaces


class ChecksError(ValueError):
    """The check file is malformed: the package's fault, so grading ends as grader_error."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RequestSpec(_Strict):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] = "GET"
    path: _PATH
    headers: dict[str, str] = {}
    # `json` is encoded by the client; `body` is sent byte for byte (malformed JSON, NaN literals).
    json_body: Any = Field(None, alias="json")
    body: str | None = None
    content_type: str | None = None  # defaults to application/json when a body is sent
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] | None = None

    @property
    def has_json(self) -> bool:
        return "json_body" in self.model_fields_set

    @model_validator(mode="after")
    def _one_body(self) -> RequestSpec:
        if self.has_json and self.body is not None:
            raise ValueError("give either `json` or `body`, not both")
        if any(k.lower() in {"host", "content-length", "transfer-encoding"} for k in self.headers):
            raise ValueError("headers may not set Host, Content-Length or Transfer-Encoding")
        return self

    def content(self) -> bytes | None:
        if self.has_json:
            return json.dumps(self.json_body, allow_nan=False).encode("utf-8")
        if self.body is not None:
            return self.body.encode("utf-8")
        return None


class Tolerance(_Strict):
    abs: Annotated[float, Field(ge=0)] = 1e-9
    rel: Annotated[float, Field(ge=0)] = 0.0


class Expect(_Strict):
    status: (
        Annotated[int, Field(ge=100, le=599)]
        | Annotated[list[Annotated[int, Field(ge=100, le=599)]], Field(min_length=1)]
    )
    schema_ref: str | None = Field(None, alias="schema")
    json_subset: Any = Field(None, alias="json")
    tolerance: Tolerance = Tolerance()

    @property
    def has_json(self) -> bool:
        return "json_subset" in self.model_fields_set

    @property
    def statuses(self) -> tuple[int, ...]:
        return (self.status,) if isinstance(self.status, int) else tuple(self.status)

    @property
    def reads_body(self) -> bool:
        return self.schema_ref is not None or self.has_json


class Check(_Strict):
    name: _NAME
    group: _GROUP = "main"
    points: Annotated[float, Field(gt=0, le=1000)] = 1.0
    visible: bool = False
    request: RequestSpec
    expect: Expect
    requires: list[str] = []
    hint: Annotated[str, Field(max_length=300)] = ""  # shown with a failure


class Exchange(_Strict):
    """One request of a latency check and what its answer must be."""

    request: RequestSpec
    expect: Expect


class LatencyCheck(_Strict):
    name: _NAME
    group: _GROUP = "latency"
    points: Annotated[float, Field(gt=0, le=1000)] = 1.0
    visible: bool = False
    requires: list[str] = []
    requests: Annotated[list[Exchange], Field(min_length=1)]
    total: Annotated[int, Field(ge=1, le=2000)]
    concurrency: Annotated[int, Field(ge=1, le=64)]
    percentile: Annotated[float, Field(gt=0, le=100)] = 95.0
    budget_ms: Annotated[float, Field(gt=0)]
    # Sent one at a time before measuring (imports, caches, the first connection); not judged.
    warmup: Annotated[int, Field(ge=0, le=100)] = 4
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    max_seconds: Annotated[float, Field(gt=0, le=600)] = 30.0
    hint: Annotated[str, Field(max_length=300)] = ""


class Gate(_Strict):
    groups: list[_GROUP] = []
    checks: list[_NAME] = []
    # Count only hidden checks: answers hard-coded from the public examples open no gate.
    hidden_only: bool = False
    min_fraction: Annotated[float, Field(gt=0, le=1)] = 1.0


class CheckFile(_Strict):
    format: Literal[1] = 1
    gates: dict[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")], Gate] = {}
    checks: Annotated[list[Check], Field(min_length=1)]
    latency: list[LatencyCheck] = []

    def gate_members(self, gate: Gate) -> list[Check]:
        return [
            c
            for c in self.checks
            if (c.group in gate.groups or c.name in gate.checks)
            and not (gate.hidden_only and c.visible)
        ]


def _loc(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _expectations(spec: CheckFile) -> Iterable[tuple[str, Expect]]:
    for i, check in enumerate(spec.checks):
        yield f"checks[{i}] ({check.name!r})", check.expect
    for i, lat in enumerate(spec.latency):
        for j, exchange in enumerate(lat.requests):
            yield f"latency[{i}].requests[{j}]", exchange.expect


def _cross_check(spec: CheckFile, schema_names: frozenset[str]) -> list[str]:
    problems: list[str] = []
    names = [c.name for c in spec.checks] + [lat.name for lat in spec.latency]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"check name {name!r} is used more than once")
    for where, expect in _expectations(spec):
        if expect.schema_ref is not None and expect.schema_ref not in schema_names:
            known = ", ".join(sorted(schema_names))
            problems.append(
                f"{where}.expect.schema: {expect.schema_ref!r} is not in the OpenAPI "
                f"components.schemas ({known})"
            )
    groups = {c.group for c in spec.checks}
    check_names = {c.name for c in spec.checks}
    for gate_name, gate in spec.gates.items():
        for group in gate.groups:
            if group not in groups:
                problems.append(f"gates.{gate_name}.groups: no check is in group {group!r}")
        for name in gate.checks:
            if name not in check_names:
                problems.append(f"gates.{gate_name}.checks: no check is named {name!r}")
        if not gate.groups and not gate.checks:
            problems.append(f"gates.{gate_name}: name its member `groups` or `checks`")
        elif not spec.gate_members(gate):
            problems.append(f"gates.{gate_name}: has no member checks")
    required = [(f"checks[{i}]", c.requires) for i, c in enumerate(spec.checks)]
    required += [(f"latency[{i}]", lat.requires) for i, lat in enumerate(spec.latency)]
    for where, gates in required:
        for gate_name in gates:
            if gate_name not in spec.gates:
                problems.append(f"{where}.requires: no gate is named {gate_name!r}")
    return problems


def parse_checks(raw: bytes, *, source: str, schema_names: frozenset[str]) -> CheckFile:
    """The check file in `raw` (JSON, or YAML when `source` does not end in .json), checked
    against itself and against the OpenAPI schema names; every problem is named by location."""
    if len(raw) > MAX_CHECK_FILE_BYTES:
        raise ChecksError(source, [f"larger than {MAX_CHECK_FILE_BYTES} bytes"])
    try:
        text = raw.decode("utf-8")
        # yaml would read JSON too, but takes seconds on a large generated file.
        data = json.loads(text) if source.endswith(".json") else yaml.safe_load(text)
    except (UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        kind = "JSON" if source.endswith(".json") else "YAML"
        raise ChecksError(source, [f"is not valid {kind}: {exc}"]) from exc
    if not isinstance(data, dict):
        raise ChecksError(source, ["must be a mapping with `checks` (and optional `gates`)"])
    try:
        spec = CheckFile.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{_loc(err['loc'])}: {err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors()
        ]
        raise ChecksError(source, problems[:20]) from None
    problems = _cross_check(spec, schema_names)
    if problems:
        raise ChecksError(source, problems)
    return spec
