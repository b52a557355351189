"""Loading the built-in catalog and an organisation's own role profiles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from vetta.catalog.domain import Level
from vetta.catalog.models import CatalogRelease, Requirement, RoleProfile, SkillArea
from vetta.catalog.schema import (
    CatalogFile,
    FieldErrors,
    RoleProfileSpec,
    SkillAreaSpec,
    catalog_file_read,
)
from vetta.governance.services import audit_record
from vetta.orgs.models import EDITOR_ROLES, Membership


class CatalogError(Exception):
    """A catalog change breaks a rule; the message says which."""


class RoleProfileValidationError(FieldErrors):
    """A role profile edit has bad fields (unknown skill area, bad level, ...)."""


@dataclass(frozen=True)
class CatalogLoadReport:
    version: int
    digest: str
    created: int
    updated: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def catalog_load(*, path: Path | None = None) -> CatalogLoadReport:
    """Loads the versioned catalog file; idempotent.

    Skill areas and built-in profiles are created or brought in line with the file; a second load
    of the same file changes nothing. Profiles organisations derived are never touched: they keep
    the levels they were derived with and the edits made since. A file whose content changed
    without a higher ``version``, or an older version than the one loaded, is refused.
    """
    catalog = catalog_file_read(path)
    with transaction.atomic():
        return _catalog_apply(catalog)


def _catalog_check_version(catalog: CatalogFile, latest: CatalogRelease | None) -> None:
    if latest is not None:
        if catalog.version < latest.version:
            raise CatalogError(
                f"catalog version {catalog.version} is older than the loaded version "
                f"{latest.version}"
            )
        if catalog.version == latest.version and catalog.digest() != latest.digest:
            raise CatalogError(
                f"the catalog's content changed but its version is still {catalog.version}; "
                "bump `version` in the catalog file"
            )
    keys = {area.key for area in catalog.skill_areas}
    dropped = sorted(set(SkillArea.objects.values_list("key", flat=True)) - keys)
    if dropped:
        raise CatalogError(
            f"skill areas {', '.join(dropped)} are missing from the catalog file; removing a "
            "skill area is not supported, role profiles refer to it"
        )


def _catalog_apply(catalog: CatalogFile) -> CatalogLoadReport:
    digest = catalog.digest()
    latest = CatalogRelease.objects.select_for_update().order_by("-version").first()
    _catalog_check_version(catalog, latest)
    created = updated = 0
    areas: dict[str, SkillArea] = {}
    for position, spec in enumerate(catalog.skill_areas):
        area, outcome = _skill_area_sync(spec, position)
        created, updated = created + (outcome == "created"), updated + (outcome == "updated")
        areas[spec.key] = area
    for profile_spec in catalog.role_profiles:
        outcome = _builtin_profile_sync(profile_spec, areas, catalog.version)
        created, updated = created + (outcome == "created"), updated + (outcome == "updated")

    new_version = latest is None or latest.version != catalog.version
    if new_version:
        CatalogRelease.objects.create(version=catalog.version, digest=digest)
    if created or updated or new_version:
        audit_record(
            actor="system",
            action="catalog.load",
            subject=f"catalog:{catalog.version}",
            payload={"digest": digest, "created": created, "updated": updated},
        )
    return CatalogLoadReport(
        version=catalog.version, digest=digest, created=created, updated=updated
    )


def _skill_area_sync(spec: SkillAreaSpec, position: int) -> tuple[SkillArea, str]:
    wanted = {
        "name": spec.name,
        "description": spec.description,
        "baseline": spec.baseline,
        "assessed_by": [method.value for method in spec.assessed_by],
        "position": position,
    }
    area, created = SkillArea.objects.get_or_create(key=spec.key, defaults=wanted)
    if created:
        return area, "created"
    if all(getattr(area, field) == value for field, value in wanted.items()):
        return area, "unchanged"
    for field, value in wanted.items():
        setattr(area, field, value)
    area.save()
    return area, "updated"


def _builtin_profile_sync(spec: RoleProfileSpec, areas: dict[str, SkillArea], version: int) -> str:
    wanted = {
        "name": spec.name,
        "description": spec.description,
        "role_context": spec.role_context.value,
    }
    profile, created = RoleProfile.objects.get_or_create(
        builtin_key=spec.key, defaults={**wanted, "catalog_version": version}
    )
    changed = any(getattr(profile, field) != value for field, value in wanted.items())
    existing = {r.skill_area_id: r for r in profile.requirements.all()}
    for skill, level in spec.requirements.items():
        requirement = existing.get(areas[skill].pk)
        if requirement is None:
            Requirement.objects.create(profile=profile, skill_area=areas[skill], level=level)
            changed = True
        elif requirement.level != level:
            requirement.level = level.value
            requirement.save(update_fields=["level"])
            changed = True
    if changed or profile.catalog_version != version:
        for field, value in wanted.items():
            setattr(profile, field, value)
        profile.catalog_version = version
        profile.save()
    if created:
        return "created"
    return "updated" if changed else "unchanged"


def _require_editor(actor: Membership, profile: RoleProfile | None = None) -> None:
    if actor.role not in EDITOR_ROLES:
        raise PermissionDenied("only owners and hiring managers may change role profiles")
    if profile is not None and profile.organisation_id != actor.organisation_id:
        raise PermissionDenied("this role profile belongs to another organisation")


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise RoleProfileValidationError("role profile", {"name": "a name is required"})
    if len(name) > 120:
        raise RoleProfileValidationError("role profile", {"name": "at most 120 characters"})
    return name


@transaction.atomic
def role_profile_derive(*, actor: Membership, source: RoleProfile, name: str) -> RoleProfile:
    """Copies ``source`` (built-in, or one of the actor's organisation's) into a new profile."""
    _require_editor(actor)
    if source.organisation_id not in (None, actor.organisation_id):
        raise PermissionDenied("this role profile belongs to another organisation")
    profile = RoleProfile.objects.create(
        name=_clean_name(name),
        description=source.description,
        role_context=source.role_context,
        organisation=actor.organisation,
        derived_from=source,
    )
    copied = {r.skill_area_id: r for r in source.requirements.all()}
    levels: dict[str, str | None] = {}
    for area in SkillArea.objects.all():
        original = copied.get(area.pk)
        level = original.level if original else Level.NOT_NEEDED.value
        Requirement.objects.create(
            profile=profile,
            skill_area=area,
            level=level,
            notes=original.notes if original else "",
        )
        levels[area.key] = level
    audit_record(
        actor=actor.audit_id,
        action="role_profile.derive",
        subject=profile.audit_id,
        payload={
            "organisation": actor.organisation.audit_id,
            "derived_from": source.audit_id,
            "levels": levels,
        },
    )
    return profile


def _validate_edit(
    areas: Mapping[str, SkillArea],
    name: str | None,
    levels: Mapping[str, str],
    notes: Mapping[str, str],
) -> str | None:
    """Every bad field at once, keyed like ``levels.rag_vector_databases``; the cleaned name."""
    errors: dict[str, str] = {}
    valid_levels = [level.value for level in Level]
    for skill, level in levels.items():
        if skill not in areas:
            errors[f"levels.{skill}"] = f"unknown skill area {skill!r}"
        elif level not in valid_levels:
            errors[f"levels.{skill}"] = (
                f"{level!r} is not a requirement level ({', '.join(valid_levels)})"
            )
    for skill, note in notes.items():
        if skill not in areas:
            errors[f"notes.{skill}"] = f"unknown skill area {skill!r}"
        elif len(note) > 500:
            errors[f"notes.{skill}"] = "at most 500 characters"
    if name is not None:
        try:
            name = _clean_name(name)
        except RoleProfileValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise RoleProfileValidationError("role profile", errors)
    return name


def _requirements_apply(
    profile: RoleProfile,
    areas: Mapping[str, SkillArea],
    levels: Mapping[str, str],
    notes: Mapping[str, str],
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Saves changed requirements; returns the level changes and the skills whose note changed."""
    current = {r.skill_area_id: r for r in profile.requirements.all()}
    changes: dict[str, dict[str, str]] = {}
    notes_changed: list[str] = []
    for key, area in areas.items():
        requirement = current.get(area.pk) or Requirement(
            profile=profile, skill_area=area, level=Level.NOT_NEEDED.value
        )
        new_level = levels.get(key, requirement.level)
        new_note = " ".join(notes.get(key, requirement.notes).split())
        if new_level != requirement.level:
            changes[key] = {"from": requirement.level, "to": new_level}
        if new_note != requirement.notes:
            notes_changed.append(key)
        if requirement.pk is None or key in changes or key in notes_changed:
            requirement.level, requirement.notes = new_level, new_note
            requirement.save()
    return changes, notes_changed


