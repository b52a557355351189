"""`http_conformance`: the candidate's service runs in its sandbox; a trusted client in the
sandbox's network namespace checks it against the exercise's OpenAPI document.

The service starts with the exercise's command and the port in an environment variable; it must
answer the health path (2xx/3xx, like a readiness probe) within the start-up budget. Then the
checks of the package's check file (see `vetta.grading.graders.http.checks`) run one by one,
followed by the latency checks (concurrent requests, a percentile against a budget, pass/fail).
Responses are judged here, outside the sandbox, on status, JSON Schema (the document's component
schemas), expected values with tolerances, and 5xx answers to bad input. Hidden checks never
enter the sandbox, so a service can only learn of them from the requests it is sent.

Results are deterministic: messages hold no timings, and the service's own logs, full of ports
and clock times, are kept only when it failed to start or died.
"""

from __future__ import annotations

import functools
import logging
import socket
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from vetta.grading.contract import ResultVerdict, TestOutcome
from vetta.grading.exercises.errors import PackageError
from vetta.grading.exercises.package import SPEC_FILE, ExercisePackage
from vetta.grading.graders.base import (
    Graded,
    Grader,
    GraderConfig,
    GraderFailure,
    GradingContext,
    require_files,
)
from vetta.grading.graders.http import client
from vetta.grading.graders.http.checks import (
    Check,
    CheckFile,
    ChecksError,
    LatencyCheck,
    parse_checks,
)
from vetta.grading.graders.http.judge import Judgement, Reply, judge, judge_latency
from vetta.grading.graders.http.openapi import OpenApiError, SchemaSet, parse_openapi
from vetta.grading.sandbox import SandboxError, SandboxProcess
from vetta.grading.sandbox.types import Outcome, Verdict

log = logging.getLogger(__name__)

_TAIL_LINES = 25
# Between the last check and the sandbox's wall clock: stopping the service, reading its logs.
_WALL_MARGIN_SECONDS = 10.0


class HttpConformanceConfig(GraderConfig):
    command: Annotated[
        list[str], Field(min_length=1, description="Starts the service, in /work.")
    ] = ["python", "serve.py"]
    openapi: str = Field(
        description="The OpenAPI 3.1 document whose components.schemas validate responses."
    )
    checks: str = Field(
        description="The check file (JSON or YAML; see docs/http-conformance.md), usually "
        "generated: variant:hidden/checks.json."
    )
    port_env: Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]{0,63}$")] = Field(
        "PORT", description="The environment variable that tells the service its port."
    )
    health_path: Annotated[str, Field(pattern=r"^/[!-~]{0,200}$")] = Field(
        "/health", description="Polled until it answers 2xx/3xx: the service is then ready."
    )
    limits: str = Field("default", description="The limits profile of the service's sandbox.")
    startup_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = Field(
        20.0, description="Time to become ready; a service that is not gets no check run."
    )
    request_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = Field(
        5.0, description="Per request, unless a check sets its own."
    )
    max_check_seconds: Annotated[float, Field(gt=0, le=1800)] = Field(
        90.0,
        description="Budget of all checks, latency included; checks not sent by then fail.",
    )


@dataclass
class _Run:
    """What happened to the service: whether it got ready, the replies, how it ended."""

    ready: bool
    ready_reply: Reply
    replies: list[Reply]
    load: list[list[Reply]]
    outcome: Outcome
    exited_early: bool  # ended by itself (crash, limit) instead of being stopped by us


def _free_port() -> int:
    # Chosen on the host: the only place it must be free in the unsafe mode; in a sandbox the
    # network namespace is private and any port is free.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(data: bytes, lines: int = _TAIL_LINES) -> str:
    text = data.decode("utf-8", errors="replace").rstrip()
    return "\n".join(text.splitlines()[-lines:])


def _ended(outcome: Outcome) -> str:
    if outcome.verdict is Verdict.OK:
        return f"it exited with code {outcome.exit_code}"
    if outcome.verdict is Verdict.RUNTIME_ERROR:
        how = f"code {outcome.exit_code}" if outcome.signal is None else f"signal {outcome.signal}"
        return f"it exited with {how}"
    return f"it was stopped by the sandbox ({outcome.verdict.value}: {outcome.message or 'limit'})"


