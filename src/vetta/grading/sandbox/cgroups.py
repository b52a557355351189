"""Per-run control groups: memory without swap, pids, CPU quota and total CPU accounting.

bubblewrap sets no resource limits at all, so every limit that matters comes from here. Both
layouts are supported and detected at start:

- cgroup v1 (this project's machines: memory, pids, cpu, cpuacct mounted separately, an empty v2
  hierarchy beside them). Each run gets a fresh directory in every needed hierarchy, nested under
  the supervisor's *own* cgroup there, so whatever limit the host puts on the worker also bounds
  the candidates it starts.
- cgroup v2 (unified). Each run gets one directory under `/sys/fs/cgroup/<name>`: a non-root v2
  cgroup that holds processes cannot enable controllers for children, so nesting under the
  worker's own cgroup is not possible without moving the worker.

A run's directory is created just before the launch and removed after the run; the launcher joins
it before it execs bubblewrap, so every sandboxed process is born inside it and none can escape.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from vetta.grading.sandbox.errors import SandboxError

V1_CONTROLLERS = ("memory", "pids", "cpu", "cpuacct")
V2_CONTROLLERS = ("memory", "pids", "cpu")
V2_ROOT = Path("/sys/fs/cgroup")
CFS_PERIOD_US = 100_000


@dataclass(frozen=True)
class CgroupLayout:
    version: int
    # v1: controller -> directory that holds this service's run cgroups; v2: {"unified": dir}.
    bases: Mapping[str, Path]
    swap_accounting: bool

    def describe(self) -> str:
        dirs = sorted({str(p) for p in self.bases.values()})
        swap = "swap accounted" if self.swap_accounting else "no swap accounting"
        return f"cgroup v{self.version} ({swap}) under {', '.join(dirs)}"


def _parse_mountinfo(text: str) -> list[tuple[str, str, str, set[str]]]:
    """(mount root, mount point, fs type, super options) of every cgroup mount."""
    mounts = []
    for line in text.splitlines():
        left, _, right = line.partition(" - ")
        fields, rest = left.split(), right.split()
        if len(fields) < 5 or len(rest) < 3 or rest[0] not in {"cgroup", "cgroup2"}:
            continue
        root, point = fields[3], fields[4].replace("\\040", " ")
        mounts.append((root, point, rest[0], set(rest[2].split(","))))
    return mounts


def _own_paths(text: str) -> dict[str, str]:
    """controller -> this process's cgroup path, from /proc/self/cgroup (v2 line keyed "")."""
    paths: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        for controller in parts[1].split(",") if parts[1] else [""]:
            paths[controller.removeprefix("name=")] = parts[2]
    return paths


def detect_layout(
    *,
    name: str,
    mountinfo: str | None = None,
    own_cgroup: str | None = None,
    v2_root: Path = V2_ROOT,
) -> CgroupLayout:
    """Finds where run cgroups go. Raises SandboxError naming what is missing."""
    mountinfo = Path("/proc/self/mountinfo").read_text() if mountinfo is None else mountinfo
    own_cgroup = Path("/proc/self/cgroup").read_text() if own_cgroup is None else own_cgroup
    mounts = _parse_mountinfo(mountinfo)
    own = _own_paths(own_cgroup)
    v1: dict[str, Path] = {}
    for root, point, fstype, options in mounts:
        if fstype != "cgroup":
            continue
        for controller in V1_CONTROLLERS:
            if controller in options and controller not in v1:
                path = own.get(controller, "/")
                relative = os.path.relpath(path, root) if path.startswith(root) else "."
                v1[controller] = Path(os.path.normpath(Path(point) / relative)) / name
    if len(v1) == len(V1_CONTROLLERS):
        memsw = (v1["memory"].parent / "memory.memsw.limit_in_bytes").exists()
        return CgroupLayout(version=1, bases=v1, swap_accounting=memsw)
    for _root, point, fstype, _options in mounts:
        if fstype != "cgroup2" or Path(point) != v2_root:
            continue
        try:
            available = set((v2_root / "cgroup.controllers").read_text().split())
        except OSError:
            available = set()
        missing = [c for c in V2_CONTROLLERS if c not in available]
        if missing:
            raise SandboxError(
                f"cgroup v2 at {v2_root} lacks the {', '.join(missing)} controller(s)"
            )
        swap = (v2_root / "memory.swap.max").exists() or any(v2_root.glob("*/memory.swap.max"))
        return CgroupLayout(version=2, bases={"unified": v2_root / name}, swap_accounting=swap)
    found = ", ".join(sorted(v1)) or "none"
    raise SandboxError(
        "no usable cgroups: need cgroup v2 with memory, pids and cpu, or cgroup v1 hierarchies "
        f"for {', '.join(V1_CONTROLLERS)} (v1 found: {found})"
    )


