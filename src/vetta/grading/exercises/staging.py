"""Copies of package material in a place the sandbox's unprivileged uids can read.

Sandboxes bind material read-only; bubblewrap resolves a bind's source as the slot uid, so a
package inside a checkout under /root (mode 0700) cannot be bound directly. Staged copies are
content-addressed, made once, and renamed into place atomically so concurrent workers agree.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from vetta.grading.config import cache_dir


def _make_readable(root: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)  # noqa: PTH101, S103 - sandbox uids must read staged copies
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)  # noqa: PTH101, PTH118
        dirnames.sort()


def stage_files(files: Mapping[str, bytes], *, kind: str) -> Path:
    """A read-only, world-readable directory holding exactly `files`; same files, same path."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(files[rel]).digest())
    target = cache_dir() / "staged" / f"{kind}-{digest.hexdigest()[:24]}"
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    scratch = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
    try:
        for rel, content in files.items():
            path = scratch / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        _make_readable(scratch)
        try:
            scratch.rename(target)
        except OSError:
            if not target.is_dir():  # lost a race to an identical copy: fine; else re-raise
                raise
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)
    return target


def stage_tree(source: Path, *, kind: str) -> Path:
    from vetta.grading.exercises.package import read_tree

    return stage_files(read_tree(source), kind=kind)
