"""The supervisor loop: reads output, enforces wall clock, CPU budget and output caps, notices exit.

It waits on events (pipe data, the process's pidfd, a stop request) with a timeout computed from the
limits: the wall-clock deadline, or the earliest moment the CPU budget could run out at the run's
CPU quota. An idle run therefore costs no polling, and a CPU burner is checked just when its budget
can be exhausted. Used as-is by `run` (in the caller's thread) and by `spawn` (in a thread).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import subprocess
import threading
import time
from typing import Protocol

from vetta.grading.sandbox.bwrap import MARKER
from vetta.grading.sandbox.types import Limits, Verdict

_READ = 1 << 16
_MIN_POLL = 0.01
# After the outermost process exits every sandboxed process is gone (the PID namespace died with
# its init), so its pipes reach EOF at once; this bound only guards against a kernel surprise.
_DRAIN_SECONDS = 5.0
_REKILL_SECONDS = 0.5


class Accounting(Protocol):
    def cpu_seconds(self) -> float: ...

    def kill_now(self) -> None: ...

    def reap(self, popen: subprocess.Popen[bytes]) -> int: ...


class Capture:
    """One output stream, kept up to its cap."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.chunks: list[bytes] = []
        self.size = 0
        self.truncated = False

    def feed(self, data: bytes) -> bool:
        """Keeps what fits; True when the stream went over its cap."""
        room = self.cap - self.size
        if len(data) > room:
            if room > 0:
                self.chunks.append(data[:room])
                self.size += room
            self.truncated = True
            return True
        self.chunks.append(data)
        self.size += len(data)
        return False

    def value(self) -> bytes:
        return b"".join(self.chunks)


class Monitor:
    def __init__(
        self,
        *,
        popen: subprocess.Popen[bytes],
        accounting: Accounting,
        limits: Limits,
        expect_marker: bool,
    ) -> None:
        self.popen = popen
        self.accounting = accounting
        self.limits = limits
        self.stdout = Capture(limits.output_bytes)
        self.stderr = Capture(limits.output_bytes)
        self.started = not expect_marker
        self._prefix = b""  # stdout bytes seen while still waiting for the marker
        self.kill_reason: Verdict | None = None
        self.stopped = False
        self.returncode: int | None = None
        self.started_at = time.monotonic()
        self.wall_seconds = 0.0
        self.started_event = threading.Event()
        self.done_event = threading.Event()
        if self.started:
            self.started_event.set()
        self._stop_r, self._stop_w = os.pipe()
        self._stop_lock = threading.Lock()
        self._last_kill = 0.0
        # State of the event loop, set when it starts.
        self._exited_at: float | None = None
        self._open_streams: set[int] = set()
        self._out_fd = self._pidfd = -1
        self._deadline = 0.0

    def request_stop(self) -> None:
        # Under the lock, and only while the pipe is open: after the loop closed it, the fd
        # number may already belong to some other file of the worker.
        with self._stop_lock:
            if self._stop_w >= 0:
                with contextlib.suppress(OSError):
                    os.write(self._stop_w, b"x")

    def _kill(self, reason: Verdict | None) -> None:
        """Kills the run; the first reason recorded is the verdict (None: a stop request).

        Only the first call kills: later ones (every chunk of a flood past its cap) must not
        escalate early, because the accounting spares bubblewrap's monitor on the first round so
        that it can reap the sandbox's init. `_next_timeout` repeats the kill if needed.
        """
        if self.kill_reason is not None or self.stopped:
            return
        if reason is None:
            self.stopped = True
        else:
            self.kill_reason = reason
        self._last_kill = time.monotonic()
        self.accounting.kill_now()

    def _on_stdout(self, data: bytes) -> None:
        if not self.started:
            self._prefix += data
            if len(self._prefix) < len(MARKER):
                return
            if self._prefix.startswith(MARKER):
                self.started = True
                self.started_event.set()
                data = self._prefix[len(MARKER) :]
            else:
                data = self._prefix  # never started: keep what came, for the error message
            self._prefix = b""
        if data and self.stdout.feed(data):
            self._kill(Verdict.OUTPUT_LIMIT)

    def run(self) -> None:
        try:
            self._loop()
        finally:
            self.wall_seconds = time.monotonic() - self.started_at
            if self._prefix:
                self.stdout.feed(self._prefix)
            with self._stop_lock:
                for fd in (self._stop_r, self._stop_w):
                    with contextlib.suppress(OSError):
                        os.close(fd)
                self._stop_r = self._stop_w = -1
            self.started_event.set()
            self.done_event.set()

    def _next_timeout(self, now: float) -> float | None:
        """Enforces the limits due by `now`; returns how long to wait for events, or None to
        stop waiting (the drain after exit is over)."""
        limits = self.limits
        if self._exited_at is not None:
            left = self._exited_at + _DRAIN_SECONDS - now
            return left if left > 0 else None
        if self.kill_reason is not None or self.stopped:
            if now - self._last_kill >= _REKILL_SECONDS:  # killed, not gone yet: kill again
                self._last_kill = now
                self.accounting.kill_now()
            return _REKILL_SECONDS
        if now >= self._deadline:
            self._kill(Verdict.WALL_TIME)
            return _MIN_POLL
        used = self.accounting.cpu_seconds()
        if used >= limits.cpu_seconds:
            self._kill(Verdict.CPU_TIME)
            return _MIN_POLL
        # The budget cannot run out before this, at the run's CPU quota.
        earliest = (limits.cpu_seconds - used) / max(limits.cpu_quota, 0.01)
        return max(_MIN_POLL, min(self._deadline - now, earliest))

    def _on_event(self, fd: int, selector: selectors.BaseSelector) -> None:
        if fd == self._pidfd:
            self.returncode = self.accounting.reap(self.popen)
            self._exited_at = time.monotonic()
            selector.unregister(fd)
        elif fd == self._stop_r:
            selector.unregister(fd)
            if self._exited_at is None:
                self._kill(None)
        else:
            try:
                data = os.read(fd, _READ)
            except BlockingIOError:
                return
            if not data:
                selector.unregister(fd)
                self._open_streams.discard(fd)
            elif fd == self._out_fd:
                self._on_stdout(data)
            elif self.stderr.feed(data):
                self._kill(Verdict.OUTPUT_LIMIT)

    def _loop(self) -> None:
        assert self.popen.stdout is not None and self.popen.stderr is not None
        self._out_fd = self.popen.stdout.fileno()
        err_fd = self.popen.stderr.fileno()
        self._pidfd = os.pidfd_open(self.popen.pid)
        self._deadline = self.started_at + self.limits.wall_seconds
        self._open_streams = {self._out_fd, err_fd}
        selector = selectors.DefaultSelector()
        try:
            for fd in (self._out_fd, err_fd):
                os.set_blocking(fd, False)
                selector.register(fd, selectors.EVENT_READ)
            selector.register(self._pidfd, selectors.EVENT_READ)
            selector.register(self._stop_r, selectors.EVENT_READ)
            while self._open_streams or self._exited_at is None:
                timeout = self._next_timeout(time.monotonic())
                if timeout is None:
                    break
                for key, _events in selector.select(timeout):
                    self._on_event(key.fd, selector)
        finally:
            selector.close()
            os.close(self._pidfd)
            if self.returncode is None:
                self.accounting.kill_now()
                self.returncode = self.accounting.reap(self.popen)
