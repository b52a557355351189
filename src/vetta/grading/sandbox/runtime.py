"""The grader runtime: a world-readable Python that sandboxed code runs with.

The machine's own Python often lives under a home directory the slot uids cannot read (SANDBOX.md
finding 9), so we build a venv from Debian's `/usr/bin/python3.11` at a fixed path outside any home
and bind it read-only into every sandbox, next to `/usr`.

A venv is not relocatable (scripts carry their interpreter path in the shebang), so "build in a temp
dir, then rename" is done one level up: each build goes to `<runtime>-<key>` and `<runtime>` is a
symlink swapped atomically with `rename(2)` once the build is complete. A crash leaves at most an
unfinished `<runtime>-<key>` without its marker, which the next setup deletes and rebuilds.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from vetta.grading.sandbox.config import config
from vetta.grading.sandbox.errors import SandboxError

log = logging.getLogger(__name__)

BASE_PYTHON = Path("/usr/bin/python3.11")
# What candidates and graders may import inside the sandbox. Pinned so that a rebuild on another
# machine gives the same libraries; the key below changes with this list, which triggers a rebuild.
REQUIREMENTS: tuple[str, ...] = (
    "numpy==2.4.6",
    "pandas==3.1.1",
    "scikit-learn==1.9.1",
    # The CPU wheel lies in /opt/wheels (pip's find-links); nothing is downloaded at run time.
    "torch==2.13.0",
    "pytest==9.2.0",
    # One exercise asks for an HTTP model-serving service.
    "fastapi==0.165.0",
    "uvicorn==0.54.0",
    "httpx==0.28.1",
    "pydantic==2.14.4",
)
# Bump when the layout of a runtime changes in a way the requirement list does not show.
_FORMAT = "1"
MARKER = ".vetta-runtime.json"


@dataclass(frozen=True)
class RuntimeInfo:
    link: Path  # the configured path, a symlink: what PATH and shebang-free commands use
    real: Path  # the versioned directory it points to: what scripts' shebangs name
    key: str

    @property
    def python(self) -> Path:
        return self.link / "bin" / "python"


def runtime_key(requirements: tuple[str, ...] = REQUIREMENTS) -> str:
    text = "\n".join([_FORMAT, str(BASE_PYTHON), *sorted(requirements)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _read_marker(directory: Path) -> dict[str, object] | None:
    try:
        data = json.loads((directory / MARKER).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def find_runtime(*, link: Path | None = None) -> RuntimeInfo | None:
    """The built runtime, or None when `vetta sandbox setup` has not completed here."""
    link = config().runtime if link is None else link
    try:
        real = link.resolve(strict=True)
    except OSError:
        return None
    marker = _read_marker(real)
    if marker is None or not (real / "bin" / "python").exists():
        return None
    return RuntimeInfo(link=link, real=real, key=str(marker.get("key", "")))


def require_runtime() -> RuntimeInfo:
    info = find_runtime()
    if info is None:
        raise SandboxError(
            f"the grader runtime is not built at {config().runtime}: run `vetta sandbox setup`"
        )
    return info


def runtime_python() -> str:
    """The interpreter to name in sandboxed commands (`python` on PATH resolves to it too)."""
    return str(config().runtime / "bin" / "python")


def runtime_is_current(*, link: Path | None = None) -> bool:
    info = find_runtime(link=link)
    return info is not None and info.key == runtime_key()


@contextlib.contextmanager
def _setup_lock(parent: Path) -> Iterator[None]:
    # Two bootstraps at once (two terminals, CI retries) must not build into the same directory.
    with (parent / ".setup.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(argv: list[str], *, say: Callable[[str], None]) -> None:
    say(" ".join(argv))
    completed = subprocess.run(argv, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout)[-3000:]
        raise SandboxError(f"runtime build step failed ({argv[0]} {argv[1]}): {tail}")


def setup_runtime(
    *, force: bool = False, say: Callable[[str], None] = lambda _msg: None
) -> RuntimeInfo:
    """Builds the runtime if it is missing or its requirement list changed; idempotent and fast
    when nothing changed (one stat and one small JSON read)."""
    link = config().runtime
    key = runtime_key()
    if not force and runtime_is_current(link=link):
        return require_runtime()
    if not BASE_PYTHON.exists():
        raise SandboxError(f"{BASE_PYTHON} is missing: apt-get install python3.11 python3.11-venv")
    if link.exists() and not link.is_symlink():
        raise SandboxError(
            f"{link} exists and is not a symlink made by `vetta sandbox setup`; move it away"
        )
    parent = link.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        parent.chmod(0o755)
    except OSError as error:
        raise SandboxError(
            f"cannot create {parent} ({error.strerror}): run setup as root"
        ) from None
    old_umask = os.umask(0o022)  # world-readable files: the slot uids are not the owner
    try:
        with _setup_lock(parent):
            if not force and runtime_is_current(link=link):
                return require_runtime()
            real = parent / f"{link.name}-{key}"
            if real.exists():
                say(f"removing an unfinished or forced build at {real}")
                shutil.rmtree(real)
            started = time.monotonic()
            _run([str(BASE_PYTHON), "-m", "venv", str(real)], say=say)
            pip = [str(real / "bin" / "python"), "-m", "pip"]
            _run([*pip, "install", "--quiet", "--no-input", *REQUIREMENTS], say=say)
            frozen = subprocess.run(
                [*pip, "freeze", "--all"], capture_output=True, text=True, check=True
            ).stdout
            (real / "requirements.lock").write_text(frozen)
            marker = {
                "key": key,
                "requirements": list(REQUIREMENTS),
                "base_python": str(BASE_PYTHON),
                "built_seconds": round(time.monotonic() - started, 1),
            }
            # The marker is written last: its presence is what "this build is complete" means.
            (real / MARKER).write_text(json.dumps(marker, indent=2) + "\n")
            temporary = parent / f".{link.name}.{os.getpid()}.tmp"
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            temporary.symlink_to(real.name)
            temporary.replace(link)
            say(f"runtime ready at {link} -> {real.name}")
    finally:
        os.umask(old_umask)
    return require_runtime()
