"""Reads of the catalog, with per-organisation isolation.

A user sees the built-in profiles and their own organisations' profiles; another organisation's
profile answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from vetta.catalog.blend import BlendReport, ContextLevels, blend_detect
from vetta.catalog.domain import ROLE_CONTEXT_LABELS, AssessmentMethod, Level, RoleContext
from vetta.catalog.job_description import JobDescription, SkillLine
from vetta.catalog.models import CatalogRelease, Requirement, RoleProfile, SkillArea
from vetta.orgs.selectors import membership_list_for_user


def skill_area_list() -> QuerySet[SkillArea]:
    return SkillArea.objects.order_by("position")


def catalog_version_loaded() -> int | None:
    release = CatalogRelease.objects.order_by("-version").first()
    return release.version if release else None


def _visible_to(user: Any) -> Q:
    organisations = membership_list_for_user(user=user).values("organisation_id")
    return Q(organisation__isnull=True) | Q(organisation_id__in=organisations)


def role_profile_list_for_user(
    *, user: Any, organisation_id: int | None = None
) -> QuerySet[RoleProfile]:
    """Built-in profiles first, then the user's organisations' (or just ``organisation_id``'s)."""
    profiles = RoleProfile.objects.filter(_visible_to(user))
    if organisation_id is not None:
        profiles = profiles.filter(
            Q(organisation__isnull=True) | Q(organisation_id=organisation_id)
        )
    return profiles.select_related("organisation", "derived_from").order_by(
        "-builtin_key", "organisation__name", "name"
    )


def role_profile_get(*, user: Any, id: int) -> RoleProfile:
    profile = (
        RoleProfile.objects.filter(_visible_to(user), id=id)
        .select_related("organisation", "derived_from")
        .first()
    )
    if profile is None:
        raise Http404("No such role profile")
    return profile


@dataclass(frozen=True)
class MatrixRow:
    skill_area: SkillArea
    level: Level
    notes: str
    context_levels: tuple[tuple[str, Level], ...]  # the built-in contexts' levels, for comparison


def _builtin_levels() -> dict[str, dict[str, Level]]:
    contexts: dict[str, dict[str, Level]] = {}
    for profile in RoleProfile.objects.filter(organisation__isnull=True).prefetch_related(
        "requirements__skill_area"
    ):
        contexts[profile.role_context] = {
            r.skill_area.key: Level(r.level) for r in profile.requirements.all()
        }
    return contexts


def role_profile_levels(*, profile: RoleProfile) -> dict[str, Level]:
    """The profile's level for every skill area; one it has no row for is ``not_needed``."""
    own = {r.skill_area_id: Level(r.level) for r in profile.requirements.all()}
    return {area.key: own.get(area.pk, Level.NOT_NEEDED) for area in skill_area_list()}


def role_profile_matrix(*, profile: RoleProfile) -> list[MatrixRow]:
    own = {r.skill_area_id: r for r in profile.requirements.all()}
    contexts = _builtin_levels()
    rows = []
    for area in skill_area_list():
        requirement = own.get(area.pk)
        rows.append(
            MatrixRow(
                skill_area=area,
                level=Level(requirement.level) if requirement else Level.NOT_NEEDED,
                notes=requirement.notes if requirement else "",
                context_levels=tuple(
                    (context.value, contexts.get(context, {}).get(area.key, Level.NOT_NEEDED))
                    for context in RoleContext
                ),
            )
        )
    return rows


def _contexts() -> list[ContextLevels]:
    contexts = _builtin_levels()
    return [
        ContextLevels(context.value, ROLE_CONTEXT_LABELS[context], contexts[context])
        for context in RoleContext
        if context in contexts
    ]


def _baseline() -> frozenset[str]:
    return frozenset(skill_area_list().filter(baseline=True).values_list("key", flat=True))


def role_profile_blend_check(*, profile: RoleProfile) -> BlendReport:
    """The blend report of ``profile`` against the loaded built-in contexts."""
    return blend_detect(
        levels=role_profile_levels(profile=profile),
        contexts=_contexts(),
        baseline=_baseline(),
        own_context=profile.role_context,
    )


def role_profile_blended_ids(*, profiles: list[RoleProfile]) -> set[int]:
    """The ids of the blended profiles among ``profiles``, for lists (a few queries in all)."""
    contexts, baseline = _contexts(), _baseline()
    keys = {area.pk: area.key for area in skill_area_list()}
    levels: dict[int, dict[str, Level]] = {
        p.pk: dict.fromkeys(keys.values(), Level.NOT_NEEDED) for p in profiles
    }
    for requirement in Requirement.objects.filter(profile__in=profiles):
        levels[requirement.profile_id][keys[requirement.skill_area_id]] = Level(requirement.level)
    return {
        profile.pk
        for profile in profiles
        if blend_detect(levels=levels[profile.pk], contexts=contexts, baseline=baseline).blended
    }


def role_profile_job_description(*, profile: RoleProfile) -> JobDescription:
    own = {r.skill_area_id: r for r in profile.requirements.all()}
    lines = []
    for area in skill_area_list():
        requirement = own.get(area.pk)
        if requirement is None:
            continue
        lines.append(
            SkillLine(
                key=area.key,
                name=area.name,
                description=area.description,
                level=Level(requirement.level),
                methods=tuple(AssessmentMethod(m) for m in area.assessed_by),
                notes=requirement.notes,
            )
        )
    return JobDescription(
        title=profile.name,
        role_context_label=profile.role_context_label,
        summary=profile.description,
        skills=tuple(lines),
    )
