"""Operators can read the catalog in the admin. Changes go through the catalog file (built-ins) or
the app (organisation profiles), where they are validated and audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vetta.catalog.models import CatalogRelease, Requirement, RoleProfile, SkillArea


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RequirementInline(admin.TabularInline[Requirement, RoleProfile]):
    model = Requirement
    fields = ["skill_area", "level", "notes"]
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SkillArea)
class SkillAreaAdmin(ReadOnlyAdmin):
    list_display = ["key", "name", "baseline", "position"]


@admin.register(RoleProfile)
class RoleProfileAdmin(ReadOnlyAdmin):
    list_display = ["name", "role_context", "organisation", "builtin_key", "derived_from"]
    list_filter = ["role_context", "organisation"]
    search_fields = ["name"]
    inlines = [RequirementInline]


@admin.register(CatalogRelease)
class CatalogReleaseAdmin(ReadOnlyAdmin):
    list_display = ["version", "digest", "loaded_at"]
