"""Reading a submission from disk: a directory, a single file, or an archive."""

from __future__ import annotations

import tempfile
from pathlib import Path

from vetta.grading.exercises.package import ExercisePackage, read_tree
from vetta.grading.sandbox import safeio

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")


def read_submission(path: Path, package: ExercisePackage) -> tuple[dict[str, bytes], list[str]]:
    """The files of `path` the exercise accepts, and the names of the ones it ignored."""
    if path.is_dir():
        tree = read_tree(path)
    elif path.is_file() and path.name.endswith(ARCHIVE_SUFFIXES):
        limit = package.spec.files.max_submission_bytes
        with tempfile.TemporaryDirectory(prefix="vetta-upload-") as scratch:
            safeio.extract_archive(
                path, Path(scratch), max_total_bytes=limit, max_files=1000, max_ratio=100
            )
            tree = read_tree(Path(scratch))
    elif path.is_file():
        tree = {path.name: path.read_bytes()}
    else:
        raise FileNotFoundError(f"{path}: no such file or directory")
    accepted = {rel: content for rel, content in tree.items() if package.is_editable(rel)}
    ignored = sorted(set(tree) - set(accepted))
    return accepted, ignored
