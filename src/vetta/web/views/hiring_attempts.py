"""Results for the hiring team: the attempts of their organisation, each attempt's evidence in
full (hidden tests included), its grading status live, and extra time as an accommodation."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from vetta.assessments.errors import AssessmentError
from vetta.assessments.models import Attempt, AttemptStatus
from vetta.assessments.selectors import (
    attempt_get,
    attempt_list_for_user,
    attempt_results,
    plan_get,
    plan_list_for_user,
    submission_history,
)
from vetta.assessments.services.attempts import attempt_accommodate
from vetta.catalog.selectors import skill_area_list
from vetta.web.views.common import require_membership
from vetta.web.views.hiring_common import (
    STATUS_LABELS,
    allowed_time,
    can_edit,
    duration_text,
    grading_status,
    is_settled,
    member_of,
    require_editor,
    time_used,
    verdict_text,
)
from vetta.web.views.hiring_forms import AccommodationForm

PAGE_SIZE = 25


@login_required
def attempt_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    plan = None
    if request.GET.get("plan"):
        try:
            plan_id = uuid.UUID(request.GET["plan"])
        except ValueError:
            raise Http404("No such assessment plan") from None
        plan = plan_get(user=request.user, public_id=plan_id)
    status = request.GET.get("status", "")
    if status not in AttemptStatus.values:
        status = ""
    attempts = attempt_list_for_user(user=request.user, plan=plan, status=status or None).filter(
        plan__organisation_id=membership.organisation_id
    )
    page = Paginator(attempts, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for attempt in page:
        results = attempt_results(attempt=attempt)
        rows.append(
            {
                "attempt": attempt,
                "overall": results.overall,
                "time_used": duration_text(time_used(attempt)),
                "grading": grading_status(results.items),
            }
        )
    return render(
        request,
        "hiring/attempt_list.html",
        {
            "membership": membership,
            "rows": rows,
            "page": page,
            "plan": plan,
            "plans": plan_list_for_user(
                user=request.user, organisation_id=membership.organisation_id
            ),
            "status": status,
            "statuses": AttemptStatus.choices,
        },
    )


def _attempt_page(request: HttpRequest, attempt: Attempt, **extra: Any) -> HttpResponse:
    membership = member_of(request, attempt.plan.organisation_id)
    results = attempt_results(attempt=attempt)
    names = {area.key: area.name for area in skill_area_list()}
    context: dict[str, Any] = {
        "attempt": attempt,
        "results": results,
        "overall": results.overall,
        "items": [
            {
                "result": r,
                "status_label": STATUS_LABELS[r.status].capitalize(),
                "graded": r.result,
                "verdict_text": verdict_text(r.run.verdict) if r.run else "",
                "history": submission_history(item=r.item),
            }
            for r in results.items
        ],
        "skills": [
            {"summary": s, "name": names.get(s.skill_area, s.skill_area)} for s in results.skills
        ],
        "time_used": duration_text(time_used(attempt)),
        "allowed_time": duration_text(allowed_time(attempt)),
        "grading": grading_status(results.items),
        "settled": is_settled(results.items),
        "can_edit": can_edit(membership),
        "can_accommodate": attempt.status in (AttemptStatus.NOTICE, AttemptStatus.READY),
        "accommodation_form": AccommodationForm(
            initial={"time_multiplier": attempt.time_multiplier}
        ),
    }
    context.update(extra)
    # Shown while extra time can be set, and after a refused try so that its reason is visible.
    context["show_accommodation"] = context["can_edit"] and (
        context["can_accommodate"] or context["accommodation_form"].errors
    )
    return render(request, "hiring/attempt_detail.html", context)


@login_required
def attempt_detail(request: HttpRequest, attempt_id: str) -> HttpResponse:
    return _attempt_page(request, attempt_get(user=request.user, public_id=attempt_id))


@never_cache
@login_required
def attempt_status(request: HttpRequest, attempt_id: str) -> JsonResponse:
    """What the attempt page polls while gradings are queued or running."""
    attempt = attempt_get(user=request.user, public_id=attempt_id)
    results = attempt_results(attempt=attempt)
    return JsonResponse(
        {
            "attempt_status": attempt.status,
            "grading": grading_status(results.items),
            "settled": is_settled(results.items),
            "items": [{"id": r.item.pk, "status": r.status} for r in results.items],
        }
    )


@login_required
@require_POST
def attempt_accommodation(request: HttpRequest, attempt_id: str) -> HttpResponse:
    attempt = attempt_get(user=request.user, public_id=attempt_id)
    membership = member_of(request, attempt.plan.organisation_id)
    require_editor(membership)
    form = AccommodationForm(request.POST)
    if form.is_valid():
        try:
            attempt_accommodate(
                actor=membership,
                attempt=attempt,
                time_multiplier=form.cleaned_data["time_multiplier"],
            )
        except AssessmentError as exc:
            form.add_error("time_multiplier", str(exc))
        else:
            messages.success(request, "Extra time saved; the candidate's clock will include it.")
            return redirect("hiring_attempt_detail", attempt_id=attempt.public_id)
    attempt.refresh_from_db()
    return _attempt_page(request, attempt, accommodation_form=form)
