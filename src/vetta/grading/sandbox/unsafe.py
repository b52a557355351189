"""Unsandboxed runs, for exercise authors on a laptop that cannot sandbox. Never for candidates.

Only `unsafe_no_sandbox=True` or `VETTA_UNSAFE_NO_SANDBOX=1` lead here, and every run logs a loud
WARNING. The code runs as the calling user in a temporary directory, with rlimits (through
`prlimit`) and the same wall-clock, CPU and output supervision, but no isolation at all: it can read
your files and use your network. Memory is not measured (`peak_memory_bytes` is 0) and the CPU
total covers the main process and the children it waited for.

Sandbox paths are mapped onto the temporary directory so that commands written for the sandbox
still work: `/work` is a temp dir, and each bind target (`/harness`) is a symlink in another temp
dir; argv items, `cwd` and environment values that start with those paths are rewritten.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from vetta.grading.sandbox import bwrap
from vetta.grading.sandbox.monitor import Monitor
from vetta.grading.sandbox.process import SandboxProcess
from vetta.grading.sandbox.runtime import RuntimeInfo, find_runtime
from vetta.grading.sandbox.safeio import UnsafeFileError, read_under, safe_relative_path
from vetta.grading.sandbox.types import Bind, Limits, Outcome
from vetta.grading.sandbox.verdicts import Facts, decide

log = logging.getLogger(__name__)
T = TypeVar("T")
WARNING = (
    "UNSAFE: running %r WITHOUT the sandbox (unsafe_no_sandbox / VETTA_UNSAFE_NO_SANDBOX). "
    "The code can read your files and use your network. Never do this with candidate code."
)


class _GroupAccounting:
    """CPU of the process group leader (and its waited children), killing by process group."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.last = 0.0

    def cpu_seconds(self) -> float:
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            self.last = sum(int(v) for v in fields[11:15]) / self.ticks
        return self.last

    def kill_now(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)

    def reap(self, popen: subprocess.Popen[bytes]) -> int:
        # wait4 rather than popen.wait(): its rusage is the only CPU figure left after exit.
        _pid, status, usage = os.wait4(popen.pid, 0)
        self.last = usage.ru_utime + usage.ru_stime
        popen.returncode = os.waitstatus_to_exitcode(status)
        return popen.returncode


class _UnsafeSession:
    def __init__(
        self, *, root: Path, limits: Limits, collect: Sequence[str], max_bytes: int
    ) -> None:
        self.root = root
        self.work = root / "work"
        self.limits = limits
        self.collect = collect
        self.max_bytes = max_bytes
        self.monitor: Monitor | None = None
        self.accounting: _GroupAccounting | None = None

    def netns_call(self, fn: Callable[[], T]) -> T:
        log.warning("UNSAFE: netns_call runs in the host's own network namespace")
        return fn()

    def collect_files(
        self, names: Sequence[str], max_bytes: int
    ) -> tuple[dict[str, bytes], dict[str, str]]:
        files: dict[str, bytes] = {}
        errors: dict[str, str] = {}
        for name in names:
            try:
                files[name] = read_under(self.work, name, max_bytes)
            except UnsafeFileError as error:
                errors[name] = str(error)
        return files, errors

    def finish(self) -> Outcome:
        monitor = self.monitor
        assert monitor is not None and self.accounting is not None
        self.accounting.kill_now()
        cpu = self.accounting.last
        files, errors = self.collect_files(self.collect, self.max_bytes)
        for stream in (monitor.popen.stdout, monitor.popen.stderr):
            if stream is not None:
                stream.close()
        shutil.rmtree(self.root, ignore_errors=True)
        decision = decide(
            Facts(
                started=True,
                kill_reason=monitor.kill_reason,
                stopped=monitor.stopped,
                returncode=monitor.returncode,
                cpu_seconds=cpu,
                oom_kills=0,
                limits=self.limits,
            )
        )
        return Outcome(
            verdict=decision.verdict,
            exit_code=decision.exit_code,
            signal=decision.signal,
            cpu_seconds=cpu,
            wall_seconds=monitor.wall_seconds,
            peak_memory_bytes=0,
            stdout=monitor.stdout.value(),
            stderr=monitor.stderr.value(),
            stdout_truncated=monitor.stdout.truncated,
            stderr_truncated=monitor.stderr.truncated,
            files=files,
            collect_errors=errors,
            message=("UNSAFE run, not sandboxed. " + decision.message).strip(),
        )


