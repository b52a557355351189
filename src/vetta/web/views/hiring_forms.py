"""Forms of the hiring-team pages. They parse input; the services hold the rules (budget bounds,
e-mail checks, extra-time bounds), so a limit lives in one place and forms only echo it to the
browser as input attributes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet

from vetta.assessments.services.attempts import MAX_TIME_MULTIPLIER, MIN_TIME_MULTIPLIER
from vetta.assessments.services.invitations import MAX_DAYS
from vetta.assessments.services.plans import MAX_BUDGET, MIN_BUDGET
from vetta.catalog.models import RoleProfile
from vetta.orgs.services import MAX_RETENTION_DAYS, MIN_RETENTION_DAYS

MAX_CSV_BYTES = 1024 * 1024  # 1 MiB is ~20,000 rows of `email,name`; the service caps rows too


class ProfileChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        owner = "built-in" if obj.is_builtin else obj.organisation.name
        return f"{obj.name} ({owner})"


def _budget_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Time budget (minutes)",
        help_text=f"Between {MIN_BUDGET} and {MAX_BUDGET} minutes of candidate time.",
        widget=forms.NumberInput(attrs={"min": MIN_BUDGET, "max": MAX_BUDGET, "step": 5}),
    )


class PlanCreateForm(forms.Form):
    role_profile = ProfileChoice(queryset=RoleProfile.objects.none(), label="Role profile")
    name = forms.CharField(label="Name of the plan", max_length=120)
    time_budget_minutes = _budget_field()

    def __init__(self, *args: Any, profiles: QuerySet[RoleProfile], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role_profile"]
        assert isinstance(field, ProfileChoice)
        field.queryset = profiles
        self.fields["time_budget_minutes"].initial = 180


class PlanSettingsForm(forms.Form):
    name = forms.CharField(label="Name of the plan", max_length=120)
    time_budget_minutes = _budget_field()


class InviteForm(forms.Form):
    email = forms.EmailField(label="Candidate's e-mail address")
    name = forms.CharField(label="Candidate's name (optional)", max_length=120, required=False)
    expires_in_days = forms.IntegerField(
        label="Link valid for (days)",
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_DAYS}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_in_days"].initial = settings.VETTA_INVITATION_DAYS


class BulkInviteForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A header row with an email column and, optionally, a name column.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    expires_in_days = forms.IntegerField(
        label="Links valid for (days)",
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_DAYS}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_in_days"].initial = settings.VETTA_INVITATION_DAYS

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_CSV_BYTES // 1024} KiB.")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text; save it as “CSV UTF-8” and upload it again."
            ) from None


class AccommodationForm(forms.Form):
    time_multiplier = forms.FloatField(
        label="Time multiplier",
        help_text=(
            f"1 is the planned time, 1.5 gives 50% more; between {MIN_TIME_MULTIPLIER:g} and "
            f"{MAX_TIME_MULTIPLIER:g}."
        ),
        widget=forms.NumberInput(
            attrs={"min": MIN_TIME_MULTIPLIER, "max": MAX_TIME_MULTIPLIER, "step": 0.05}
        ),
    )


class OrganisationSettingsForm(forms.Form):
    contact_email = forms.EmailField(
        label="Contact e-mail for candidates",
        help_text=(
            "Shown in the notice every candidate reads before starting: where to ask for an "
            "alternative process or an accommodation."
        ),
    )
    retention_days = forms.IntegerField(
        label="Keep candidates' data for (days)",
        help_text=(
            f"After an attempt ends; between {MIN_RETENTION_DAYS} and {MAX_RETENTION_DAYS} days. "
            "Shown in the candidate notice. The audit log is kept separately."
        ),
        widget=forms.NumberInput(attrs={"min": MIN_RETENTION_DAYS, "max": MAX_RETENTION_DAYS}),
    )
