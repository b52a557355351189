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
def sandbox_report() -> CheckReport:
    return self_check()


@pytest.fixture
def sandbox(sandbox_report: CheckReport) -> CheckReport:
    """Requires a working sandbox: skip locally, fail under CI=true."""
    details = "; ".join(f"{i.name}: {i.detail}" for i in sandbox_report.problems)
    require(sandbox_report.ok, f"the sandbox self-check failed here ({details})")
    return sandbox_report


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
                    cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")[:300]
                    cg = Path(f"/proc/{entry}/cgroup").read_text().replace("\n", " | ")
                except OSError:
                    cmd, cg = b"?", "?"
                ppid = [x for x in status.splitlines() if x.startswith("PPid")]
                found.append(f"{entry} {ppid} {cmd!r} {cg}")
    return found
