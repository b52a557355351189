"""Forms: they parse and validate input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from vetta.catalog.domain import Level
from vetta.catalog.models import LEVEL_CHOICES, SkillArea
from vetta.orgs.auth import client_address
from vetta.orgs.services import login_throttle_status


class LoginForm(AuthenticationForm):
    """Django's login form, with the throttle's message when too many attempts were made."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        status = login_throttle_status(account=username, client_address=address)
        if status.locked:
            raise ValidationError(status.message, code="throttled")
        try:
            return super().clean()
        except ValidationError:
            status = login_throttle_status(account=username, client_address=address)
            if status.locked:
                raise ValidationError(status.message, code="throttled") from None
            raise


class DeriveForm(forms.Form):
    name = forms.CharField(label="Name of your role profile", max_length=120)


def level_field_name(skill_key: str) -> str:
    return f"level_{skill_key}"


def notes_field_name(skill_key: str) -> str:
    return f"notes_{skill_key}"


class RoleProfileForm(forms.Form):
    """Name, description, and one level select plus an optional note per skill area."""

    name = forms.CharField(label="Name", max_length=120)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, skill_areas: list[SkillArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skill_areas = skill_areas
        for area in skill_areas:
            self.fields[level_field_name(area.key)] = forms.ChoiceField(
                label=area.name, choices=LEVEL_CHOICES, initial=Level.NOT_NEEDED.value
            )
            self.fields[notes_field_name(area.key)] = forms.CharField(
                label=f"Note on {area.name}", required=False, max_length=500
            )

    def rows(self) -> list[tuple[SkillArea, forms.BoundField, forms.BoundField]]:
        return [
            (area, self[level_field_name(area.key)], self[notes_field_name(area.key)])
            for area in self.skill_areas
        ]

    def levels(self) -> dict[str, str]:
        return {a.key: self.cleaned_data[level_field_name(a.key)] for a in self.skill_areas}

    def notes(self) -> dict[str, str]:
        return {a.key: self.cleaned_data[notes_field_name(a.key)] for a in self.skill_areas}

    def add_service_errors(self, errors: dict[str, str]) -> None:
        """Shows a service's field-level errors (``levels.x``) next to the matching fields."""
        for field, message in errors.items():
            kind, _, skill = field.partition(".")
            name = {"levels": level_field_name, "notes": notes_field_name}.get(kind)
            target = name(skill) if name else field
            self.add_error(target if target in self.fields else None, message)
