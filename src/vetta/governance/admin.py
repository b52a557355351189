"""Operators can read the audit trail in the admin; nobody can add, change or delete events."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vetta.governance.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["index", "created_at", "actor", "action", "subject"]
    list_filter = ["action"]
    search_fields = ["actor", "subject", "action"]
    ordering = ["-index"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
