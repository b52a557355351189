"""Per-candidate variants: a package's seeded generator, run in the sandbox, cached on disk.

The generator runs with the package (minus its reference solutions) copied into the sandbox's
`/work/pkg`, writes `out/public/` and `out/hidden/`, and the result crosses back as a tar stream
on stdout, unpacked by the same hardened extractor that handles candidates' uploads. Same package,
same seed: same bytes, which `vetta exercise validate` checks.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from vetta.grading import sandbox
from vetta.grading.config import cache_dir
from vetta.grading.exercises.package import ExercisePackage, read_tree
from vetta.grading.sandbox import safeio
from vetta.grading.sandbox.types import MiB

MAX_VARIANT_BYTES = 256 * MiB

# Runs inside the sandbox. The generator's own prints go to stderr so that stdout carries only
# the tar stream of what it wrote.
_DRIVER = """
import os, runpy, sys, tarfile
keep = os.dup(1)
os.dup2(2, 1)
sys.argv = [sys.argv[1], "--seed", sys.argv[2], "--out", "out"]
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
os.makedirs("out", exist_ok=True)
runpy.run_path(sys.argv[0], run_name="__main__")
sys.stdout.flush()
with os.fdopen(keep, "wb") as stream, tarfile.open(fileobj=stream, mode="w|") as tar:
    for name in sorted(os.listdir("out")):
        tar.add(os.path.join("out", name), arcname=name)
"""


class VariantError(Exception):
    """The package's variant generator failed; `file` names it for the author."""

    def __init__(self, file: str, message: str) -> None:
        self.file = file
        self.message = message
        super().__init__(f"{file}: {message}")


@dataclass(frozen=True)
class Variant:
    seed: int
    root: Path

    @property
    def public_dir(self) -> Path:
        return self.root / "public"

    @property
    def hidden_dir(self) -> Path:
        return self.root / "hidden"

    def public_files(self) -> dict[str, bytes]:
        return read_tree(self.public_dir)

    def digest(self) -> str:
        digest = hashlib.sha256()
        for rel, content in sorted(read_tree(self.root).items()):
            digest.update(rel.encode() + b"\0" + hashlib.sha256(content).digest())
        return digest.hexdigest()


def _package_files(package: ExercisePackage) -> dict[str, bytes]:
    return {
        f"pkg/{rel}": content
        for rel, content in read_tree(package.root).items()
        if not rel.startswith("solutions/")
    }


def _cache_path(package: ExercisePackage, seed: int) -> Path:
    key = f"{package.slug}-{package.version}-{package.content_digest()[:16]}-{seed}"
    return cache_dir() / "variants" / key


def cached_variant(package: ExercisePackage, seed: int) -> Variant | None:
    """The variant for `seed` if it was generated already; never generates (cheap, for pages)."""
    target = _cache_path(package, seed)
    return Variant(seed=seed, root=target) if (target / ".complete").is_file() else None


def generate_variant(
    package: ExercisePackage, seed: int, *, unsafe_no_sandbox: bool = False, use_cache: bool = True
) -> Variant | None:
    """The variant for `seed`, generating it on first use; None for a package without variants."""
    spec = package.spec.variants
    if spec is None:
        return None
    target = _cache_path(package, seed)
    if use_cache and (target / ".complete").is_file():
        os.utime(target / ".complete")  # recently used: the last to be pruned
        return Variant(seed=seed, root=target)
    files = _package_files(package)
    total = sum(len(c) for c in files.values())
    limits = sandbox.Limits(
        memory_bytes=spec.memory + 2 * MAX_VARIANT_BYTES // 4,
        cpu_seconds=spec.timeout_seconds,
        wall_seconds=spec.timeout_seconds * 2,
        pids=64,
        work_bytes=total + MAX_VARIANT_BYTES,
        tmp_bytes=64 * MiB,
        output_bytes=MAX_VARIANT_BYTES,
        file_size_bytes=MAX_VARIANT_BYTES,
    )
    outcome = sandbox.run(
        ["python", "-c", _DRIVER, f"pkg/{spec.generator}", str(seed)],
        limits=limits,
        files=files,
        unsafe_no_sandbox=unsafe_no_sandbox,
    )
    if not outcome.ok:
        tail = outcome.stderr.decode("utf-8", "replace").strip().splitlines()[-12:]
        detail = "\n".join(tail) or outcome.message or "no output"
        raise VariantError(
            spec.generator,
            f"generator failed with seed {seed} ({outcome.verdict.value}, exit {outcome.exit_code})"
            f":\n{detail}",
        )
    if outcome.stdout_truncated:
        raise VariantError(spec.generator, f"wrote more than {MAX_VARIANT_BYTES // MiB} MiB")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    scratch = Path(tempfile.mkdtemp(prefix=".gen-", dir=target.parent))
    try:
        try:
            safeio.extract_archive(
                outcome.stdout,
                scratch,
                max_total_bytes=MAX_VARIANT_BYTES,
                max_files=20_000,
                max_ratio=1e9,  # an uncompressed tar stream from our own driver
            )
        except safeio.ArchiveError as exc:
            raise VariantError(spec.generator, f"wrote unusable output: {exc}") from exc
        if not (scratch / "public").is_dir() and not (scratch / "hidden").is_dir():
            raise VariantError(spec.generator, "wrote neither out/public/ nor out/hidden/")
        size = sum(p.stat().st_size for p in scratch.rglob("*") if p.is_file())
        (scratch / ".complete").write_text(str(size))
        for path in [scratch, *scratch.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        scratch.rename(target)
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)
    prune_variants()
    return Variant(seed=seed, root=target)


def prune_variants(*, max_bytes: int | None = None, keep_seconds: float = 3600.0) -> int:
    """Keeps the variant cache under VETTA_VARIANT_CACHE_BYTES (default 5 GiB) by deleting the
    least recently used variants; any variant can be generated again from its seed. Variants used
    within `keep_seconds` are kept, so a grading in progress never loses its files. Returns how
    many were deleted."""
    limit = max_bytes if max_bytes is not None else _cache_limit()
    root = cache_dir() / "variants"
    entries: list[tuple[float, int, Path]] = []
    for stamp in root.glob("*/.complete"):
        try:
            used, size = stamp.stat().st_mtime, int(stamp.read_text() or 0)
        except (OSError, ValueError):
            continue
        entries.append((used, size, stamp.parent))
    total = sum(size for _, size, _ in entries)
    removed = 0
    now = time.time()
    for used, size, directory in sorted(entries):
        if total <= limit:
            break
        if now - used < keep_seconds:
            continue
        shutil.rmtree(directory, ignore_errors=True)
        total -= size
        removed += 1
    return removed


def _cache_limit() -> int:
    from vetta.grading.exercises.model import parse_size

    raw = os.environ.get("VETTA_VARIANT_CACHE_BYTES", "5G")
    try:
        return parse_size(raw)
    except ValueError:
        raise VariantError("VETTA_VARIANT_CACHE_BYTES", f"{raw!r} is not a size") from None
