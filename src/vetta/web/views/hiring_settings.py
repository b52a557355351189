"""The organisation's settings that candidates read in their notice (owners only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from vetta.orgs.models import MembershipRole
from vetta.orgs.services import OrgsError, organisation_settings_update
from vetta.web.views.common import require_membership
from vetta.web.views.hiring_forms import OrganisationSettingsForm


@login_required
def organisation_settings(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    if membership.role != MembershipRole.OWNER:
        raise PermissionDenied("only owners change the organisation's settings")
    organisation = membership.organisation
    form = OrganisationSettingsForm(
        request.POST or None,
        initial={
            "contact_email": organisation.contact_email,
            "retention_days": organisation.retention_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation_settings_update(
                actor=membership,
                organisation=organisation,
                contact_email=form.cleaned_data["contact_email"],
                retention_days=form.cleaned_data["retention_days"],
            )
        except OrgsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Settings saved; new candidate notices show them.")
            return redirect("hiring_organisation_settings")
    return render(
        request,
        "hiring/organisation_settings.html",
        {"form": form, "organisation": organisation, "membership": membership},
    )
