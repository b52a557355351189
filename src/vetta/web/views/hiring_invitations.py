"""Invitations from the plan page: one candidate, a CSV file of them, resend, revoke.

A new link is shown once, on the response to the request that made it, and never stored: only its
digest is in the database, so neither the session nor a redirect may carry it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from vetta.assessments.errors import AssessmentError
from vetta.assessments.models import Invitation
from vetta.assessments.selectors import invitation_get, plan_get
from vetta.assessments.services.invitations import (
    IssuedInvitation,
    invitation_bulk_create,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from vetta.web.views.hiring_common import member_of, require_editor
from vetta.web.views.hiring_forms import BulkInviteForm, InviteForm
from vetta.web.views.hiring_plans import plan_page


def _issued_page(request: HttpRequest, issued: IssuedInvitation, *, resent: bool) -> HttpResponse:
    # Re-read: the e-mail went out (or failed) after the service's transaction committed.
    invitation = Invitation.objects.select_related("candidate", "plan").get(pk=issued.invitation.pk)
    response = render(
        request,
        "hiring/invitation_issued.html",
        {"invitation": invitation, "url": issued.url, "resent": resent},
    )
    response["Referrer-Policy"] = "no-referrer"  # the page holds a live link
    return response


@never_cache
@login_required
@require_POST
def invite(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = plan_get(user=request.user, public_id=plan_id)
    membership = member_of(request, plan.organisation_id)
    require_editor(membership)
    form = InviteForm(request.POST, prefix="invite")
    if form.is_valid():
        try:
            issued = invitation_create(
                actor=membership,
                plan=plan,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            return _issued_page(request, issued, resent=False)
    return plan_page(request, plan, invite_form=form)


@never_cache
@login_required
@require_POST
def invite_bulk(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = plan_get(user=request.user, public_id=plan_id)
    membership = member_of(request, plan.organisation_id)
    require_editor(membership)
    form = BulkInviteForm(request.POST, request.FILES, prefix="bulk")
    if form.is_valid():
        try:
            report = invitation_bulk_create(
                actor=membership,
                plan=plan,
                csv_text=form.cleaned_data["file"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            counts = {s: report.count(s) for s in ("invited", "skipped", "error")}
            # Each e-mail went out (or failed) after its invitation committed: re-read which.
            invited = [r.invitation.pk for r in report.rows if r.invitation is not None]
            unsent = set(
                Invitation.objects.filter(pk__in=invited, email_sent_at__isnull=True).values_list(
                    "pk", flat=True
                )
            )
            return render(
                request,
                "hiring/invitation_bulk_report.html",
                {"plan": plan, "report": report, "counts": counts, "unsent": unsent},
            )
    return plan_page(request, plan, bulk_form=form)


@never_cache
@login_required
@require_POST
def resend(request: HttpRequest, invitation_id: str) -> HttpResponse:
    invitation = invitation_get(user=request.user, public_id=invitation_id)
    membership = member_of(request, invitation.plan.organisation_id)
    require_editor(membership)
    issued = invitation_resend(actor=membership, invitation=invitation)
    return _issued_page(request, issued, resent=True)


@login_required
@require_POST
def revoke(request: HttpRequest, invitation_id: str) -> HttpResponse:
    invitation = invitation_get(user=request.user, public_id=invitation_id)
    membership = member_of(request, invitation.plan.organisation_id)
    require_editor(membership)
    invitation_revoke(actor=membership, invitation=invitation)
    messages.success(
        request, f"The invitation of {invitation.candidate.email} was revoked; its link is dead."
    )
    return redirect(
        reverse("hiring_plan_detail", args=[invitation.plan.public_id]) + "#invitations"
    )