@transaction.atomic
def role_profile_update(
    *,
    actor: Membership,
    profile: RoleProfile,
    name: str | None = None,
    description: str | None = None,
    levels: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
) -> RoleProfile:
    """Changes an organisation's own profile; built-in profiles change only with the catalog.

    ``levels`` and ``notes`` are keyed by skill area; keys left out keep their value. Every bad
    field is reported at once as a ``RoleProfileValidationError``.
    """
    if profile.is_builtin:
        raise PermissionDenied("built-in role profiles are read-only; derive your own")
    _require_editor(actor, profile)
    areas = {area.key: area for area in SkillArea.objects.all()}
    name = _validate_edit(areas, name, levels or {}, notes or {})

    # Lock the profile so two editors saving at once apply one after the other, each audited
    # against the levels the other left.
    profile = RoleProfile.objects.select_for_update().get(pk=profile.pk)
    changes, notes_changed = _requirements_apply(profile, areas, levels or {}, notes or {})
    renamed = name is not None and name != profile.name
    described = description is not None and description.strip() != profile.description
    if name is not None:
        profile.name = name
    if description is not None:
        profile.description = description.strip()
    if not (changes or notes_changed or renamed or described):
        return profile
    profile.save(update_fields=["name", "description", "updated_at"])
    audit_record(
        actor=actor.audit_id,
        action="role_profile.update",
        subject=profile.audit_id,
        # Note texts stay out of the log: free text may hold personal data.
        payload={
            "levels": changes,
            "notes_changed": notes_changed,
            "renamed": renamed,
            "description_changed": described,
        },
    )
    return profile
