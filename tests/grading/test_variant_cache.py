"""The variant cache stays bounded: least recently used variants go first, recent ones stay."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from vetta.grading.exercises.variants import prune_variants


def _variant(root: Path, name: str, size: int, used_ago: float) -> Path:
    directory = root / "variants" / name
    (directory / "hidden").mkdir(parents=True)
    (directory / "hidden" / "cases.json").write_bytes(b"x" * size)
    stamp = directory / ".complete"
    stamp.write_text(str(size))
    moment = time.time() - used_ago
    os.utime(stamp, (moment, moment))
    return directory


def test_the_least_recently_used_variants_are_pruned_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VETTA_GRADING_CACHE", str(tmp_path))
    oldest = _variant(tmp_path, "a-1", 400, used_ago=9000)
    older = _variant(tmp_path, "a-2", 400, used_ago=8000)
    recent = _variant(tmp_path, "a-3", 400, used_ago=5000)
    assert prune_variants(max_bytes=500, keep_seconds=3600) == 2
    assert not oldest.exists() and not older.exists() and recent.exists()


def test_variants_in_use_are_never_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VETTA_GRADING_CACHE", str(tmp_path))
    busy = _variant(tmp_path, "b-1", 1000, used_ago=10)
    assert prune_variants(max_bytes=1, keep_seconds=3600) == 0
    assert busy.exists()


def test_a_bad_cache_limit_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VETTA_GRADING_CACHE", str(tmp_path))
    monkeypatch.setenv("VETTA_VARIANT_CACHE_BYTES", "plenty")
    with pytest.raises(Exception, match="VETTA_VARIANT_CACHE_BYTES"):
        prune_variants()