def _write(path: Path, value: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    try:
        os.write(fd, value.encode())
    finally:
        os.close(fd)


def _read_int(path: Path) -> int:
    return int(path.read_text().split()[0])


def _read_keyed(path: Path) -> dict[str, int]:
    values: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in path.read_text().splitlines():
            key, _, value = line.partition(" ")
            with contextlib.suppress(ValueError):
                values[key] = int(value)
    return values


def prepare_layout(layout: CgroupLayout) -> None:
    """Creates the service directories once per process (idempotent)."""
    if layout.version == 2:
        base = layout.bases["unified"]
        wanted = " ".join(f"+{c}" for c in V2_CONTROLLERS)
        enabled = set((base.parent / "cgroup.subtree_control").read_text().split())
        if not set(V2_CONTROLLERS) <= enabled:
            _write(base.parent / "cgroup.subtree_control", wanted)
        base.mkdir(exist_ok=True)
        _write(base / "cgroup.subtree_control", wanted)
        return
    for directory in set(layout.bases.values()):
        directory.mkdir(exist_ok=True)


@dataclass(frozen=True)
class RunStats:
    cpu_seconds: float
    peak_memory_bytes: int
    oom_kills: int
    pids_max_hit: int


class RunCgroup:
    """The cgroup directories of one run (one per v1 hierarchy, or one v2 directory)."""

    def __init__(self, layout: CgroupLayout, leaf: str) -> None:
        self.layout = layout
        self.dirs = {c: base / leaf for c, base in layout.bases.items()}

    @property
    def unique_dirs(self) -> list[Path]:
        return sorted(set(self.dirs.values()))

    @property
    def join_files(self) -> list[str]:
        """The files the launcher writes `0` (itself) into before it execs bubblewrap.

        On v1 that is `tasks`, not `cgroup.procs`: moving a whole process takes the global
        cgroup_threadgroup_rwsem for writing, which waits for an RCU grace period whenever no
        other migration happened just before (~8 ms here: SANDBOX.md's "11-13 ms per join").
        Moving the current thread skips that lock, and the launcher is single-threaded, so it is
        the same move at ~0.1 ms. v2 requires cgroup.procs for domain cgroups.
        """
        name = "cgroup.procs" if self.layout.version == 2 else "tasks"
        return [str(d / name) for d in self.unique_dirs]

    def _file(self, controller: str, name: str) -> Path:
        return self.dirs["unified" if self.layout.version == 2 else controller] / name

    def create(
        self, *, memory_bytes: int, pids: int, cpu_quota: float, swap_accounting: bool
    ) -> None:
        # A directory left by a crashed supervisor still counts as ours: empty it first.
        if any(d.exists() for d in self.unique_dirs):
            self.destroy()
        for directory in self.unique_dirs:
            directory.mkdir()
        quota_us = max(1000, int(cpu_quota * CFS_PERIOD_US))
        if self.layout.version == 2:
            _write(self._file("memory", "memory.max"), str(memory_bytes))
            if swap_accounting:
                _write(self._file("memory", "memory.swap.max"), "0")
            _write(self._file("pids", "pids.max"), str(pids))
            _write(self._file("cpu", "cpu.max"), f"{quota_us} {CFS_PERIOD_US}")
            return
        _write(self._file("memory", "memory.limit_in_bytes"), str(memory_bytes))
        if swap_accounting:
            # memsw counts memory + swap: equal to the memory limit means no swap at all.
            _write(self._file("memory", "memory.memsw.limit_in_bytes"), str(memory_bytes))
        _write(self._file("pids", "pids.max"), str(pids))
        _write(self._file("cpu", "cpu.cfs_period_us"), str(CFS_PERIOD_US))
        _write(self._file("cpu", "cpu.cfs_quota_us"), str(quota_us))

    def cpu_seconds(self) -> float:
        if self.layout.version == 2:
            return _read_keyed(self._file("cpu", "cpu.stat")).get("usage_usec", 0) / 1e6
        return _read_int(self._file("cpuacct", "cpuacct.usage")) / 1e9

    def stats(self) -> RunStats:
        if self.layout.version == 2:
            peak_file = self._file("memory", "memory.peak")
            peak = _read_int(peak_file) if peak_file.exists() else 0
            oom = _read_keyed(self._file("memory", "memory.events")).get("oom_kill", 0)
            pids_hit = _read_keyed(self._file("pids", "pids.events")).get("max", 0)
        else:
            peak = _read_int(self._file("memory", "memory.max_usage_in_bytes"))
            oom = _read_keyed(self._file("memory", "memory.oom_control")).get("oom_kill", 0)
            pids_hit = _read_keyed(self._file("pids", "pids.events")).get("max", 0)
        return RunStats(
            cpu_seconds=self.cpu_seconds(),
            peak_memory_bytes=peak,
            oom_kills=oom,
            pids_max_hit=pids_hit,
        )

    def pids(self) -> set[int]:
        found: set[int] = set()
        for directory in self.unique_dirs:
            with contextlib.suppress(FileNotFoundError):
                found.update(int(p) for p in (directory / "cgroup.procs").read_text().split())
        return found

    def task_count(self) -> int:
        """Tasks charged to the run, including ones still exiting or not yet reaped: a task
        leaves cgroup.procs when it starts exiting, but stays in pids.current until released."""
        try:
            return _read_int(self._file("pids", "pids.current"))
        except (OSError, ValueError):
            return 0

    def kill_all(self, *, timeout: float = 5.0) -> None:
        """SIGKILLs every process in the run and waits until none is left, not even exiting.

        Normally the PID namespace already took everyone down with its init; this sweep is the
        backstop that makes "nothing survives a run" hold even if bubblewrap itself misbehaved.
        """
        if self.layout.version == 2:
            kill_file = self._file("memory", "cgroup.kill")
            if kill_file.exists():
                with contextlib.suppress(FileNotFoundError):
                    _write(kill_file, "1")
        deadline = time.monotonic() + timeout
        delay = 0.0005
        while True:
            remaining = self.pids()
            if not remaining and self.task_count() == 0:
                return
            _kill(remaining)
            if time.monotonic() > deadline:
                raise SandboxError(
                    f"processes {sorted(remaining)} ({self.task_count()} tasks) survived SIGKILL "
                    f"for {timeout}s"
                )
            # Killed processes leave the cgroup asynchronously (exit, then reaping by their
            # parent); there is no event to wait on for processes that are not our children.
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def destroy(self) -> None:
        """Kills what is left and removes the directories."""
        self.kill_all()
        for directory in self.unique_dirs:
            _rmdir(directory)


def _kill(pids: Iterable[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _rmdir(directory: Path) -> None:
    # rmdir can fail with EBUSY for a moment while the last killed tasks are released.
    for attempt in range(200):
        try:
            directory.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError as error:
            if error.errno != errno.EBUSY or attempt == 199:
                raise SandboxError(f"cannot remove cgroup {directory}: {error}") from error
            time.sleep(0.005)
