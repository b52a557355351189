"""The verdict mapping, as a pure function: what happened -> what the candidate is told."""

from __future__ import annotations

import pytest

from vetta.grading.sandbox.types import Limits, Verdict
from vetta.grading.sandbox.verdicts import Facts, decide, split_status

LIMITS = Limits(cpu_seconds=2.0, memory_bytes=64 * 1024 * 1024, wall_seconds=5.0)


def facts(**overrides: object) -> Facts:
    base: dict[str, object] = {
        "started": True,
        "kill_reason": None,
        "stopped": False,
        "returncode": 0,
        "cpu_seconds": 0.1,
        "oom_kills": 0,
        "limits": LIMITS,
    }
    base.update(overrides)
    return Facts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "verdict"),
    [
        ({}, Verdict.OK),
        ({"returncode": 1}, Verdict.RUNTIME_ERROR),
        ({"returncode": 139}, Verdict.RUNTIME_ERROR),  # SIGSEGV, bubblewrap's 128+N
        ({"returncode": 137, "oom_kills": 1}, Verdict.MEMORY),
        ({"returncode": 0, "oom_kills": 1}, Verdict.OK),  # a child was OOM-killed, run succeeded
        ({"returncode": 152}, Verdict.CPU_TIME),  # SIGXCPU: the RLIMIT_CPU backstop fired
        ({"cpu_seconds": 2.01}, Verdict.CPU_TIME),  # over budget between two checks still counts
        ({"kill_reason": Verdict.CPU_TIME, "returncode": 137}, Verdict.CPU_TIME),
        ({"kill_reason": Verdict.WALL_TIME, "returncode": 137}, Verdict.WALL_TIME),
        (
            {"kill_reason": Verdict.OUTPUT_LIMIT, "returncode": 137, "cpu_seconds": 9.0},
            Verdict.OUTPUT_LIMIT,  # the first reason the supervisor acted on wins
        ),
        ({"stopped": True, "returncode": 137}, Verdict.OK),  # a server stopped by the grader
        ({"stopped": True, "returncode": 137, "oom_kills": 2}, Verdict.MEMORY),
        ({"started": False, "returncode": 1}, Verdict.SANDBOX_ERROR),
        ({"started": False, "returncode": 0}, Verdict.SANDBOX_ERROR),
    ],
)
def test_verdict_mapping(overrides: dict[str, object], verdict: Verdict) -> None:
    assert decide(facts(**overrides)).verdict is verdict


def test_a_run_that_never_started_is_never_blamed_on_the_candidate() -> None:
    decision = decide(facts(started=False, returncode=1, setup_error="bwrap: no such file"))
    assert decision.verdict is Verdict.SANDBOX_ERROR
    assert decision.message == "bwrap: no such file"


def test_messages_explain_limits_in_the_units_authors_set() -> None:
    assert decide(facts(cpu_seconds=2.3)).message == "killed: used 2.30 s of CPU, budget 2 s"
    memory = decide(facts(returncode=137, oom_kills=1)).message
    assert memory == "out of memory: the 64 MiB limit was hit (1 process(es) killed)"
    assert decide(facts(returncode=139)).message == "killed by SIGSEGV"
    assert decide(facts(returncode=3)).message == "exited with status 3"


@pytest.mark.parametrize(
    ("returncode", "split"),
    [
        (0, (0, None)),
        (3, (3, None)),
        (128, (128, None)),
        (137, (None, 9)),
        (-9, (None, 9)),
        (200, (200, None)),
        (None, (None, None)),
    ],
)
def test_split_status(returncode: int | None, split: tuple[int | None, int | None]) -> None:
    assert split_status(returncode) == split
