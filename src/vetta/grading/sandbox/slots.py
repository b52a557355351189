"""Slots: at most N sandboxed runs at once per machine, each with its own uid, cgroups and /work.

A slot is held with `flock` on `<state_dir>/slot-K.lock`. flock locks belong to an open file
description, so two threads of one worker, two workers, or a worker and a CLI run never share a
slot, and a crashed holder's lock vanishes with its process. Whatever a crashed holder left behind
(a mounted /work, a cgroup with processes) is cleaned by the next holder before its run.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import random
import select
from dataclasses import dataclass, field
from pathlib import Path

from vetta.grading.sandbox import _libc
from vetta.grading.sandbox.config import SandboxConfig
from vetta.grading.sandbox.errors import SandboxError

# Only a backstop: the inotify close event normally wakes a waiting run at once.
_WATCH_BACKSTOP_SECONDS = 1.0


@dataclass
class Slot:
    index: int
    uid: int
    gid: int
    directory: Path
    _lock_fd: int = field(repr=False)

    @property
    def work_dir(self) -> Path:
        """Mount point of this slot's per-run /work tmpfs, on the host."""
        return self.directory / "work"

    @property
    def binds_dir(self) -> Path:
        """Where the supervisor stages each Bind before bubblewrap binds it into the sandbox."""
        return self.directory / "binds"

    def stage_path(self, index: int) -> Path:
        return self.binds_dir / str(index)

    def release(self) -> None:
        if self._lock_fd >= 0:
            os.close(self._lock_fd)  # closing the description drops the flock
            self._lock_fd = -1


def _ensure_dir(path: Path, mode: int) -> None:
    path.mkdir(mode=mode, parents=True, exist_ok=True)
    info = path.lstat()
    # The state dir must belong to root: a directory another user created there first could be
    # swapped for a symlink under us.
    if info.st_uid != 0 or not path.is_dir() or path.is_symlink():
        raise SandboxError(f"{path} must be a directory owned by root")
    if info.st_mode & 0o7777 != mode:
        path.chmod(mode)


def _open_lock(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)


def ensure_state_dir(state_dir: Path) -> None:
    """Makes the state dir a private tmpfs (once per boot).

    Per-run mounts (/work, staged binds) live below it; on a host whose / is a shared mount (any
    systemd machine) they would otherwise propagate into every peer mount namespace.
    """
    if os.path.ismount(state_dir):
        return
    state_dir.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    lock = os.open(
        state_dir.parent / f".{state_dir.name}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600
    )
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two workers starting at once must not mount twice
        if os.path.ismount(state_dir):
            return
        _ensure_dir(state_dir, 0o711)
        _libc.mount(
            "vetta-sandbox",
            state_dir,
            "tmpfs",
            _libc.MS_NOSUID | _libc.MS_NODEV,
            "size=16m,mode=0711",
        )
        _libc.mount("", state_dir, "", _libc.MS_PRIVATE, "")
    finally:
        os.close(lock)


def _try_lock(path: Path) -> int | None:
    fd = _open_lock(path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        os.close(fd)
        if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
            raise
        return None
    return fd


def acquire_slot(cfg: SandboxConfig) -> Slot:
    """Takes a free slot, or waits for one when all are busy."""
    ensure_state_dir(cfg.state_dir)
    _ensure_dir(cfg.state_dir, 0o711)
    order = list(range(cfg.slots))
    random.shuffle(order)  # spreads concurrent workers, so they rarely contend for slot 0
    watch = -1
    try:
        while True:
            for index in order:
                fd = _try_lock(cfg.state_dir / f"slot-{index}.lock")
                if fd is not None:
                    return _prepare(cfg, index, fd)
            if watch < 0:
                # All busy. A holder releases its slot by closing the lock file (or by dying,
                # which closes it too): inotify reports that close, so we wait for the event
                # and try again, instead of polling or queueing behind one arbitrary slot.
                watch = _libc.inotify_watch(cfg.state_dir, _libc.IN_CLOSE)
                continue  # a slot may have freed before the watch existed
            select.select([watch], [], [], _WATCH_BACKSTOP_SECONDS)
            with contextlib.suppress(BlockingIOError):
                os.read(watch, 65536)
    finally:
        if watch >= 0:
            os.close(watch)


def _prepare(cfg: SandboxConfig, index: int, fd: int) -> Slot:
    try:
        directory = cfg.state_dir / f"slot-{index}"
        _ensure_dir(directory, 0o711)
        slot = Slot(
            index=index,
            uid=cfg.uid_base + index,
            gid=cfg.uid_base + index,
            directory=directory,
            _lock_fd=fd,
        )
        _ensure_dir(slot.binds_dir, 0o711)
        # Whatever a holder that crashed mid-run left mounted.
        for staged in slot.binds_dir.iterdir():
            if os.path.ismount(staged):
                _libc.umount_detach(staged)
            if staged.is_dir() and not staged.is_symlink():
                staged.rmdir()
            else:
                staged.unlink()
        work = slot.work_dir
        if os.path.ismount(work):
            _libc.umount_detach(work)
        work.mkdir(mode=0o700, exist_ok=True)
    except BaseException:
        os.close(fd)
        raise
    return slot
