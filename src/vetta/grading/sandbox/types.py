"""Public value types of the sandbox. Pure data, no behaviour: graders build `Limits` and `Bind`s,
call `vetta.grading.sandbox.run` (or `spawn`), and read an `Outcome`."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

MiB = 1024 * 1024


class Verdict(enum.StrEnum):
    OK = "ok"
    RUNTIME_ERROR = "runtime_error"  # exited non-zero or was killed by a signal we did not send
    CPU_TIME = "cpu_time"  # the cgroup's total CPU passed the budget
    WALL_TIME = "wall_time"  # still running at the wall-clock deadline
    MEMORY = "memory"  # the memory cgroup OOM-killed something
    OUTPUT_LIMIT = "output_limit"  # stdout or stderr passed its cap
    SANDBOX_ERROR = "sandbox_error"  # the sandbox itself failed: never the candidate's fault


class NetworkMode(enum.StrEnum):
    NONE = "none"  # a private network namespace with only a loopback nobody else can reach
    LOOPBACK = "loopback"  # same, but trusted host code may join it to talk to a server inside


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 256 * MiB  # cgroup memory, no swap; tmpfs pages count here too
    cpu_seconds: float = 5.0  # total CPU of every process in the run (cgroup accounting)
    wall_seconds: float = 10.0
    pids: int = 64
    cpu_quota: float = 1.0  # cores the run may use at once (cgroup CPU quota)
    tmp_bytes: int = 64 * MiB  # size of /tmp
    work_bytes: int = 64 * MiB  # size of the writable /work
    output_bytes: int = 1 * MiB  # cap on each of stdout and stderr kept and allowed
    file_size_bytes: int = 64 * MiB  # RLIMIT_FSIZE backstop
    open_files: int = 256  # RLIMIT_NOFILE backstop


@dataclass(frozen=True)
class Bind:
    """A host path made visible inside the sandbox, read-only unless `writable`."""

    source: Path
    target: str
    writable: bool = False


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    exit_code: int | None
    signal: int | None
    cpu_seconds: float
    wall_seconds: float
    peak_memory_bytes: int
    stdout: bytes
    stderr: bytes
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    # Files the caller asked to collect from /work after the run, read safely (O_NOFOLLOW, fstat,
    # size cap). A requested file that was missing, not regular, or too big is absent here and its
    # reason is in `collect_errors`.
    files: dict[str, bytes] = field(default_factory=dict)
    collect_errors: dict[str, str] = field(default_factory=dict)
    message: str = ""  # human explanation for sandbox_error and for limit verdicts

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK
