"""Django admin for operators. Membership changes go through the services, so they are audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from vetta.orgs.models import Membership, Organisation
from vetta.orgs.services import (
    OrgsError,
    membership_add,
    membership_remove,
    membership_role_change,
    organisation_create,
)


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    fields = ["user", "role", "public_id"]
    readonly_fields = ["user", "role", "public_id"]
    extra = 0
    can_delete = False

    # Members are added and removed on the Membership page, through the audited services.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug"]
    readonly_fields = ["slug"]
    inlines = [MembershipInline]

    def save_model(
        self, request: HttpRequest, obj: Organisation, form: ModelForm[Organisation], change: bool
    ) -> None:
        operator = request.user
        assert isinstance(operator, User)
        if change:
            obj.save(update_fields=["name"])
            return
        # The operator who creates an organisation is its first owner, so it is never ownerless;
        # they can add the real owner and step down afterwards.
        created = organisation_create(name=obj.name, owner=operator, actor=operator)
        obj.pk, obj.slug = created.pk, created.slug


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "organisation", "role", "public_id"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    readonly_fields = ["public_id"]

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> Any:
        if obj is not None:
            return ["public_id", "organisation", "user"]
        return ["public_id"]

    def save_model(
        self, request: HttpRequest, obj: Membership, form: ModelForm[Membership], change: bool
    ) -> None:
        operator = request.user
        assert isinstance(operator, User)
        try:
            if change:
                membership_role_change(actor=operator, membership=obj, role=obj.role)
            else:
                saved = membership_add(
                    actor=operator, organisation=obj.organisation, user=obj.user, role=obj.role
                )
                obj.pk = saved.pk
        except OrgsError as exc:
            self.message_user(request, str(exc), level=messages.ERROR)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        operator = request.user
        assert isinstance(operator, User)
        try:
            membership_remove(actor=operator, membership=obj)
        except OrgsError as exc:
            self.message_user(request, str(exc), level=messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset:
            self.delete_model(request, membership)
