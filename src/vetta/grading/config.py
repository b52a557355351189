"""Operator settings of the grading core, read from the environment (no Django here).

The bounds cap what any exercise package may ask of the sandbox; a package asking for more is
rejected by `vetta exercise validate` with the variable to raise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from vetta import paths
from vetta.grading.exercises.model import format_size, parse_size


class GradingConfigError(ValueError):
    """A grading setting in the environment is malformed."""


def _env_size(name: str, default: str) -> int:
    raw = os.environ.get(name, default)
    try:
        return parse_size(raw)
    except ValueError:
        raise GradingConfigError(f"{name}={raw!r} is not a size (e.g. 8G)") from None


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise GradingConfigError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise GradingConfigError(f"{name} must be positive")
    return value


@dataclass(frozen=True)
class OperatorBounds:
    max_memory: int
    max_cpu_seconds: float
    max_wall_seconds: float
    max_pids: int
    max_cpu_quota: float

    @classmethod
    def from_env(cls) -> OperatorBounds:
        return cls(
            max_memory=_env_size("VETTA_MAX_MEMORY", "8G"),
            max_cpu_seconds=_env_float("VETTA_MAX_CPU_SECONDS", 900),
            max_wall_seconds=_env_float("VETTA_MAX_WALL_SECONDS", 1800),
            max_pids=int(_env_float("VETTA_MAX_PIDS", 1024)),
            max_cpu_quota=_env_float("VETTA_MAX_CPU_QUOTA", 4),
        )

    def describe(self) -> str:
        return (
            f"memory {format_size(self.max_memory)}, CPU {self.max_cpu_seconds:g}s, "
            f"wall {self.max_wall_seconds:g}s, pids {self.max_pids}, quota {self.max_cpu_quota:g}"
        )


def cache_dir() -> Path:
    """Generated variants and staged material that sandboxes bind read-only.

    It must be traversable by the sandbox's unprivileged uids, so it defaults to a system path
    rather than VETTA_HOME (a checkout under /root is unreadable to them)."""
    configured = os.environ.get("VETTA_GRADING_CACHE")
    if configured:
        path = Path(configured)
    elif os.geteuid() == 0:
        path = Path("/var/cache/vetta/grading")
    else:
        path = paths.vetta_home() / "grading-cache"
    path.mkdir(parents=True, exist_ok=True, mode=0o755)
    return path
