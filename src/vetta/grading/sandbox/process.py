"""`SandboxProcess`: what `spawn` returns, for servers that trusted code talks to."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from vetta.grading.sandbox.errors import SandboxError
from vetta.grading.sandbox.monitor import Monitor
from vetta.grading.sandbox.safeio import safe_relative_path
from vetta.grading.sandbox.types import MiB, Outcome

T = TypeVar("T")


class Session(Protocol):
    """One started sandbox (or unsafe process) and the resources it holds."""

    monitor: Monitor | None

    def netns_call(self, fn: Callable[[], T]) -> T: ...

    def collect_files(
        self, names: Sequence[str], max_bytes: int
    ) -> tuple[dict[str, bytes], dict[str, str]]: ...

    def finish(self) -> Outcome: ...


class SandboxProcess:
    """A sandbox running in the background; use it as a context manager.

    A monitor thread enforces the same limits as `run` (wall clock, CPU budget, output caps)
    while the caller talks to the process. `stop()` kills everything and returns the outcome:
    a process that was still healthy when stopped gets `ok`.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        assert session.monitor is not None
        self._monitor = session.monitor
        self._thread = threading.Thread(
            target=self._monitor.run, name="vetta-sandbox-monitor", daemon=True
        )
        self._outcome: Outcome | None = None
        self._lock = threading.Lock()
        self._thread.start()
        self._monitor.started_event.wait()
        if not self._monitor.started:
            outcome = self.stop()
            raise SandboxError(outcome.message or "the sandbox failed to start")

    @property
    def alive(self) -> bool:
        """True until the process (and everything it started) has ended."""
        return not self._monitor.done_event.is_set()

    def netns_call(self, fn: Callable[[], T]) -> T:
        """Runs trusted `fn` in a thread inside the sandbox's network namespace and returns its
        result. Sockets it creates stay in that namespace, even when used from other threads."""
        return self._session.netns_call(fn)

    def wait_port(self, port: int, timeout: float = 10.0) -> None:
        """Returns once something accepts TCP connections on 127.0.0.1:`port` in the sandbox.

        Raises SandboxError if the process ends first, TimeoutError after `timeout` seconds.
        """

        def probe() -> bool:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.settimeout(1.0)
                return sock.connect_ex(("127.0.0.1", port)) == 0

        deadline = time.monotonic() + timeout
        delay = 0.002
        while True:
            if not self.alive:
                raise SandboxError(f"the sandboxed process ended before listening on port {port}")
            if self.netns_call(probe):
                return
            if time.monotonic() >= deadline:
                raise TimeoutError(f"nothing listened on port {port} within {timeout:g} s")
            # Nothing signals "a socket started listening"; the wait ends early if the process dies.
            self._monitor.done_event.wait(delay)
            delay = min(delay * 2, 0.05)

    def collect(
        self, names: Sequence[str], max_bytes: int = 16 * MiB
    ) -> tuple[dict[str, bytes], dict[str, str]]:
        """Reads files from the running sandbox's /work safely (O_NOFOLLOW, fstat, size cap)."""
        for name in names:
            safe_relative_path(name)
        return self._session.collect_files(names, max_bytes)

    def stop(self) -> Outcome:
        """Kills everything (if still running), releases the slot, returns the outcome."""
        with self._lock:
            if self._outcome is None:
                self._monitor.request_stop()
                self._thread.join()
                self._outcome = self._session.finish()
            return self._outcome

    def wait(self, timeout: float | None = None) -> Outcome | None:
        """Waits for the process to end by itself: its outcome, or None after `timeout`."""
        if not self._monitor.done_event.wait(timeout):
            return None
        return self.stop()

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
