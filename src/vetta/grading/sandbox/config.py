"""Sandbox settings, read from the environment once and validated loudly.

The grading core must not import Django, so this is a small reader of its own rather than
`vetta.config.env`. A bad value raises `ConfigError` naming the variable: a typo in a deployment
must stop the worker, not silently run with a default.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from vetta.grading.sandbox.errors import ConfigError

DEFAULT_RUNTIME = Path("/opt/vetta/runtime")
DEFAULT_STATE_DIR = Path("/run/vetta/sandbox")
# Well above the system range (Debian allocates 1000-59999 to people, 60000+ is unused) and below
# nobody (65534), so a slot uid never owns a file on the host.
DEFAULT_UID_BASE = 60000
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class SandboxConfig:
    slots: int
    uid_base: int
    runtime: Path
    state_dir: Path
    cgroup_name: str
    unsafe_no_sandbox: bool


def _integer(environ: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}={value} must be at least {minimum}")
    return value


def _boolean(environ: Mapping[str, str], name: str) -> bool:
    raw = environ.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off")


def _absolute(environ: Mapping[str, str], name: str, default: Path) -> Path:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    path = Path(raw)
    if not path.is_absolute():
        raise ConfigError(f"{name}={raw!r} must be an absolute path")
    return path


def load_config(environ: Mapping[str, str] | None = None) -> SandboxConfig:
    env = os.environ if environ is None else environ
    uid_base = _integer(env, "VETTA_SANDBOX_UID_BASE", DEFAULT_UID_BASE, minimum=1000)
    slots = _integer(env, "VETTA_SANDBOX_SLOTS", os.cpu_count() or 1, minimum=1)
    if uid_base + slots > 65534:
        raise ConfigError(
            f"VETTA_SANDBOX_UID_BASE={uid_base} with {slots} slots reaches uid 65534 (nobody)"
        )
    name = env.get("VETTA_SANDBOX_CGROUP", "vetta-sandbox")
    if not name or "/" in name or name in {".", ".."}:
        raise ConfigError(f"VETTA_SANDBOX_CGROUP={name!r} must be a single directory name")
    return SandboxConfig(
        slots=slots,
        uid_base=uid_base,
        runtime=_absolute(env, "VETTA_SANDBOX_RUNTIME", DEFAULT_RUNTIME),
        state_dir=_absolute(env, "VETTA_SANDBOX_STATE_DIR", DEFAULT_STATE_DIR),
        cgroup_name=name,
        unsafe_no_sandbox=_boolean(env, "VETTA_UNSAFE_NO_SANDBOX"),
    )


@functools.cache
def config() -> SandboxConfig:
    """The process-wide settings; tests that change the environment call `config.cache_clear()`."""
    return load_config()
