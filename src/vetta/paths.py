"""Where Vetta keeps its data, shared by the Django settings and the Django-free grading core."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_source_root = _PACKAGE_DIR.parent.parent
SOURCE_ROOT: Path | None = _source_root if (_source_root / "pyproject.toml").exists() else None


def vetta_home() -> Path:
    """VETTA_HOME, or `var/` next to a source checkout, or ~/.local/share/vetta."""
    configured = os.environ.get("VETTA_HOME")
    if configured:
        return Path(configured).expanduser().resolve()
    if SOURCE_ROOT is not None:
        return SOURCE_ROOT / "var"
    return Path.home() / ".local" / "share" / "vetta"
