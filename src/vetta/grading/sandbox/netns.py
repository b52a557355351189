"""Private network namespaces that trusted host code can join (NetworkMode.LOOPBACK).

For a server exercise the candidate's service listens on 127.0.0.1 inside its sandbox and a trusted
client (the HTTP conformance grader) must reach it, while the sandbox reaches nothing else. We
create a fresh network namespace that holds only `lo`, start the sandbox *in* it (bubblewrap then
runs without `--unshare-net`), and run trusted callables in threads that joined it with setns(2).

Namespaces belong to threads on Linux, so unshare/setns in a worker thread changes neither the main
thread nor other threads, and the joined threads never serve anything else: the executor is shut
down with the namespace. A process forked from such a thread (the sandbox launcher) is born in the
namespace. The namespace lives as long as an fd or a process holds it: when the sandbox is gone and
`close()` drops the fd, the kernel frees it; nothing is mounted under /run/netns, so nothing leaks.
"""

from __future__ import annotations

import concurrent.futures
import fcntl
import os
import socket
import struct
import threading
from collections.abc import Callable
from typing import TypeVar

from vetta.grading.sandbox import _libc

T = TypeVar("T")
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1


def _bring_loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def _create() -> int:
    _libc.unshare(_libc.CLONE_NEWNET)
    _bring_loopback_up()
    return os.open(
        f"/proc/self/task/{threading.get_native_id()}/ns/net", os.O_RDONLY | os.O_CLOEXEC
    )


class NetNamespace:
    """A fresh network namespace with only loopback, and threads that live in it."""

    def __init__(self, *, workers: int = 4) -> None:
        # The namespace is made by a throw-away thread, so no pool thread keeps the ns it
        # was born in by accident.
        creator = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="vetta-netns-new")
        try:
            self.fd = creator.submit(_create).result()
        finally:
            creator.shutdown(wait=True)
        self._pool = concurrent.futures.ThreadPoolExecutor(
            workers, thread_name_prefix="vetta-netns", initializer=self._join
        )

    def _join(self) -> None:
        _libc.setns(self.fd, _libc.CLONE_NEWNET)

    def call(self, fn: Callable[[], T]) -> T:
        """Runs `fn` in a thread inside the namespace and returns its result (or raises)."""
        return self._pool.submit(fn).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
