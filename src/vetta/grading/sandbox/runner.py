"""`run` and `spawn`: the only way Vetta starts candidate code.

One run = one slot (uid, cgroups, /work) held from preparation to teardown:

    acquire slot -> fresh cgroups -> /work tmpfs with the files -> [netns] -> launcher
      -> Monitor loop (output, wall clock, CPU budget, caps) -> kill everything in the cgroups
      -> read stats -> collect files safely -> unmount /work -> remove cgroups -> release slot

Platform failures become `Verdict.SANDBOX_ERROR` outcomes from `run` and `SandboxError` from
`spawn`; invalid arguments (a bad file name, a bind over /usr) raise ValueError at once.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import logging
import os
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from vetta.grading.sandbox import _libc, bwrap, seccomp, unsafe
from vetta.grading.sandbox.cgroups import CgroupLayout, RunCgroup, detect_layout, prepare_layout
from vetta.grading.sandbox.config import SandboxConfig, config
from vetta.grading.sandbox.errors import SandboxError
from vetta.grading.sandbox.monitor import Monitor
from vetta.grading.sandbox.netns import NetNamespace
from vetta.grading.sandbox.process import SandboxProcess
from vetta.grading.sandbox.runtime import RuntimeInfo, require_runtime
from vetta.grading.sandbox.safeio import UnsafeFileError, read_under, safe_relative_path
from vetta.grading.sandbox.slots import Slot, acquire_slot, ensure_state_dir
from vetta.grading.sandbox.types import Bind, Limits, MiB, NetworkMode, Outcome, Verdict
from vetta.grading.sandbox.verdicts import Facts, decide

log = logging.getLogger(__name__)
T = TypeVar("T")
_PAGE = 4096


@functools.cache
def cgroup_layout() -> CgroupLayout:
    """Detected once per process; raises SandboxError on a host without usable cgroups."""
    cfg = config()
    layout = detect_layout(name=cfg.cgroup_name)
    try:
        prepare_layout(layout)
    except OSError as error:
        raise SandboxError(f"cannot prepare {layout.describe()}: {error}") from error
    return layout


@functools.cache
def _etc_dir() -> Path:
    cfg = config()
    ensure_state_dir(cfg.state_dir)
    return bwrap.ensure_etc(cfg.state_dir / "etc", uid_base=cfg.uid_base, slots=cfg.slots)


def check_arguments(
    *,
    command: Sequence[str],
    limits: Limits,
    files: Mapping[str, bytes] | None,
    cwd: str,
    collect: Sequence[str],
) -> None:
    if isinstance(command, str) or not command or not all(isinstance(a, str) for a in command):
        raise ValueError("command must be a non-empty sequence of strings (no shell string)")
    if any("\x00" in part for part in command):
        raise ValueError("command arguments must not contain NUL bytes")
    if not cwd.startswith("/") or os.path.normpath(cwd) != cwd:
        raise ValueError(f"cwd {cwd!r} must be a clean absolute path")
    for name, value in vars(limits).items():
        if value <= 0:
            raise ValueError(f"limits.{name} must be positive, not {value}")
    total = 0
    for name, data in (files or {}).items():
        safe_relative_path(name)
        total += len(data) + _PAGE
    if total > limits.work_bytes:
        raise ValueError(
            f"the files need about {total} bytes, over limits.work_bytes={limits.work_bytes}"
        )
    for name in collect:
        safe_relative_path(name)


class _SandboxAccounting:
    def __init__(self, cgroup: RunCgroup) -> None:
        self.cgroup = cgroup
        self.outer_pid = -1  # bubblewrap's monitor process, outside the sandbox's namespaces
        self._first_kill = True

    def cpu_seconds(self) -> float:
        return self.cgroup.cpu_seconds()

    def kill_now(self) -> None:
        # `timeout` is the PID namespace's init (--as-pid-1): killing it takes every
        # process of the namespace with it. bubblewrap's monitor is spared the first time so it
        # can reap its child and exit by itself; killed first, it would orphan a zombie onto
        # the host's init. If it is still there at the next round, it goes too.
        pids = self.cgroup.pids()
        inside = pids - {self.outer_pid}
        targets = inside if inside and self._first_kill else pids
        self._first_kill = False
        for pid in targets:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)

    def reap(self, popen: subprocess.Popen[bytes]) -> int:
        return popen.wait()


def _populate(work: Path, files: Mapping[str, bytes] | None, uid: int, gid: int) -> None:
    # A fresh tmpfs that nothing else can write to yet: plain path operations are safe here.
    for name, data in (files or {}).items():
        path = work / safe_relative_path(name)
        for parent in reversed(path.relative_to(work).parents):
            directory = work / parent
            if not directory.exists():
                directory.mkdir(mode=0o755)
                os.chown(directory, uid, gid)
        path.write_bytes(data)
        os.chown(path, uid, gid)


def _memfd(name: str, data: bytes) -> int:
    fd = os.memfd_create(name, os.MFD_CLOEXEC)
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


@dataclass
class _Session:
    """The resources of one sandboxed process, released in reverse order by `close`."""

    cfg: SandboxConfig
    limits: Limits
    collect: Sequence[str]
    collect_max_bytes: int
    slot: Slot | None = None
    cgroup: RunCgroup | None = None
    work_mounted: bool = False
    staged: list[Path] = field(default_factory=list)
    netns: NetNamespace | None = None
    launcher: concurrent.futures.ThreadPoolExecutor | None = None
    monitor: Monitor | None = None
    fds: list[int] = field(default_factory=list)
    # Held while reading from /work and while unmounting it (spawn: collect vs. teardown).
    work_lock: threading.Lock = field(default_factory=threading.Lock)

    def close_fds(self) -> None:
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.fds.clear()

    def collect_files(
        self, names: Sequence[str], max_bytes: int
    ) -> tuple[dict[str, bytes], dict[str, str]]:
        files: dict[str, bytes] = {}
        errors: dict[str, str] = {}
        if self.slot is None or not self.work_mounted:
            return files, dict.fromkeys(names, "the run's /work is gone")
        for name in names:
            try:
                files[name] = read_under(self.slot.work_dir, name, max_bytes)
            except UnsafeFileError as error:
                errors[name] = str(error)
        return files, errors

    def netns_call(self, fn: Callable[[], T]) -> T:
        if self.netns is None:
            raise SandboxError("netns_call needs a sandbox spawned with NetworkMode.LOOPBACK")
        return self.netns.call(fn)

    def finish(self) -> Outcome:
        return _finish(self)

    def teardown(self) -> list[str]:
        """Releases everything; returns problems instead of raising so that every step runs."""
        problems: list[str] = []
        self.close_fds()
        if self.cgroup is not None:
            try:
                self.cgroup.destroy()
            except (SandboxError, OSError) as error:
                problems.append(str(error))
            self.cgroup = None
        for stage in reversed(self.staged):
            try:
                if os.path.ismount(stage):
                    _libc.umount_detach(stage)
                if stage.is_dir():
                    stage.rmdir()
                else:
                    stage.unlink()
            except OSError as error:
                problems.append(f"cannot remove the staged bind {stage}: {error}")
        self.staged.clear()
        with self.work_lock:
            if self.work_mounted and self.slot is not None:
                try:
                    _libc.umount_detach(self.slot.work_dir)
                except OSError as error:
                    problems.append(str(error))
                self.work_mounted = False
        if self.netns is not None:
            self.netns.close()
            self.netns = None
        if self.launcher is not None:
            self.launcher.shutdown(wait=True)
            self.launcher = None
        if self.slot is not None:
            self.slot.release()
            self.slot = None
        return problems


def _prepare_filesystem(
    session: _Session, slot: Slot, *, files: Mapping[str, bytes] | None, binds: Sequence[Bind]
) -> list[Path]:
    """Mounts the run's /work with its files and stages the binds; returns the staged paths."""
    limits = session.limits
    inodes = max(1024, limits.work_bytes // _PAGE)  # many empty files also end in ENOSPC
    _libc.mount(
        "vetta-work",
        slot.work_dir,
        "tmpfs",
        _libc.MS_NOSUID | _libc.MS_NODEV,
        f"size={limits.work_bytes},nr_inodes={inodes},mode=0700,uid={slot.uid},gid={slot.gid}",
    )
    session.work_mounted = True
    _populate(slot.work_dir, files, slot.uid, slot.gid)
    for index, bind in enumerate(binds):
        stage = slot.stage_path(index)
        if bind.source.is_dir():
            stage.mkdir(mode=0o755)
        else:
            stage.touch(mode=0o644)
        session.staged.append(stage)
        _libc.bind_mount(bind.source, stage, read_only=not bind.writable)
    return list(session.staged)


def _start(
    *,
    command: Sequence[str],
    limits: Limits,
    files: Mapping[str, bytes] | None,
    binds: Sequence[Bind],
    network: NetworkMode,
    env: Mapping[str, str] | None,
    stdin: bytes | None,
    collect: Sequence[str],
    collect_max_bytes: int,
    cwd: str,
) -> _Session:
    """Prepares a slot and starts the launcher. Raises SandboxError; cleans up after itself."""
    check_arguments(command=command, limits=limits, files=files, cwd=cwd, collect=collect)
    cfg = config()
    runtime: RuntimeInfo = require_runtime()
    for bind in binds:
        bwrap.check_bind(bind, runtime)
    environment = bwrap.sandbox_env(runtime=runtime, limits=limits, extra=env, cwd=cwd)
    try:
        layout = cgroup_layout()
        etc_dir = _etc_dir()
    except OSError as error:  # e.g. not root: the host cannot sandbox
        raise SandboxError(f"cannot prepare the sandbox: {error}") from error
    session = _Session(cfg=cfg, limits=limits, collect=collect, collect_max_bytes=collect_max_bytes)
    try:
        slot = session.slot = acquire_slot(cfg)
        cgroup = session.cgroup = RunCgroup(layout, f"slot-{slot.index}")
        cgroup.create(
            memory_bytes=limits.memory_bytes,
            pids=limits.pids,
            cpu_quota=limits.cpu_quota,
            swap_accounting=layout.swap_accounting,
        )
        staged = _prepare_filesystem(session, slot, files=files, binds=binds)
        seccomp_fd = _memfd("vetta-seccomp", seccomp.filter_bpf())
        session.fds.append(seccomp_fd)
        args = bwrap.bwrap_args(
            runtime=runtime,
            etc_dir=etc_dir,
            work_dir=slot.work_dir,
            binds=binds,
            limits=limits,
            network=network,
            cwd=cwd,
            seccomp_fd=seccomp_fd,
            staged=staged,
        )
        args_fd = _memfd("vetta-bwrap-args", b"".join(a.encode() + b"\0" for a in args))
        session.fds.append(args_fd)
        argv = bwrap.launcher_argv(
            join_files=cgroup.join_files,
            limits=limits,
            uid=slot.uid,
            gid=slot.gid,
            args_fd=args_fd,
        ) + bwrap.inner_command(command)
        stdin_fd: int = subprocess.DEVNULL
        if stdin is not None:
            stdin_fd = _memfd("vetta-stdin", stdin)
            session.fds.append(stdin_fd)

        def launch() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                argv,
                stdin=stdin_fd,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=environment,
                cwd="/",
                close_fds=True,
                pass_fds=(seccomp_fd, args_fd),
                start_new_session=True,
            )

        # The parent-death signal fires when the *thread* that forked the launcher exits, so the
        # fork happens in a thread that lives exactly as long as the session, never in the
        # caller's (a grader may spawn from a short-lived thread).
        if network is NetworkMode.LOOPBACK:
            session.netns = NetNamespace()
            popen = session.netns.call(launch)
        else:
            session.launcher = concurrent.futures.ThreadPoolExecutor(
                1, thread_name_prefix="vetta-launch"
            )
            popen = session.launcher.submit(launch).result()
        session.close_fds()  # the child has its copies; ours would only leak
        accounting = _SandboxAccounting(cgroup)
        accounting.outer_pid = popen.pid
        session.monitor = Monitor(
            popen=popen, accounting=accounting, limits=limits, expect_marker=True
        )
    except BaseException as error:
        problems = session.teardown()
        if isinstance(error, SandboxError | ValueError):
            raise
        if isinstance(error, OSError):
            raise SandboxError(f"sandbox setup failed: {error}; {'; '.join(problems)}") from error
        raise
    return session


