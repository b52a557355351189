"""The organisation dashboard and switching between organisations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vetta.catalog.selectors import catalog_version_loaded, role_profile_list_for_user
from vetta.governance.selectors import audit_event_list
from vetta.orgs.selectors import (
    membership_list_for_organisation,
    membership_list_for_user,
    organisation_get,
)
from vetta.web.views.common import SESSION_ORGANISATION, current_membership


def home(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard" if request.user.is_authenticated else "login")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    context: dict[str, object] = {
        "membership": membership,
        "memberships": membership_list_for_user(user=request.user),
        "catalog_version": catalog_version_loaded(),
    }
    if membership is not None:
        profiles = role_profile_list_for_user(
            user=request.user, organisation_id=membership.organisation_id
        )
        context["own_profiles"] = [p for p in profiles if not p.is_builtin]
        context["builtin_profiles"] = [p for p in profiles if p.is_builtin]
        context["members"] = membership_list_for_organisation(
            user=request.user, organisation_id=membership.organisation_id
        )
        if request.user.is_staff:
            context["recent_events"] = audit_event_list(limit=5)
    return render(request, "web/dashboard.html", context)


@login_required
@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        return redirect("dashboard")
    organisation = organisation_get(user=request.user, id=organisation_id)
    request.session[SESSION_ORGANISATION] = organisation.pk
    return redirect("dashboard")