class HttpConformanceGrader(Grader[HttpConformanceConfig]):
    """The candidate's service runs in its sandbox; a trusted client in the sandbox's network
    namespace sends the checks of the check file and judges the answers outside: status codes,
    JSON Schemas of the OpenAPI document, expected values with tolerances, 5xx on bad input, and
    a latency percentile under concurrent requests. See docs/http-conformance.md."""

    kind = "http_conformance"
    version = 1
    config_model = HttpConformanceConfig

    def check_package(
        self, package: ExercisePackage, config: HttpConformanceConfig
    ) -> list[PackageError]:
        errors = require_files(package, {"openapi": config.openapi, "checks": config.checks})
        if config.limits not in package.spec.limits:
            errors.append(
                PackageError(
                    SPEC_FILE,
                    "grader.config.limits",
                    f"names limits profile {config.limits!r}, which `limits` does not define",
                )
            )
        else:
            wall = package.spec.limits[config.limits].wall_seconds
            needed = config.startup_timeout_seconds + config.max_check_seconds
            if wall < needed + _WALL_MARGIN_SECONDS:
                errors.append(
                    PackageError(
                        SPEC_FILE,
                        f"limits.{config.limits}.wall_seconds",
                        f"{wall:g}s is too short for the service: start-up "
                        f"({config.startup_timeout_seconds:g}s) + checks "
                        f"({config.max_check_seconds:g}s) + {_WALL_MARGIN_SECONDS:g}s",
                    )
                )
        if errors:
            return errors
        schemas: SchemaSet | None = None
        if not config.openapi.startswith("variant:"):
            rel = config.openapi.removeprefix("package:")
            try:
                spec = parse_openapi((package.root / rel).read_bytes(), source=rel)
                schemas = SchemaSet(spec, source=rel)
            except OpenApiError as exc:
                errors.append(PackageError(rel, "", str(exc).removeprefix(f"{rel}: ")))
        if schemas is not None and not config.checks.startswith("variant:"):
            rel = config.checks.removeprefix("package:")
            try:
                raw = (package.root / rel).read_bytes()
                parse_checks(raw, source=rel, schema_names=schemas.names)
            except ChecksError as exc:
                errors.extend(PackageError(rel, "", problem) for problem in exc.problems)
        return errors

    def grade(self, ctx: GradingContext, config: HttpConformanceConfig) -> Graded:
        schemas, checks = self._load(ctx, config)
        run = self._exercise(ctx, config, checks)
        return self._judge(config, checks, schemas, run)

    # -- loading the package material (its faults are grader errors) -------------------------

    def _load(
        self, ctx: GradingContext, config: HttpConformanceConfig
    ) -> tuple[SchemaSet, CheckFile]:
        try:
            spec = parse_openapi(ctx.resolve(config.openapi).read_bytes(), source=config.openapi)
            schemas = SchemaSet(spec, source=config.openapi)
            raw = ctx.resolve(config.checks).read_bytes()
            checks = parse_checks(raw, source=config.checks, schema_names=schemas.names)
        except OSError as exc:
            raise GraderFailure(f"cannot read the exercise's material: {exc}") from exc
        except (OpenApiError, ChecksError) as exc:
            raise GraderFailure(str(exc)) from exc
        return schemas, checks

    # -- running the service and the client ---------------------------------------------------

    def _exercise(
        self, ctx: GradingContext, config: HttpConformanceConfig, checks: CheckFile
    ) -> _Run:
        port = _free_port()
        ctx.progress("starting the service")
        requests = [
            (c.request, c.request.timeout_seconds or config.request_timeout_seconds)
            for c in checks.checks
        ]
        replies: list[Reply] = []
        load: list[list[Reply]] = []
        with ctx.spawn(
            config.command, profile=config.limits, env={config.port_env: str(port)}
        ) as proc:
            ready_reply = self._wait_ready(proc, port, config)
            ready = ready_reply.status is not None and 200 <= ready_reply.status < 400
            if ready:
                deadline = time.monotonic() + config.max_check_seconds
                ctx.progress(f"sending {len(requests)} checks")
                replies = proc.netns_call(
                    lambda: client.run_sequence(
                        port, requests, deadline=deadline, alive=lambda: proc.alive
                    )
                )
                for spec in checks.latency:
                    ctx.progress(f"{spec.name}: {spec.total} requests")
                    load.append(
                        proc.netns_call(
                            functools.partial(
                                client.run_load,
                                port,
                                spec,
                                deadline=deadline,
                                alive=lambda: proc.alive,
                            )
                        )
                    )
            exited_early = not proc.alive
            outcome = proc.stop()
        ctx.account(outcome)
        return _Run(ready, ready_reply, replies, load, outcome, exited_early)

    @staticmethod
    def _wait_ready(proc: SandboxProcess, port: int, config: HttpConformanceConfig) -> Reply:
        started = time.monotonic()
        try:
            proc.wait_port(port, config.startup_timeout_seconds)
        except TimeoutError:
            return Reply(error=f"nothing listened on port ${config.port_env}")
        except SandboxError:  # the process ended first; the outcome says how
            return Reply(error="it ended before listening")
        remaining = max(0.5, config.startup_timeout_seconds - (time.monotonic() - started))
        return proc.netns_call(
            lambda: client.wait_ready(
                port, config.health_path, timeout=remaining, alive=lambda: proc.alive
            )
        )

    # -- judging (pure: the same replies give the same result) --------------------------------

    def _judge(
        self, config: HttpConformanceConfig, checks: CheckFile, schemas: SchemaSet, run: _Run
    ) -> Graded:
        if not run.ready:
            return self._not_started(config, checks, run)
        raw: dict[str, Judgement] = {}
        for check, reply in zip(checks.checks, run.replies, strict=True):
            raw[check.name] = judge(check.expect, reply, schemas)
        for spec, replies in zip(checks.latency, run.load, strict=True):
            judged = [
                judge(spec.requests[i % len(spec.requests)].expect, reply, schemas)
                for i, reply in enumerate(replies)
            ]
            raw[spec.name], measured = judge_latency(spec, replies, judged)
            if measured is not None:
                log.info("%s: p%g = %.1f ms", spec.name, spec.percentile, measured)
        open_gates: dict[str, bool] = {}
        gate_notes: dict[str, str] = {}
        for name, gate in checks.gates.items():
            members = checks.gate_members(gate)
            passed = sum(raw[c.name].passed for c in members)
            open_gates[name] = passed >= gate.min_fraction * len(members) - 1e-9
            groups = ", ".join(repr(g) for g in gate.groups) or "named"
            gate_notes[name] = (
                f"earns points only once at least {gate.min_fraction:.0%} of the {groups} "
                "checks pass"
            )
        tests: list[TestOutcome] = []
        items: list[Check | LatencyCheck] = [*checks.checks, *checks.latency]
        for item in items:
            verdict = raw[item.name]
            closed = [g for g in item.requires if not open_gates[g]]
            passed = verdict.passed and not closed
            message = verdict.message
            if verdict.passed and closed:
                message += f" — but this check {gate_notes[closed[0]]}"
            if not passed and item.hint:
                message += f" (hint: {item.hint})"
            tests.append(
                TestOutcome(
                    name=item.name,
                    points=item.points if passed else 0.0,
                    max_points=item.points,
                    visible=item.visible,
                    passed=passed,
                    message=message,
                    group=item.group,
                )
            )
        server_errors = sum(j.server_error for j in raw.values())
        graded = Graded(tests=tests, run_verdicts=[run.outcome.verdict])
        graded.metrics = {
            "checks_passed": float(sum(t.passed for t in tests)),
            "checks": float(len(tests)),
            "server_errors": float(server_errors),
        }
        graded.breakdown = _breakdown(tests)
        summary = [f"{sum(t.passed for t in tests)} of {len(tests)} checks passed."]
        if server_errors:
            summary.append(f"{server_errors} check(s) got a server error (5xx).")
        closed_gates = [name for name, is_open in open_gates.items() if not is_open]
        if closed_gates:
            summary.append(
                "Some checks earned no points because the service does not yet answer enough "
                "valid requests correctly (gate: " + ", ".join(closed_gates) + ")."
            )
        if run.exited_early:
            summary.append(f"The service ended during the checks: {_ended(run.outcome)}.")
            graded.stdout, graded.stderr = run.outcome.stdout, run.outcome.stderr
        graded.summary = " ".join(summary)
        return graded

    def _not_started(self, config: HttpConformanceConfig, checks: CheckFile, run: _Run) -> Graded:
        last = run.ready_reply
        if run.exited_early:
            why = f"{_ended(run.outcome)} before answering"
        elif last.status is not None:
            why = f"GET {config.health_path} answered {last.status}"
        elif last.error.startswith("nothing listened"):
            why = f"{last.error} (the process was still running)"
        else:  # the poll's own timing would make the message differ from run to run
            why = f"GET {config.health_path} got no complete answer (the process was running)"
        problem = (
            f"the service did not become ready: GET {config.health_path} must answer 2xx "
            f"within {config.startup_timeout_seconds:g} s of `{' '.join(config.command)}` "
            f"(with ${config.port_env} set), but {why}"
        )
        message = f"not run: {problem}"
        items: list[Check | LatencyCheck] = [*checks.checks, *checks.latency]
        tests = [
            TestOutcome(
                name=item.name,
                points=0.0,
                max_points=item.points,
                visible=item.visible,
                passed=False,
                message=message,
                group=item.group,
            )
            for item in items
        ]
        summary = f"No check could run: {problem}."
        tail = _tail(run.outcome.stderr) or _tail(run.outcome.stdout)
        if tail:
            summary += f"\nLast lines of its output:\n{tail}"
        graded = Graded(
            tests=tests,
            run_verdicts=[run.outcome.verdict],
            stdout=run.outcome.stdout,
            stderr=run.outcome.stderr,
            summary=summary,
            breakdown=_breakdown(tests),
        )
        if run.exited_early and run.outcome.verdict in {Verdict.OK, Verdict.RUNTIME_ERROR}:
            graded.verdict = ResultVerdict.RUNTIME_ERROR
        return graded


def _breakdown(tests: list[TestOutcome]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = defaultdict(
        lambda: {"checks": 0.0, "passed": 0.0, "points": 0.0, "max_points": 0.0}
    )
    for test in tests:
        row = out[f"group:{test.group}"]
        row["checks"] += 1
        row["passed"] += test.passed
        row["points"] += test.points
        row["max_points"] += test.max_points
    return dict(out)


GRADER = HttpConformanceGrader()
