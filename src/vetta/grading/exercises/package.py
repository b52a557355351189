"""Loading an exercise package from disk and checking it, file by file and field by field."""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pydantic import ValidationError

from vetta import vocabulary
from vetta.grading.config import OperatorBounds
from vetta.grading.exercises.errors import PackageError, PackageInvalid
from vetta.grading.exercises.model import ExerciseSpec, LimitsSpec, format_size

SPEC_FILE = "exercise.yaml"
MAX_SPEC_BYTES = 256 * 1024
# Files under these names are never part of a workspace or submission.
_IGNORED = {"__pycache__", ".pytest_cache", ".DS_Store", ".mypy_cache", ".ruff_cache"}


def _walk_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Regular files below root as (posix relative path, path), sorted, skipping caches and
    refusing to follow symlinks (a package is data; a link inside one is a mistake or a trick)."""
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part in _IGNORED or part.endswith(".pyc") for part in rel.parts):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        yield rel.as_posix(), path


def read_tree(root: Path) -> dict[str, bytes]:
    return {rel: path.read_bytes() for rel, path in _walk_files(root)}


@dataclass(frozen=True)
class Solution:
    band: str
    name: str  # "strong" or "cheating/eq-everything" when a band holds several solutions
    path: Path


@dataclass(frozen=True)
class ExercisePackage:
    root: Path
    spec: ExerciseSpec

    @property
    def slug(self) -> str:
        return self.spec.slug

    @property
    def version(self) -> str:
        return self.spec.version

    def path(self, relative: str) -> Path:
        return self.root / relative

    def statement(self) -> str:
        return self.path(self.spec.files.statement).read_text(encoding="utf-8")

    def starter_files(self) -> dict[str, bytes]:
        return read_tree(self.path(self.spec.files.starter))

    def public_test_files(self) -> dict[str, bytes]:
        if self.spec.files.public_tests is None:
            return {}
        return read_tree(self.path(self.spec.files.public_tests))

    @property
    def hidden_dir(self) -> Path:
        return self.path(self.spec.files.hidden)

    def limits(self, profile: str = "default") -> LimitsSpec:
        return self.spec.limits.get(profile, self.spec.limits["default"])

    def is_editable(self, relative: str) -> bool:
        return any(fnmatch.fnmatchcase(relative, pat) for pat in self.spec.files.editable)

    def solutions(self) -> list[Solution]:
        """Reference solutions: `solutions/<band>/` is one solution, or, when it holds only
        directories, each subdirectory is one (e.g. several ways of cheating)."""
        found: list[Solution] = []
        for band in vocabulary.SOLUTION_BANDS:
            band_dir = self.root / "solutions" / band
            if not band_dir.is_dir():
                continue
            entries = [p for p in sorted(band_dir.iterdir()) if p.name not in _IGNORED]
            if entries and all(p.is_dir() for p in entries):
                found.extend(Solution(band, f"{band}/{p.name}", p) for p in entries)
            else:
                found.append(Solution(band, band, band_dir))
        return found

    def content_digest(self) -> str:
        """SHA-256 over every file of the package but the reference solutions: it names the
        exact material a variant was generated from, so caches never serve stale variants."""
        digest = hashlib.sha256()
        for rel, path in _walk_files(self.root):
            if rel.startswith("solutions/"):
                continue
            digest.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()


def _loc(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _read_spec(root: Path) -> tuple[dict[str, Any] | None, list[PackageError]]:
    spec_path = root / SPEC_FILE
    if not root.is_dir():
        return None, [PackageError(str(root), "", "is not a directory")]
    if not spec_path.is_file():
        return None, [PackageError(SPEC_FILE, "", "is missing: every package needs one")]
    if spec_path.stat().st_size > MAX_SPEC_BYTES:
        return None, [PackageError(SPEC_FILE, "", f"is larger than {MAX_SPEC_BYTES} bytes")]
    try:
        data = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, [PackageError(SPEC_FILE, "", "is not UTF-8 text")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [PackageError(SPEC_FILE, "", f"is not valid YAML{where}: {problem}")]
    if not isinstance(data, dict):
        return None, [PackageError(SPEC_FILE, "", "must be a mapping of fields")]
    return data, []


def _check_limits(spec: ExerciseSpec, bounds: OperatorBounds) -> list[PackageError]:
    errors: list[PackageError] = []
    for name, limits in spec.limits.items():
        field = f"limits.{name}"
        checks: list[tuple[str, float, float, str, str]] = [
            (
                "memory",
                limits.memory,
                bounds.max_memory,
                format_size(limits.memory),
                format_size(bounds.max_memory) + " (VETTA_MAX_MEMORY)",
            ),
            (
                "cpu_seconds",
                limits.cpu_seconds,
                bounds.max_cpu_seconds,
                f"{limits.cpu_seconds:g}s",
                f"{bounds.max_cpu_seconds:g}s (VETTA_MAX_CPU_SECONDS)",
            ),
            (
                "wall_seconds",
                limits.wall_seconds,
                bounds.max_wall_seconds,
                f"{limits.wall_seconds:g}s",
                f"{bounds.max_wall_seconds:g}s (VETTA_MAX_WALL_SECONDS)",
            ),
            (
                "pids",
                limits.pids,
                bounds.max_pids,
                str(limits.pids),
                f"{bounds.max_pids} (VETTA_MAX_PIDS)",
            ),
            (
                "cpu_quota",
                limits.cpu_quota,
                bounds.max_cpu_quota,
                f"{limits.cpu_quota:g}",
                f"{bounds.max_cpu_quota:g} (VETTA_MAX_CPU_QUOTA)",
            ),
        ]
        for key, value, bound, shown, bound_shown in checks:
            if value > bound:
                errors.append(
                    PackageError(
                        SPEC_FILE,
                        f"{field}.{key}",
                        f"{shown} is above the operator's bound {bound_shown}",
                    )
                )
        if limits.wall_seconds < limits.cpu_seconds / max(limits.cpu_quota, 1e-9):
            errors.append(
                PackageError(
                    SPEC_FILE,
                    f"{field}.wall_seconds",
                    f"{limits.wall_seconds:g}s cannot fit {limits.cpu_seconds:g}s of CPU at a "
                    f"quota of {limits.cpu_quota:g} core(s)",
                )
            )
        if limits.memory < 16 * 1024**2:
            errors.append(PackageError(SPEC_FILE, f"{field}.memory", "must be at least 16M"))
    return errors


def _check_files(root: Path, spec: ExerciseSpec) -> list[PackageError]:
    errors: list[PackageError] = []
    files = spec.files
    statement = root / files.statement
    if not statement.is_file():
        errors.append(PackageError(files.statement, "", "is missing (files.statement)"))
    elif not statement.read_text(encoding="utf-8", errors="replace").strip():
        errors.append(PackageError(files.statement, "", "is empty: candidates work from it alone"))
    for field, rel in (
        ("files.starter", files.starter),
        ("files.hidden", files.hidden),
        ("files.public_tests", files.public_tests),
    ):
        if rel is None:
            continue
        if PurePosixPath(rel).is_absolute() or ".." in PurePosixPath(rel).parts:
            errors.append(PackageError(SPEC_FILE, field, f"{rel!r} must stay inside the package"))
        elif not (root / rel).is_dir():
            errors.append(PackageError(rel, "", f"directory is missing ({field})"))
    if spec.variants is not None and not (root / spec.variants.generator).is_file():
        errors.append(PackageError(spec.variants.generator, "", "is missing (variants.generator)"))
    return errors


def _check_solutions(root: Path, spec: ExerciseSpec) -> list[PackageError]:
    errors: list[PackageError] = []
    solutions_dir = root / "solutions"
    if not solutions_dir.is_dir():
        return [
            PackageError(
                "solutions",
                "",
                "directory is missing: ship strong, partial, "
                "wrong and cheating reference solutions",
            )
        ]
    for band in spec.solutions:
        band_dir = solutions_dir / band
        if not band_dir.is_dir() or not any(band_dir.iterdir()):
            errors.append(
                PackageError(
                    f"solutions/{band}",
                    "",
                    f"is missing or empty, but exercise.yaml gives the band {band!r} a score range",
                )
            )
    for entry in sorted(solutions_dir.iterdir()):
        if entry.is_dir() and entry.name not in spec.solutions and entry.name not in _IGNORED:
            errors.append(
                PackageError(
                    f"solutions/{entry.name}",
                    "",
                    f"band {entry.name!r} has no score range in "
                    "exercise.yaml (solutions.<band>.score)",
                )
            )
    return errors


def check_package(
    root: Path, bounds: OperatorBounds | None = None
) -> tuple[ExercisePackage | None, list[PackageError]]:
    """Static checks: the spec, its files, limits within the operator's bounds, the grader's own
    configuration, and the solution bands. Running the variant generator and the reference
    solutions is left to `validate_package` and `vetta exercise test`."""
    from vetta.grading.graders import get_grader

    root = root.resolve()
    data, errors = _read_spec(root)
    if data is None:
        return None, errors
    try:
        spec = ExerciseSpec.model_validate(data)
    except ValidationError as exc:
        return None, [
            PackageError(SPEC_FILE, _loc(err["loc"]), err["msg"].removeprefix("Value error, "))
            for err in exc.errors()
        ]
    if spec.slug != root.name:
        errors.append(
            PackageError(
                SPEC_FILE, "slug", f"{spec.slug!r} must equal the directory name {root.name!r}"
            )
        )
    errors += _check_limits(spec, bounds or OperatorBounds.from_env())
    errors += _check_files(root, spec)
    errors += _check_solutions(root, spec)
    package = ExercisePackage(root=root, spec=spec)
    grader = get_grader(spec.grader.kind)
    config, config_errors = grader.parse_config(spec.grader.config)
    errors += config_errors
    if config is not None:
        errors += grader.check_package(package, config)
    return (package if not errors else None), errors


def load_package(root: Path) -> ExercisePackage:
    package, errors = check_package(root)
    if package is None:
        raise PackageInvalid(str(root), errors)
    return package
