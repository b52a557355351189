"""Errors about exercise packages, each naming the file and the field at fault."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackageError:
    file: str  # relative to the package root, e.g. "exercise.yaml" or "solutions/partial"
    field: str  # dotted path inside the file, e.g. "limits.default.memory"; "" for the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class PackageInvalid(Exception):
    """Raised by `load_package` when a package has errors; `errors` lists them all."""

    def __init__(self, root: str, errors: list[PackageError]) -> None:
        self.root = root
        self.errors = errors
        lines = "\n".join(f"  - {error}" for error in errors)
        super().__init__(f"exercise package {root} is invalid:\n{lines}")
