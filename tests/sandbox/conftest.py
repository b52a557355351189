"""Fixtures of the sandbox tests.

`sandbox` runs the self-check once per session. Locally a host that cannot sandbox skips the tests
that need it; under CI=true it FAILS them (tests.conftest.require): a skipped attack test would
hide a broken sandbox.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from vetta.grading.sandbox import Limits, MiB, Outcome, run
from vetta.grading.sandbox.config import config
from vetta.grading.sandbox.selfcheck import CheckReport, self_check

# Small limits keep the attack suite fast: most attacks end at their first limit.
FAST = Limits(
    memory_bytes=128 * MiB,
    cpu_seconds=2.0,
    wall_seconds=5.0,
    pids=32,
    tmp_bytes=8 * MiB,
    work_bytes=8 * MiB,
    output_bytes=256 * 1024,
    file_size_bytes=4 * MiB,
)


@pytest.fixture(scope="session")
def isolated_sandbox() -> Iterator[None]:
    """Gives this test session its own slot uids, state dir and cgroup names.

    The machine may run a Vetta worker, or another test session, at the same time: the suite's
    checks that nothing survives (no process of a slot uid, no mount, no cgroup) must only see
    its own runs, and its attacks must never meet another deployment's slots.
    """
    tag = f"test-{os.getpid()}"
    settings = {
        "VETTA_SANDBOX_UID_BASE": str(61000 + (os.getpid() % 400) * 8),
        "VETTA_SANDBOX_STATE_DIR": f"/run/vetta/sandbox-{tag}",
        "VETTA_SANDBOX_CGROUP": f"vetta-sandbox-{tag}",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in settings.items():
            patch.setenv(name, value)
        _clear_caches()
        try:
            yield
        finally:
            _remove_isolated_state()
    _clear_caches()


def _clear_caches() -> None:
    from vetta.grading.sandbox import runner

    config.cache_clear()
    runner.cgroup_layout.cache_clear()
    runner._etc_dir.cache_clear()


def _remove_isolated_state() -> None:
    from vetta.grading.sandbox import _libc
    from vetta.grading.sandbox.runner import cgroup_layout

    cfg = config()
    if os.path.ismount(cfg.state_dir):
        _libc.umount_detach(cfg.state_dir)
    if cfg.state_dir.exists():
        cfg.state_dir.rmdir()
    (cfg.state_dir.parent / f".{cfg.state_dir.name}.lock").unlink(missing_ok=True)
    try:
        layout = cgroup_layout()
    except Exception:
        return
    for base in set(layout.bases.values()):
        if base.exists():
            base.rmdir()


@pytest.fixture(scope="session")
def sandbox_report(isolated_sandbox: None) -> CheckReport:
    return self_check()


@pytest.fixture
def sandbox(sandbox_report: CheckReport) -> CheckReport:
    """Requires a working sandbox: skip locally, fail under CI=true."""
    details = "; ".join(f"{i.name}: {i.detail}" for i in sandbox_report.problems)
    require(sandbox_report.ok, f"the sandbox self-check failed here ({details})")
    return sandbox_report


# Prefix for attacks that call raw syscalls: prints each call's errno name, or ALLOWED.
SYSCALL_PROBE = """
import ctypes, errno
libc = ctypes.CDLL(None, use_errno=True)
def call(name, number, *args):
    result = libc.syscall(number, *[ctypes.c_long(a) for a in args])
    print(name, errno.errorcode.get(ctypes.get_errno(), "?") if result < 0 else "ALLOWED")
"""


def attack(
    source: str,
    *,
    limits: Limits = FAST,
    files: Mapping[str, bytes] | None = None,
    **kwargs: Any,
) -> Outcome:
    """Runs a small Python program inside the sandbox as /work/attack.py."""
    all_files = {**(files or {}), "attack.py": textwrap.dedent(source).encode()}
    return run(["python", "/work/attack.py"], limits=limits, files=all_files, **kwargs)


def lines(outcome: Outcome) -> list[str]:
    return outcome.stdout.decode().splitlines()


@pytest.fixture
def host_secret() -> Iterator[tuple[Path, str]]:
    """A file in a root-only host directory: (path, a unique token in its name and content)."""
    token = f"VETTA-MARKER-{uuid.uuid4().hex}"
    directory = Path(tempfile.mkdtemp(prefix="vetta-secret-", dir="/var/tmp"))
    directory.chmod(0o700)
    secret = directory / f"{token}.txt"
    secret.write_text(f"hidden test answer {token}\n")
    secret.chmod(0o600)
    try:
        yield secret, token
    finally:
        shutil.rmtree(directory)


def slot_uids() -> range:
    cfg = config()
    return range(cfg.uid_base, cfg.uid_base + cfg.slots)


def processes_of(uids: range) -> list[str]:
    """Host pids whose real uid is one of `uids`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Uid:") and int(line.split()[1]) in uids:
                try:
                    command = Path(f"/proc/{entry}/cmdline").read_bytes()[:200]
                except OSError:
                    command = b"?"
                found.append(f"{entry} {command!r}")
    return found


def leftovers() -> list[str]:
    """Whatever this session's runs may have left on the host: processes, mounts, cgroups."""
    from vetta.grading.sandbox.runner import cgroup_layout

    found = [f"process {p}" for p in processes_of(slot_uids())]
    state = str(config().state_dir)
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        point = line.split()[4]
        if point.startswith(state + "/"):
            found.append(f"mount {point}")
    for base in set(cgroup_layout().bases.values()):
        found += [f"cgroup {p}" for p in base.glob("slot-*")]
    return found


@pytest.fixture(scope="session", autouse=True)
def nothing_left_behind(sandbox_report: CheckReport) -> Iterator[None]:
    """After the whole sandbox suite: no process, mount or cgroup of any run remains."""
    yield
    if sandbox_report.ok:
        assert leftovers() == []
