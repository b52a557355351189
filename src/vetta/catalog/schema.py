"""The catalog file's schema (``data/catalog.yaml``), validated with pydantic.

Pure Python. ``catalog_file_parse`` either returns a fully cross-checked ``CatalogFile`` or raises
``CatalogFileError`` whose ``errors`` map each bad field (``role_profiles[0].requirements.x``) to
what is wrong with it, so an author can fix every problem in one pass.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from vetta.catalog.domain import AssessmentMethod, Level, RoleContext

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class FieldErrors(Exception):
    """Field-level problems: ``errors`` maps a field path to its message."""

    def __init__(self, source: str, errors: dict[str, str]) -> None:
        self.source = source
        self.errors = errors
        lines = "\n".join(f"  {field}: {message}" for field, message in errors.items())
        super().__init__(f"{source} is invalid:\n{lines}")


class CatalogFileError(FieldErrors):
    """The catalog file is malformed."""


class SkillAreaSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    description: Text
    baseline: bool = False
    assessed_by: list[AssessmentMethod] = Field(min_length=1)


class RoleProfileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Key
    role_context: RoleContext
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    description: Text
    requirements: dict[str, Level]


class CatalogFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    skill_areas: list[SkillAreaSpec] = Field(min_length=1)
    role_profiles: list[RoleProfileSpec] = Field(min_length=1)

    def digest(self) -> str:
        """SHA-256 of the content (not the file's bytes: comments and layout do not count)."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def default_catalog_path() -> Path:
    return Path(str(resources.files("vetta.catalog") / "data" / "catalog.yaml"))


def _loc(parts: tuple[int | str, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def _cross_check(catalog: CatalogFile) -> dict[str, str]:
    errors: dict[str, str] = {}
    known: list[str] = []
    for position, area in enumerate(catalog.skill_areas):
        if area.key in known:
            errors[f"skill_areas[{position}].key"] = f"duplicate skill area {area.key!r}"
        known.append(area.key)
    seen_keys: set[str] = set()
    seen_contexts: set[RoleContext] = set()
    for position, profile in enumerate(catalog.role_profiles):
        where = f"role_profiles[{position}]"
        if profile.key in seen_keys:
            errors[f"{where}.key"] = f"duplicate role profile {profile.key!r}"
        seen_keys.add(profile.key)
        if profile.role_context in seen_contexts:
            errors[f"{where}.role_context"] = (
                f"{profile.role_context.value!r} already has a built-in profile"
            )
        seen_contexts.add(profile.role_context)
        for skill in profile.requirements:
            if skill not in known:
                errors[f"{where}.requirements.{skill}"] = (
                    f"unknown skill area {skill!r}; known: {', '.join(known)}"
                )
        missing = [skill for skill in known if skill not in profile.requirements]
        if missing:
            errors[f"{where}.requirements"] = f"no level given for {', '.join(missing)}"
    absent = [context.value for context in RoleContext if context not in seen_contexts]
    if absent:
        errors["role_profiles"] = f"no built-in profile for role context {', '.join(absent)}"
    return errors


def catalog_file_parse(text: str, *, source: str = "catalog file") -> CatalogFile:
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise CatalogFileError(source, {where: f"not valid YAML: {exc}"}) from None
    if not isinstance(data, dict):
        raise CatalogFileError(source, {"(file)": "expected a mapping with version, skill_areas"})
    try:
        catalog = CatalogFile.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            field = _loc(tuple(error["loc"]))
            message = error["msg"]
            errors[field] = f"{errors[field]}; {message}" if field in errors else message
        raise CatalogFileError(source, errors) from None
    problems = _cross_check(catalog)
    if problems:
        raise CatalogFileError(source, problems)
    return catalog


def catalog_file_read(path: Path | None = None) -> CatalogFile:
    path = path or default_catalog_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogFileError(str(path), {"(file)": f"cannot be read: {exc.strerror}"}) from None
    return catalog_file_parse(text, source=str(path))
