"""The sandbox: the only code in Vetta that starts candidate processes.

    from vetta.grading.sandbox import run, Limits, Outcome, Verdict
    outcome = run(["python", "main.py"], files={"main.py": source}, limits=Limits(cpu_seconds=2))

See docs/sandbox.md for how it works and docs/adr/0001-sandbox-stack.md for why.
"""

from __future__ import annotations

from vetta.grading.sandbox.errors import SandboxError
from vetta.grading.sandbox.process import SandboxProcess
from vetta.grading.sandbox.runner import run, spawn
from vetta.grading.sandbox.runtime import runtime_python
from vetta.grading.sandbox.selfcheck import CheckReport, sandbox_available, self_check
from vetta.grading.sandbox.types import Bind, Limits, MiB, NetworkMode, Outcome, Verdict

__all__ = [
    "Bind",
    "CheckReport",
    "Limits",
    "MiB",
    "NetworkMode",
    "Outcome",
    "SandboxError",
    "SandboxProcess",
    "Verdict",
    "run",
    "runtime_python",
    "sandbox_available",
    "self_check",
    "spawn",
]