def _finish(session: _Session) -> Outcome:
    """After the monitor loop: stats, verdict, collected files, teardown."""
    monitor = session.monitor
    assert monitor is not None and session.cgroup is not None
    problems: list[str] = []
    try:
        session.cgroup.kill_all()
    except SandboxError as error:
        problems.append(str(error))
    stats = session.cgroup.stats()
    files, errors = session.collect_files(session.collect, session.collect_max_bytes)
    problems += session.teardown()
    for stream in (monitor.popen.stdout, monitor.popen.stderr):
        if stream is not None:
            stream.close()
    stderr = monitor.stderr.value()
    decision = decide(
        Facts(
            started=monitor.started,
            kill_reason=monitor.kill_reason,
            stopped=monitor.stopped,
            returncode=monitor.returncode,
            cpu_seconds=stats.cpu_seconds,
            oom_kills=stats.oom_kills,
            limits=session.limits,
            setup_error=_setup_error(stderr, monitor.returncode),
        )
    )
    verdict, message = decision.verdict, decision.message
    if problems:
        log.error("sandbox teardown problems: %s", "; ".join(problems))
        verdict, message = Verdict.SANDBOX_ERROR, "teardown failed: " + "; ".join(problems)
    return Outcome(
        verdict=verdict,
        exit_code=decision.exit_code,
        signal=decision.signal,
        cpu_seconds=stats.cpu_seconds,
        wall_seconds=monitor.wall_seconds,
        peak_memory_bytes=stats.peak_memory_bytes,
        stdout=monitor.stdout.value(),
        stderr=stderr,
        stdout_truncated=monitor.stdout.truncated,
        stderr_truncated=monitor.stderr.truncated,
        files=files,
        collect_errors=errors,
        message=message,
    )


