"""Skill areas, role profiles (built-in or an organisation's own) and their requirements."""

from __future__ import annotations

from django.db import models

from vetta.catalog.domain import ROLE_CONTEXT_LABELS, Level, RoleContext
from vetta.orgs.models import Organisation

LEVEL_CHOICES = [
    (Level.REQUIRED.value, "Required"),
    (Level.PREFERRED.value, "Preferred"),
    (Level.NOT_NEEDED.value, "Not needed"),
]
ROLE_CONTEXT_CHOICES = [(context.value, ROLE_CONTEXT_LABELS[context]) for context in RoleContext]


class SkillArea(models.Model):
    """A row of the skill matrix; loaded from the versioned catalog file, never edited in-app."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField()
    baseline = models.BooleanField(
        default=False, help_text="Baseline for every role: requiring it never blends contexts."
    )
    assessed_by = models.JSONField(default=list, help_text="Assessment methods that evidence it.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.key


class RoleProfile(models.Model):
    """A role context plus a requirement level per skill area.

    Built-in profiles have no organisation and a ``builtin_key``; they change only when a new
    catalog version is loaded. An organisation's profiles are derived from another profile and
    edited through ``role_profile_update``, which records every change in the audit trail.
    """

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    role_context = models.CharField(max_length=20, choices=ROLE_CONTEXT_CHOICES)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_profiles",
    )
    builtin_key = models.SlugField(max_length=40, null=True, blank=True, unique=True)
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derivatives"
    )
    catalog_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organisation__isnull=True, builtin_key__isnull=False)
                    | models.Q(organisation__isnull=False, builtin_key__isnull=True)
                ),
                name="role_profile_builtin_xor_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(role_context__in=[context.value for context in RoleContext]),
                name="role_profile_context_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None

    @property
    def audit_id(self) -> str:
        return f"profile:{self.pk}"

    @property
    def role_context_label(self) -> str:
        return ROLE_CONTEXT_LABELS[RoleContext(self.role_context)]


class Requirement(models.Model):
    profile = models.ForeignKey(RoleProfile, on_delete=models.CASCADE, related_name="requirements")
    skill_area = models.ForeignKey(SkillArea, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=12, choices=LEVEL_CHOICES)
    notes = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["skill_area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "skill_area"], name="one_requirement_per_skill_area"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=[level.value for level in Level]),
                name="requirement_level_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill_area_id}: {self.level}"


class CatalogRelease(models.Model):
    """Which catalog versions this installation has loaded, and when."""

    version = models.PositiveIntegerField(unique=True)
    digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"catalog v{self.version}"
