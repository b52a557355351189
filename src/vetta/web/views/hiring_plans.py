"""Assessment plans: the list, creation from a role profile and a time budget (the planner
proposes the exercises), and the plan page with its coverage matrix, adjustments and invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from vetta.assessments.errors import AssessmentError
from vetta.assessments.models import AssessmentPlan
from vetta.assessments.selectors import (
    attempt_list_for_user,
    invitation_list_for_plan,
    plan_get,
    plan_list_for_user,
)
from vetta.assessments.services.plans import (
    bank_offers,
    plan_coverage,
    plan_create,
    plan_update,
)
from vetta.catalog.selectors import (
    role_profile_blend_check,
    role_profile_list_for_user,
    skill_area_list,
)
from vetta.web.views.common import require_membership
from vetta.web.views.hiring_common import (
    can_edit,
    member_of,
    plan_overview,
    reordered,
    require_editor,
)
from vetta.web.views.hiring_forms import (
    BulkInviteForm,
    InviteForm,
    PlanCreateForm,
    PlanSettingsForm,
)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    plans = plan_list_for_user(user=request.user, organisation_id=membership.organisation_id)
    return render(
        request,
        "hiring/plan_list.html",
        {
            "membership": membership,
            "plans": plans.prefetch_related("items__exercise"),
            "can_edit": can_edit(membership),
        },
    )


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    require_editor(membership)
    profiles = role_profile_list_for_user(
        user=request.user, organisation_id=membership.organisation_id
    )
    initial: dict[str, Any] = {}
    chosen = request.GET.get("profile", "")
    if chosen.isdigit():
        initial["role_profile"] = int(chosen)
    form = PlanCreateForm(request.POST or None, initial=initial, profiles=profiles)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_create(
                actor=membership,
                role_profile=form.cleaned_data["role_profile"],
                name=form.cleaned_data["name"],
                time_budget_minutes=form.cleaned_data["time_budget_minutes"],
            )
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The planner proposed the exercises below; adjust as needed.")
            return redirect("hiring_plan_detail", plan_id=plan.public_id)
    return render(request, "hiring/plan_new.html", {"form": form, "membership": membership})


def plan_page(request: HttpRequest, plan: AssessmentPlan, **forms: Form) -> HttpResponse:
    """The plan page; `forms` replaces a blank form with a bound one whose errors are shown."""
    membership = member_of(request, plan.organisation_id)
    items = list(plan.items.select_related("exercise"))
    overview = plan_overview(
        plan=plan,
        exercises=[item.exercise for item in items],
        coverage=plan_coverage(plan=plan),
        bank=bank_offers().values(),
        skill_areas=skill_area_list(),
    )
    context: dict[str, Any] = {
        "plan": plan,
        "membership": membership,
        "can_edit": can_edit(membership),
        "overview": overview,
        "blend": role_profile_blend_check(profile=plan.role_profile),
        "invitations": invitation_list_for_plan(plan=plan).select_related("attempt"),
        "attempt_count": attempt_list_for_user(user=request.user, plan=plan).count(),
        "settings_form": PlanSettingsForm(
            prefix="plan",
            initial={"name": plan.name, "time_budget_minutes": plan.time_budget_minutes},
        ),
        "invite_form": InviteForm(prefix="invite"),
        "bulk_form": BulkInviteForm(prefix="bulk"),
    }
    context.update(forms)
    return render(request, "hiring/plan_detail.html", context)


@login_required
def plan_detail(request: HttpRequest, plan_id: str) -> HttpResponse:
    return plan_page(request, plan_get(user=request.user, public_id=plan_id))


@login_required
@require_POST
def plan_settings(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = plan_get(user=request.user, public_id=plan_id)
    membership = member_of(request, plan.organisation_id)
    require_editor(membership)
    form = PlanSettingsForm(request.POST, prefix="plan")
    if form.is_valid():
        try:
            plan_update(
                actor=membership,
                plan=plan,
                name=form.cleaned_data["name"],
                time_budget_minutes=form.cleaned_data["time_budget_minutes"],
            )
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Name and time budget saved.")
            return redirect(reverse("hiring_plan_detail", args=[plan.public_id]) + "#coverage")
    plan.refresh_from_db()
    return plan_page(request, plan, settings_form=form)


@login_required
@require_POST
def plan_exercises(request: HttpRequest, plan_id: str) -> HttpResponse:
    """One adjustment of the plan's exercises: add one from the bank, remove one, move one."""
    plan = plan_get(user=request.user, public_id=plan_id)
    membership = member_of(request, plan.organisation_id)
    require_editor(membership)
    action = request.POST.get("action", "")
    slug = request.POST.get("slug", "")
    if action not in {"add", "remove", "up", "down"} or not slug:
        messages.error(request, "Choose an exercise and what to do with it.")
        return redirect("hiring_plan_detail", plan_id=plan.public_id)
    current = [item.exercise.slug for item in plan.items.select_related("exercise")]
    try:
        plan_update(
            actor=membership,
            plan=plan,
            exercise_slugs=reordered(current, action=action, slug=slug),
        )
    except AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        done = {"add": "added", "remove": "removed", "up": "moved up", "down": "moved down"}
        messages.success(request, f"{slug} {done[action]}; the coverage below is up to date.")
    return redirect(reverse("hiring_plan_detail", args=[plan.public_id]) + "#coverage")