def _setup_error(stderr: bytes, returncode: int | None) -> str:
    tail = stderr.decode("utf-8", "replace").strip()[-2000:]
    if returncode == 125:
        return f"the sandbox launcher could not join cgroups or set rlimits: {tail}"
    return f"bubblewrap failed before the command started (exit {returncode}): {tail}"


def _sandbox_error(message: str) -> Outcome:
    log.error("sandbox error: %s", message)
    return Outcome(
        verdict=Verdict.SANDBOX_ERROR,
        exit_code=None,
        signal=None,
        cpu_seconds=0.0,
        wall_seconds=0.0,
        peak_memory_bytes=0,
        stdout=b"",
        stderr=b"",
        message=message,
    )


def _unsafe_requested(flag: bool) -> bool:
    return flag or config().unsafe_no_sandbox


def run(
    command: Sequence[str],
    *,
    limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, safe as a default
    files: Mapping[str, bytes] | None = None,
    binds: Sequence[Bind] = (),
    network: NetworkMode = NetworkMode.NONE,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    collect: Sequence[str] = (),
    collect_max_bytes: int = 16 * MiB,
    cwd: str = "/work",
    unsafe_no_sandbox: bool = False,
) -> Outcome:
    """Runs `command` in a fresh sandbox and returns how it ended. Never raises for anything the
    command does; raises ValueError for invalid arguments; returns a `sandbox_error` outcome
    when the platform cannot sandbox (it never falls back to running unsandboxed)."""
    if _unsafe_requested(unsafe_no_sandbox):
        return unsafe.run_unsafe(
            command,
            limits=limits,
            files=files,
            binds=binds,
            env=env,
            stdin=stdin,
            collect=collect,
            collect_max_bytes=collect_max_bytes,
            cwd=cwd,
        )
    try:
        session = _start(
            command=command,
            limits=limits,
            files=files,
            binds=binds,
            network=network,
            env=env,
            stdin=stdin,
            collect=collect,
            collect_max_bytes=collect_max_bytes,
            cwd=cwd,
        )
    except SandboxError as error:
        return _sandbox_error(str(error))
    assert session.monitor is not None
    try:
        session.monitor.run()
    finally:
        outcome = session.finish()
    return outcome


