"""Fixtures for grading tests: copies of a tiny package that tests break on purpose, and a
sandbox that must be real (CI fails, not skips, without one)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]
EXERCISES = REPO / "exercises"


@pytest.fixture
def tiny_package(tmp_path: Path) -> Path:
    """A fresh copy of the tiny-adder package under its own name, safe to modify."""
    target = tmp_path / "tiny-adder"
    shutil.copytree(FIXTURES / "tiny-adder", target)
    return target


@pytest.fixture
def edit_spec() -> Callable[[Path, Callable[[dict], None]], None]:
    """Edit a package's exercise.yaml through a function on the parsed mapping."""

    def edit(root: Path, change: Callable[[dict], None]) -> None:
        path = root / "exercise.yaml"
        data = yaml.safe_load(path.read_text())
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False))

    return edit
