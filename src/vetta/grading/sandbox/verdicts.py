"""From what happened to a verdict: a pure function, unit-tested on its own.

Order matters. A run we killed gets the reason we killed it for; a run that passed its CPU budget
between two supervisor checks is still `cpu_time`; an OOM kill explains a failure only if the run
failed. `sandbox_error` is reserved for runs whose command never started (bubblewrap, cgroups, the
launcher failed): the candidate is never blamed for the platform.
"""

from __future__ import annotations

import signal as signals
from dataclasses import dataclass

from vetta.grading.sandbox.types import Limits, MiB, Verdict


@dataclass(frozen=True)
class Facts:
    started: bool  # the in-sandbox marker was seen: the command was exec'd
    kill_reason: Verdict | None  # why the supervisor killed the run, if it did
    stopped: bool  # spawn(): the caller stopped a running server; not a failure
    returncode: int | None  # of the outermost process, bwrap's encoding (128+N = signal N)
    cpu_seconds: float
    oom_kills: int
    limits: Limits
    setup_error: str = ""


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    exit_code: int | None
    signal: int | None
    message: str


def split_status(returncode: int | None) -> tuple[int | None, int | None]:
    """(exit code, signal). bubblewrap reports a child killed by signal N as exit 128+N, like a
    shell; a command that itself exits with 128+N therefore reads as a signal too."""
    if returncode is None:
        return None, None
    if returncode < 0:
        return None, -returncode
    if 128 < returncode < 128 + 65:
        return None, returncode - 128
    return returncode, None


def _signal_name(number: int) -> str:
    try:
        return signals.Signals(number).name
    except ValueError:
        return f"signal {number}"


def decide(facts: Facts) -> Decision:
    limits = facts.limits
    exit_code, signal = split_status(facts.returncode)
    if not facts.started:
        detail = facts.setup_error or "the sandbox failed before the command started"
        return Decision(Verdict.SANDBOX_ERROR, exit_code, signal, detail)
    if facts.kill_reason is Verdict.OUTPUT_LIMIT:
        return Decision(
            Verdict.OUTPUT_LIMIT,
            exit_code,
            signal,
            f"killed: output passed the {limits.output_bytes}-byte cap",
        )
    if facts.kill_reason is Verdict.WALL_TIME:
        return Decision(
            Verdict.WALL_TIME,
            exit_code,
            signal,
            f"killed at the {limits.wall_seconds:g} s wall clock",
        )
    if (
        facts.kill_reason is Verdict.CPU_TIME
        or facts.cpu_seconds > limits.cpu_seconds
        or signal == signals.SIGXCPU
    ):
        return Decision(
            Verdict.CPU_TIME,
            exit_code,
            signal,
            f"killed: used {facts.cpu_seconds:.2f} s of CPU, budget {limits.cpu_seconds:g} s",
        )
    failed = facts.returncode != 0 and not facts.stopped
    if facts.oom_kills > 0 and (failed or facts.stopped):
        return Decision(
            Verdict.MEMORY,
            exit_code,
            signal,
            f"out of memory: the {limits.memory_bytes // MiB} MiB limit was hit "
            f"({facts.oom_kills} process(es) killed)",
        )
    if facts.stopped:
        return Decision(Verdict.OK, exit_code, signal, "stopped by the grader")
    if signal is not None:
        return Decision(
            Verdict.RUNTIME_ERROR, exit_code, signal, f"killed by {_signal_name(signal)}"
        )
    if exit_code != 0:
        return Decision(Verdict.RUNTIME_ERROR, exit_code, signal, f"exited with status {exit_code}")
    return Decision(Verdict.OK, exit_code, signal, "")