def spawn(
    command: Sequence[str],
    *,
    limits: Limits = Limits(),  # noqa: B008 - frozen dataclass, safe as a default
    files: Mapping[str, bytes] | None = None,
    binds: Sequence[Bind] = (),
    network: NetworkMode = NetworkMode.LOOPBACK,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    collect: Sequence[str] = (),
    collect_max_bytes: int = 16 * MiB,
    cwd: str = "/work",
    unsafe_no_sandbox: bool = False,
) -> SandboxProcess:
    """Starts `command` in a sandbox and returns at once (once the sandbox is set up). Unlike
    `run`, the network defaults to LOOPBACK: spawn exists for servers probed by trusted code.
    Raises SandboxError if the sandbox cannot start."""
    if _unsafe_requested(unsafe_no_sandbox):
        return unsafe.spawn_unsafe(
            command,
            limits=limits,
            files=files,
            binds=binds,
            env=env,
            stdin=stdin,
            collect=collect,
            collect_max_bytes=collect_max_bytes,
            cwd=cwd,
        )
    session = _start(
        command=command,
        limits=limits,
        files=files,
        binds=binds,
        network=network,
        env=env,
        stdin=stdin,
        collect=collect,
        collect_max_bytes=collect_max_bytes,
        cwd=cwd,
    )
    return SandboxProcess(session)