def _mapper(work: Path, links: Path, binds: Sequence[Bind]) -> Callable[[str], str]:
    prefixes = [("/work", str(work))] + [
        (b.target, str(links / b.target.lstrip("/"))) for b in binds
    ]
    prefixes.sort(key=lambda pair: len(pair[0]), reverse=True)

    def rewrite(value: str) -> str:
        for prefix, replacement in prefixes:
            if value == prefix or value.startswith(prefix + "/"):
                return replacement + value[len(prefix) :]
        return value

    return rewrite


def _environment(limits: Limits, env: Mapping[str, str] | None, work: Path) -> dict[str, str]:
    runtime = find_runtime()
    if runtime is None:  # an authoring laptop without the runtime: use this interpreter's bin
        here = Path(sys.executable).parent
        runtime = RuntimeInfo(link=here.parent, real=here.parent, key="")
    environment = bwrap.sandbox_env(runtime=runtime, limits=limits, extra=env)
    environment["HOME"] = str(work)
    environment["TMPDIR"] = str(work.parent / "tmp")
    return environment


def _start_unsafe(
    command: Sequence[str],
    *,
    limits: Limits,
    files: Mapping[str, bytes] | None,
    binds: Sequence[Bind],
    env: Mapping[str, str] | None,
    stdin: bytes | None,
    collect: Sequence[str],
    collect_max_bytes: int,
    cwd: str,
) -> _UnsafeSession:
    log.warning(WARNING, list(command))
    root = Path(tempfile.mkdtemp(prefix="vetta-unsafe-"))
    session = _UnsafeSession(root=root, limits=limits, collect=collect, max_bytes=collect_max_bytes)
    links = root / "binds"
    for directory in (session.work, root / "tmp", links):
        directory.mkdir()
    for name, data in (files or {}).items():
        path = session.work / safe_relative_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for bind in binds:
        link = links / bind.target.lstrip("/")
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(bind.source)
    rewrite = _mapper(session.work, links, binds)
    environment = {k: rewrite(v) for k, v in _environment(limits, env, session.work).items()}
    argv = [rewrite(part) for part in command]
    prlimit = shutil.which("prlimit")
    if prlimit is not None:
        argv = [
            prlimit,
            f"--cpu={int(limits.cpu_seconds) + 1}",
            f"--fsize={limits.file_size_bytes}",
            f"--nofile={limits.open_files}",
            "--core=0",
            f"--as={bwrap.address_space_limit(limits)}",
            "--",
            *argv,
        ]
    stdin_handle: int | None = subprocess.DEVNULL
    if stdin is not None:
        stdin_file = root / "stdin"
        stdin_file.write_bytes(stdin)
        stdin_handle = os.open(stdin_file, os.O_RDONLY | os.O_CLOEXEC)
    try:
        popen = subprocess.Popen(
            argv,
            stdin=stdin_handle,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            cwd=rewrite(cwd),
            close_fds=True,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(root, ignore_errors=True)
        raise
    finally:
        if stdin_handle not in (None, subprocess.DEVNULL):
            assert stdin_handle is not None
            os.close(stdin_handle)
    session.accounting = _GroupAccounting(popen.pid)
    session.monitor = Monitor(
        popen=popen, accounting=session.accounting, limits=limits, expect_marker=False
    )
    return session


def run_unsafe(command: Sequence[str], **kwargs: object) -> Outcome:
    session = _start_unsafe(command, **kwargs)  # type: ignore[arg-type]
    assert session.monitor is not None
    try:
        session.monitor.run()
    finally:
        outcome = session.finish()
    return outcome


def spawn_unsafe(command: Sequence[str], **kwargs: object) -> SandboxProcess:
    return SandboxProcess(_start_unsafe(command, **kwargs))  # type: ignore[arg-type]
