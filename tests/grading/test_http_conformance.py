"""The http_conformance grader: its check-file parser, the pure judgement of responses and of
the latency budget, and whole gradings of tiny stdlib services in the real sandbox (skipped
locally without one, failed under CI=true)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require
from vetta.grading import sandbox
from vetta.grading.contract import GradingResult, ResultVerdict
from vetta.grading.engine import GradeOptions, grade, request_for
from vetta.grading.exercises.package import check_package, load_package
from vetta.grading.graders.http.checks import ChecksError, Expect, LatencyCheck, parse_checks
from vetta.grading.graders.http.judge import (
    Judgement,
    Reply,
    judge,
    judge_latency,
    match_json,
    percentile,
)
from vetta.grading.graders.http.openapi import OpenApiError, SchemaSet, parse_openapi

REPO = Path(__file__).resolve().parents[2]
SERVING = REPO / "exercises" / "model-serving-api"

OPENAPI = """
openapi: 3.1.0
info: {title: tiny, version: "1"}
paths: {}
components:
  schemas:
    Health:
      type: object
      additionalProperties: false
      required: [status]
      properties: {status: {const: ok}}
    Item:
      type: object
      additionalProperties: false
      required: [id, name]
      properties: {id: {type: integer}, name: {type: string}, tags: {type: array, items: {$ref: "#/components/schemas/Tag"}}}
    Tag: {type: string, minLength: 1}
    Sum:
      type: object
      required: [total]
      properties: {total: {type: number}}
"""
SCHEMAS = SchemaSet(parse_openapi(OPENAPI.encode(), source="openapi.yaml"))
NAMES = SCHEMAS.names

CHECKS = """
format: 1
gates:
  works: {groups: [happy], min_fraction: 1.0}
checks:
  - {name: health, group: happy, visible: true, request: {path: /health},
     expect: {status: 200, schema: Health}}
  - {name: item, group: happy, request: {path: /item},
     expect: {status: 200, schema: Item, json: {id: 1}}}
  - {name: sum, group: happy, points: 2,
     request: {method: POST, path: /sum, json: {a: 0.1, b: 0.2}},
     expect: {status: 200, schema: Sum, json: {total: 0.3}, tolerance: {abs: 1.0e-9}}}
  - {name: bad JSON is 422, group: validation, requires: [works],
     request: {method: POST, path: /sum, body: "{oops"}, expect: {status: 422}}
  - {name: unknown route is 404, group: routes, request: {path: /nope}, expect: {status: 404}}
"""
LATENCY = """
latency:
  - {name: latency, requests: [{request: {path: /item}, expect: {status: 200, schema: Item}}],
     total: 8, concurrency: 4, budget_ms: 5000, warmup: 1}
"""
HANG_CHECK = """
  - {name: a route that hangs, group: routes, request: {path: /hang}, expect: {status: 200}}
"""

# A stdlib service; the flags make it buggy in the ways the tests need.
SERVER = """
import json, os, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BAD_JSON_STATUS = {bad_json_status}

class Handler(BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            return self.reply(200, {{"status": "ok"}})
        if self.path == "/item":
            return self.reply(200, {{"id": 1, "name": "one"}})
        if self.path == "/hang":
            time.sleep(3600)
        if self.path in ("/flood", "/drip"):  # no Content-Length: the body ends at close
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            while True:
                self.wfile.write(b"[" * 65536 if self.path == "/flood" else b" ")
                self.wfile.flush()
                time.sleep(0 if self.path == "/flood" else 0.2)
        self.reply(404, {{"error": "not found"}})

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            data = json.loads(raw)
        except ValueError:
            return self.reply(BAD_JSON_STATUS, {{"error": "bad json"}})
        self.reply(200, {{"total": data["a"] + data["b"]}})

    def log_message(self, *args):
        print(self.requestline, "from", self.client_address, file=sys.stderr)

server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
server.daemon_threads = True
server.serve_forever()
"""

EXERCISE = """
format: 1
slug: tiny-service
version: 0.1.0
title: Tiny service
summary: A service the conformance grader's tests run.
method: coding_task
skill_areas: {{mlops_deployment: 1}}
role_contexts: [classical_ml]
time_limit_minutes: 10
difficulty: easy
grader:
  kind: http_conformance
  config:
    openapi: openapi.yaml
    checks: hidden/checks.yaml
    startup_timeout_seconds: {startup}
    request_timeout_seconds: 1
    max_check_seconds: 20
limits:
  default: {{memory: 256M, cpu_seconds: 20, wall_seconds: {wall}, pids: 64}}
files: {{editable: ["*.py"], public_tests: null}}
solutions:
  strong: {{score: [0.9, 1]}}
  partial: {{score: [0, 1]}}
  wrong: {{score: [0, 1]}}
  cheating: {{score: [0, 1]}}
"""


def server(*, bad_json_status: int = 422) -> bytes:
    return SERVER.format(bad_json_status=bad_json_status).encode()


def make_package(root: Path, checks: str = CHECKS, *, startup: float = 5, wall: float = 40) -> Path:
    package = root / "tiny-service"
    for rel, text in {
        "exercise.yaml": EXERCISE.format(startup=startup, wall=wall),
        "statement.md": "# Tiny service\n",
        "openapi.yaml": OPENAPI,
        "hidden/checks.yaml": checks,
        "starter/serve.py": "",
        **{f"solutions/{band}/serve.py": "" for band in ("strong", "partial", "wrong", "cheating")},
    }.items():
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text(text)
    return package


@pytest.fixture
def real_sandbox() -> None:
    require(sandbox.sandbox_available(), "this host cannot sandbox (vetta.grading.sandbox)")


def grade_service(package: Path, code: bytes, *, unsafe: bool = False) -> GradingResult:
    loaded = load_package(package)
    request = request_for(loaded, {"serve.py": code}, run_id="t")
    return grade(loaded, request, GradeOptions(unsafe_no_sandbox=unsafe))


def by_name(result: GradingResult) -> dict[str, tuple[bool, str]]:
    return {t.name: (t.passed, t.message) for t in result.tests}


# -- the check file -----------------------------------------------------------------------------


def test_a_valid_check_file_parses_with_its_gates_and_latency_checks() -> None:
    spec = parse_checks((CHECKS + LATENCY).encode(), source="checks.yaml", schema_names=NAMES)
    assert [c.name for c in spec.checks][:2] == ["health", "item"]
    assert [c.name for c in spec.gate_members(spec.gates["works"])] == ["health", "item", "sum"]
    assert spec.latency[0].concurrency == 4


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("checks: [", "is not valid YAML"),
        ("- just a list", "must be a mapping"),
        ("checks: []", "checks: List should have at least 1 item"),
        (
            "checks: [{name: a, request: {path: /x}, expect: {status: 200, schema: Nope}}]",
            "'Nope' is not in the OpenAPI components.schemas (Health, Item, Sum, Tag)",
        ),
        (
            "checks: [{name: a, request: {path: /x}, expect: {status: 200}},"
            " {name: a, request: {path: /y}, expect: {status: 200}}]",
            "check name 'a' is used more than once",
        ),
        (
            "checks: [{name: a, request: {method: POST, path: /x, json: {}, body: '{}'},"
            " expect: {status: 200}}]",
            "give either `json` or `body`, not both",
        ),
        (
            "checks: [{name: a, requires: [nope], request: {path: /x}, expect: {status: 200}}]",
            "checks[0].requires: no gate is named 'nope'",
        ),
        (
            "gates: {g: {groups: [ghost]}}\n"
            "checks: [{name: a, request: {path: /x}, expect: {status: 200}}]",
            "gates.g.groups: no check is in group 'ghost'",
        ),
        ("checks: [{name: a, request: {path: /x}, expect: {}}]", "checks[0].expect.status"),
        ("checks: [{name: a, request: {path: x}, expect: {status: 200}}]", "request.path"),
        (
            "checks: [{name: a, request: {path: /x}, expect: {status: 200}, pionts: 2}]",
            "checks[0].pionts: Extra inputs are not permitted",
        ),
    ],
)
def test_a_bad_check_file_is_rejected_with_the_place_of_each_problem(
    text: str, problem: str
) -> None:
    with pytest.raises(ChecksError) as caught:
        parse_checks(text.encode(), source="hidden/checks.yaml", schema_names=NAMES)
    assert str(caught.value).startswith("hidden/checks.yaml: ")
    assert problem in str(caught.value)


def test_a_json_check_file_with_a_syntax_error_names_json() -> None:
    with pytest.raises(ChecksError, match=r"checks\.json: is not valid JSON"):
        parse_checks(b'{"checks": [}', source="checks.json", schema_names=NAMES)


def test_an_openapi_document_before_3_1_is_refused() -> None:
    with pytest.raises(OpenApiError, match=r"needs 3\.1\.x"):
        parse_openapi(OPENAPI.replace("3.1.0", "3.0.3").encode(), source="openapi.yaml")


def test_validate_names_a_broken_check_file_in_the_package(tmp_path: Path) -> None:
    package = make_package(tmp_path, CHECKS.replace("schema: Sum", "schema: Total"))
    loaded, errors = check_package(package)
    assert loaded is None
    assert [(e.file, "'Total' is not in the OpenAPI" in e.message) for e in errors] == [
        ("hidden/checks.yaml", True)
    ]


def test_validate_refuses_a_wall_clock_too_short_for_start_up_and_checks(tmp_path: Path) -> None:
    _, errors = check_package(make_package(tmp_path, wall=12))
    assert any(e.field == "limits.default.wall_seconds" for e in errors), errors


# -- judging responses (pure) -------------------------------------------------------------------


def expect(text: str) -> Expect:
    spec = parse_checks(
        f"checks: [{{name: a, request: {{path: /x}}, expect: {text}}}]".encode(),
        source="c.yaml",
        schema_names=NAMES,
    )
    return spec.checks[0].expect


def json_reply(status: int, body: object) -> Reply:
    return Reply(status=status, content_type="application/json", body=json.dumps(body).encode())


def test_a_body_that_fits_its_schema_passes() -> None:
    verdict = judge(
        expect("{status: 200, schema: Item}"), json_reply(200, {"id": 1, "name": "a"}), SCHEMAS
    )
    assert verdict == Judgement(True, "status 200 and body as expected")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"id": 1}, "at $: 'name' is a required property"),
        ({"id": 1, "name": "a", "debug": True}, "('debug' was unexpected)"),
        ({"id": "1", "name": "a"}, "at $.id: '1' is not of type 'integer'"),
        ({"id": 1, "name": "a", "tags": ["x", ""]}, "at $.tags[1]: '' should be non-empty"),
    ],
)
def test_a_body_that_breaks_its_schema_fails_naming_where(body: object, problem: str) -> None:
    verdict = judge(expect("{status: 200, schema: Item}"), json_reply(200, body), SCHEMAS)
    assert not verdict.passed
    assert verdict.message.startswith("the body does not match schema Item")
    assert problem in verdict.message


def test_a_server_error_on_invalid_input_fails_and_is_counted_as_one() -> None:
    verdict = judge(expect("{status: 422}"), json_reply(500, {"detail": "boom"}), SCHEMAS)
    assert verdict == Judgement(
        False,
        "expected 422, got a server error 500: bad input must get a 4xx answer, never a 5xx",
        server_error=True,
    )


def test_nan_in_a_response_body_is_not_json() -> None:
    reply = Reply(status=200, content_type="application/json", body=b'{"total": NaN}')
    verdict = judge(expect("{status: 200, schema: Sum}"), reply, SCHEMAS)
    assert not verdict.passed
    assert "not valid JSON" in verdict.message


def test_a_body_that_is_not_json_fails_a_schema_check() -> None:
    reply = Reply(status=200, content_type="text/html", body=b"<html>")
    verdict = judge(expect("{status: 200, schema: Item}"), reply, SCHEMAS)
    assert verdict.message == "status 200, but the body is not JSON (text/html)"


def test_no_response_fails_with_the_clients_reason() -> None:
    verdict = judge(expect("{status: 200}"), Reply(error="no response within 1 s"), SCHEMAS)
    assert verdict == Judgement(False, "no response within 1 s")


def test_expected_json_is_a_subset_with_float_tolerance_and_strict_types() -> None:
    tol = expect("{status: 200, tolerance: {abs: 1.0e-6}}").tolerance
    assert (
        match_json({"p": 0.5, "tags": ["a"]}, {"p": 0.5000004, "tags": ["a"], "x": 1}, tol) is None
    )
    assert match_json({"p": 0.5}, {"p": 0.51}, tol) == "at $.p: expected 0.5 (±1e-06), got 0.51"
    assert match_json({"ok": True}, {"ok": 1}, tol) == "at $.ok: expected true, got 1"
    assert match_json({"n": 1}, {"n": True}, tol) == "at $.n: expected 1, got true"
    assert match_json([1, 2], [1, 2, 3], tol) == "at $: expected 2 items, got 3"


def test_contains_matches_items_anywhere_in_a_list() -> None:
    tol = expect("{status: 200}").tolerance
    wanted = {"details": {"$contains": [{"loc": {"$contains": ["items", 3]}}]}}
    found = {"details": [{"loc": ["model_version"]}, {"loc": ["items", 3, "features", "age"]}]}
    assert match_json(wanted, found, tol) is None
    missing = {"details": [{"loc": ["items", 2, "features", "age"]}]}
    assert match_json(wanted, missing, tol) == (
        'at $.details: no item matches {"loc": {"$contains": ["items", 3]}}'
    )


# -- the latency budget (pure, with made-up timings) ------------------------------------------


def latency_check(total: int = 20, budget_ms: float = 100) -> LatencyCheck:
    return LatencyCheck.model_validate(
        {
            "name": "latency",
            "requests": [{"request": {"path": "/x"}, "expect": {"status": 200}}],
            "total": total,
            "concurrency": 4,
            "budget_ms": budget_ms,
        }
    )


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]  # 1..20
    assert percentile(values, 95) == 19.0  # ceil(0.95 * 20) = 19th value
    assert percentile(values, 100) == 20.0
    assert percentile(values, 50) == 10.0
    assert percentile([7.0], 95) == 7.0


def test_latency_passes_when_the_p95_is_within_budget_even_with_a_slow_tail() -> None:
    timings = [0.010] * 19 + [5.0]  # one very slow request is the 5% the percentile ignores
    replies = [Reply(status=200, seconds=t) for t in timings]
    ok = [Judgement(True, "ok")] * 20
    verdict, measured = judge_latency(latency_check(), replies, ok)
    assert verdict.passed
    assert verdict.message == "p95 of 20 requests at concurrency 4 within 100 ms"
    assert measured == pytest.approx(10.0)


def test_latency_fails_over_budget_with_a_message_free_of_timings() -> None:
    replies = [Reply(status=200, seconds=0.5) for _ in range(20)]
    verdict, _ = judge_latency(latency_check(), replies, [Judgement(True, "ok")] * 20)
    assert verdict == Judgement(False, "p95 of 20 requests at concurrency 4 over the 100 ms budget")


def test_latency_fails_when_fast_answers_are_wrong() -> None:
    replies = [Reply(status=200, seconds=0.001) for _ in range(20)]
    judgements = [Judgement(True, "ok")] * 18 + [
        Judgement(False, "expected 200, got 500", True)
    ] * 2
    verdict, measured = judge_latency(latency_check(), replies, judgements)
    assert not verdict.passed and verdict.server_error and measured is None
    assert verdict.message.startswith("2 of 20 requests at concurrency 4 did not get a correct")


def test_latency_fails_when_requests_were_never_sent() -> None:
    replies = [Reply(status=200, seconds=0.001) for _ in range(5)]
    verdict, _ = judge_latency(latency_check(), replies, [Judgement(True, "ok")] * 5)
    assert not verdict.passed
    assert verdict.message.startswith("15 of 20 requests")


# -- whole gradings of tiny services ----------------------------------------------------------


@pytest.mark.parametrize("unsafe", [False, True], ids=["sandboxed", "unsafe-no-sandbox"])
def test_a_conforming_service_scores_full_marks_and_grades_identically_twice(
    tmp_path: Path, unsafe: bool, request: pytest.FixtureRequest
) -> None:
    if not unsafe:
        request.getfixturevalue("real_sandbox")
    package = make_package(tmp_path, CHECKS + LATENCY)
    first = grade_service(package, server(), unsafe=unsafe)
    second = grade_service(package, server(), unsafe=unsafe)
    assert (first.score, first.verdict) == (1.0, ResultVerdict.OK)
    assert [t.name for t in first.tests][-1] == "latency"
    # Its log lines hold client ports; they are left out of a normal result so it stays stable.
    assert first.stderr == ""
    assert first.deterministic_view() == second.deterministic_view()


@pytest.mark.sandbox
@pytest.mark.usefixtures("real_sandbox")
def test_a_500_on_bad_input_loses_the_check_and_is_counted(tmp_path: Path) -> None:
    result = grade_service(make_package(tmp_path), server(bad_json_status=500))
    passed, message = by_name(result)["bad JSON is 422"]
    assert not passed and "never a 5xx" in message
    assert result.metrics["server_errors"] == 1
    assert "1 check(s) got a server error (5xx)" in result.summary
    assert by_name(result)["sum"][0]


@pytest.mark.sandbox
@pytest.mark.usefixtures("real_sandbox")
def test_a_closed_gate_withholds_the_points_of_the_checks_that_need_it(tmp_path: Path) -> None:
    # Without /item the happy group is incomplete: the 422 check passes but earns nothing.
    code = server().replace(b'if self.path == "/item":', b'if self.path == "/never":')
    result = grade_service(make_package(tmp_path), code)
    passed, message = by_name(result)["bad JSON is 422"]
    assert not passed
    assert "status 422 as expected — but this check earns points only once" in message
    assert "gate: works" in result.summary


@pytest.mark.sandbox
@pytest.mark.usefixtures("real_sandbox")
def test_a_service_that_crashes_at_start_fails_every_check_with_its_error_output(
    tmp_path: Path,
) -> None:
    code = b"import sys\nsys.stderr.write('boom: models/ is missing\\n')\nsys.exit(3)\n"
    result = grade_service(make_package(tmp_path), code)
    assert result.gradable and result.score == 0.0
    assert result.verdict is ResultVerdict.RUNTIME_ERROR
    assert all(not t.passed for t in result.tests)
    assert all(
        t.message.startswith("not run: the service did not become ready: GET /health must answer")
        and t.message.endswith("but it exited with code 3 before answering")
        for t in result.tests
    )
    assert "boom: models/ is missing" in result.summary
    assert "boom: models/ is missing" in result.stderr


LISTENS_ONLY = (
    "import os, socket, time\n"
    "s = socket.socket()\n"
    "s.bind(('127.0.0.1', int(os.environ['PORT'])))\n"
    "s.listen()\n"
    "time.sleep(600)\n"
)


@pytest.mark.sandbox
@pytest.mark.usefixtures("real_sandbox")
@pytest.mark.parametrize(
    ("code", "why", "startup"),
    [
        (
            "import time\ntime.sleep(600)\n",
            "but nothing listened on port $PORT (the process was still running)",
            1,
        ),
        (LISTENS_ONLY, "but GET /health got no complete answer (the process was running)", 1),
        # A real server needs time to come up before it can answer 404; on a busy machine
        # more than a second.
        (SERVER.replace('"/health"', '"/healthz"'), "but GET /health answered 404", 8),
    ],
    ids=["never-listens", "never-answers", "health-404"],
)
def test_a_service_that_never_gets_ready_fails_after_the_start_up_budget(
    tmp_path: Path, code: str, why: str, startup: int
) -> None:
    source = code.format(bad_json_status=422) if "BAD_JSON_STATUS" in code else code
    result = grade_service(make_package(tmp_path, startup=startup), source.encode())
    assert result.score == 0.0
    assert result.tests[0].message.endswith(why)
    assert result.timings.wall_seconds < 30  # the service was stopped, not waited for


@pytest.mark.sandbox
@pytest.mark.usefixtures("real_sandbox")
def test_a_route_that_hangs_times_out_alone_and_the_run_still_ends(tmp_path: Path) -> None:
    result = grade_service(make_package(tmp_path, CHECKS + HANG_CHECK), server())
    checks = by_name(result)
    assert checks["a route that hangs"] == (False, "no complete response within 1 s")
    assert checks["unknown route is 404"][0] and checks["sum"][0]
    assert result.verdict is ResultVerdict.WRONG


@pytest.mark.sandbox
@pytest.mark.usefixtures("real_sandbox")
def test_an_endless_or_dripping_body_is_cut_off_and_fails_its_check(tmp_path: Path) -> None:
    hostile = """
  - {name: flood, group: routes, request: {path: /flood}, expect: {status: 200, schema: Item}}
  - {name: drip, group: routes, request: {path: /drip}, expect: {status: 200, schema: Item}}
"""
    result = grade_service(make_package(tmp_path, CHECKS + hostile), server())
    checks = by_name(result)
    assert checks["flood"] == (False, "the response body is larger than 1048576 bytes")
    assert checks["drip"] == (False, "no complete response within 1 s")
    assert checks["sum"][0]


# -- the model-serving-api package's own material ----------------------------------------------


def test_the_serving_generator_writes_checks_whose_answers_fit_the_openapi_schemas(
    tmp_path: Path,
) -> None:
    subprocess.run(
        [
            sys.executable,
            str(SERVING / "hidden" / "generate.py"),
            "--seed",
            "3",
            "--out",
            str(tmp_path),
        ],
        check=True,
        cwd=tmp_path,
    )
    schemas = SchemaSet(parse_openapi((SERVING / "starter/openapi.yaml").read_bytes(), source="o"))
    raw = (tmp_path / "hidden" / "checks.json").read_bytes()
    spec = parse_checks(raw, source="checks.json", schema_names=schemas.names)
    assert len(spec.checks) > 50 and spec.latency
    # Every full expected answer (the 200s) must itself be a valid response of the contract.
    for check in spec.checks:
        if check.expect.statuses == (200,) and check.expect.schema_ref:
            assert schemas.problem(check.expect.schema_ref, check.expect.json_subset) is None, (
                check.name
            )
    examples = json.loads((tmp_path / "public" / "examples.json").read_text())
    visible = [c for c in spec.checks if c.visible]
    assert [c.request.path for c in visible] == [e["request"]["path"] for e in examples]
