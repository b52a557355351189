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
        self._outcome: Outcome | None = None
        self._thread = threading.Thread(
            target=self._supervise, name="vetta-sandbox-monitor", daemon=True
        )
        self._thread.start()
        self._monitor.started_event.wait()
        if not self._monitor.started:
            outcome = self.stop()
            raise SandboxError(outcome.message or "the sandbox failed to start")

    def _supervise(self) -> None:
        # The slot is released as soon as the process ends (by itself, at a limit, or stopped),
        # so a grader that forgets stop() still cannot leak a slot, a mount or a cgroup.
        try:
            self._monitor.run()
        finally:
            self._outcome = self._session.finish()

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
        """Reads files from the running sandbox's /work safely (O_NOFOLLOW, fstat, size cap).

        Once the process has ended, /work is gone: name files in `spawn(collect=...)` to get
        them in the final outcome."""
        for name in names:
            safe_relative_path(name)
        return self._session.collect_files(names, max_bytes)

    def stop(self) -> Outcome:
        """Kills everything (if still running), releases the slot, returns the outcome."""
        self._monitor.request_stop()
        self._thread.join()
        assert self._outcome is not None
        return self._outcome

    def wait(self, timeout: float | None = None) -> Outcome | None:
        """Waits for the process to end by itself: its outcome, or None after `timeout`."""
        self._thread.join(timeout)
        return self._outcome

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
