"""Candidate pages: the invitation link, the notice, the start page, the workspace, the results.

Each view parses the request, calls one service or selector, and renders; the JSON endpoints the
workspace's script calls are in `candidate_api.py`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from vetta.assessments.errors import AssessmentError, AttemptClosed, InvitationInvalid
from vetta.assessments.models import Attempt, AttemptItem, AttemptStatus, Invitation, RunStatus
from vetta.assessments.notice import notice_for
from vetta.assessments.selectors import (
    attempt_item_get,
    attempt_results,
    invitation_for_token,
    item_result,
    public_tests_latest,
)
from vetta.assessments.services.attempts import (
    attempt_finish,
    attempt_start,
    notice_acknowledge,
    submission_regrade,
)
from vetta.assessments.services.bank import bank_package
from vetta.assessments.services.invitations import invitation_claim, invitation_refusal
from vetta.catalog.selectors import skill_area_list
from vetta.web.views.candidate_common import (
    candidate_attempt,
    claimed_attempts,
    editable_files,
    item_feedback,
    keep_until_after_deadline,
    public_tests_view,
    read_only_files,
    remember_attempt,
    render_markdown,
)

# Where each state of an attempt is shown.
_PAGE_OF_STATUS = {
    AttemptStatus.NOTICE: "candidate_notice",
    AttemptStatus.READY: "candidate_start",
    AttemptStatus.IN_PROGRESS: "candidate_workspace",
    AttemptStatus.FINISHED: "candidate_results",
}


def _go(attempt: Attempt) -> HttpResponse:
    return redirect(_PAGE_OF_STATUS[AttemptStatus(attempt.status)], attempt.public_id)


def _refused(request: HttpRequest, message: str, invitation: Invitation | None) -> HttpResponse:
    # 404 for a link that never existed; 410 for one that did but is used, expired or withdrawn.
    return render(
        request,
        "candidate/invitation_refused.html",
        {
            "message": message,
            "organisation": invitation.plan.organisation if invitation is not None else None,
        },
        status=404 if invitation is None else 410,
    )


@require_http_methods(["GET", "POST"])
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """GET explains what happens and offers a button; POST claims the link. Claiming on GET
    would let a mail scanner or a link preview use up the candidate's single-use link."""
    invitation = invitation_for_token(token=token)
    attempt = getattr(invitation, "attempt", None) if invitation is not None else None
    if attempt is not None and str(attempt.public_id) in claimed_attempts(request):
        return _go(attempt)  # this browser claimed it: the link leads back to the assessment
    if request.method == "POST":
        try:
            attempt = invitation_claim(token=token)
        except InvitationInvalid as exc:
            return _refused(request, str(exc), invitation)
        remember_attempt(request, attempt)
        return _go(attempt)
    refusal = invitation_refusal(invitation)
    if refusal is not None or invitation is None:
        return _refused(request, refusal or "", invitation)
    plan = invitation.plan
    return render(
        request,
        "candidate/invitation.html",
        {
            "invitation": invitation,
            "organisation": plan.organisation,
            "plan": plan,
            "minutes": plan.total_minutes,
        },
    )


def attempt_home(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    return _go(candidate_attempt(request, attempt_id))


@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    attempt = candidate_attempt(request, attempt_id)
    if request.method == "POST":
        try:
            attempt = notice_acknowledge(
                attempt=attempt, notice_version=request.POST.get("notice_version", "")
            )
        except AssessmentError as exc:
            messages.error(request, str(exc))
            return redirect("candidate_notice", attempt.public_id)
        return _go(attempt)
    notice_ = notice_for(attempt)
    names = {area.key: area.name for area in skill_area_list()}
    return render(
        request,
        "candidate/notice.html",
        {
            "attempt": attempt,
            "notice": notice_,
            "exercises": [
                (exercise, [names.get(key, key) for key in exercise.skill_areas])
                for exercise in notice_.exercises
            ],
            "acknowledged": attempt.status != AttemptStatus.NOTICE,
        },
    )


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    attempt = candidate_attempt(request, attempt_id)
    if attempt.status == AttemptStatus.NOTICE:
        messages.info(request, "Please read the notice and acknowledge it before you start.")
        return _go(attempt)
    if request.method == "POST":
        attempt = attempt_start(attempt=attempt)
        keep_until_after_deadline(request, attempt)
        return _go(attempt)
    if attempt.status != AttemptStatus.READY:
        return _go(attempt)
    return render(
        request,
        "candidate/start.html",
        {"attempt": attempt, "notice": notice_for(attempt), "items": attempt.items.all()},
    )


@never_cache  # a page from the back/forward cache would offer stale revisions of the drafts
def workspace(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    attempt = candidate_attempt(request, attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        if attempt.status == AttemptStatus.NOTICE:
            messages.info(request, "Please read the notice and acknowledge it before you start.")
        return _go(attempt)
    exercises = [_exercise(item) for item in attempt.items.select_related("exercise")]
    config = {
        "attempt": str(attempt.public_id),
        "statusUrl": reverse("candidate_status", args=[attempt.public_id]),
        "resultsUrl": reverse("candidate_results", args=[attempt.public_id]),
        "secondsLeft": attempt.seconds_left(),
    }
    return render(
        request,
        "candidate/workspace.html",
        {
            "attempt": attempt,
            "exercises": exercises,
            "seconds_left": attempt.seconds_left(),
            "organisation": attempt.plan.organisation,
            "config": config,
        },
    )


def _exercise(item: AttemptItem) -> dict[str, Any]:
    """One exercise of the workspace: what the template shows and the data its script needs."""
    package = bank_package(item.exercise)
    files = package.spec.files
    patterns = files.editable
    latest_run = public_tests_latest(item=item)
    args = [item.attempt.public_id, item.pk]
    data = {
        "id": item.pk,
        "title": item.exercise.title,
        "urls": {
            "save": reverse("candidate_draft_save", args=args),
            "upload": reverse("candidate_upload", args=args),
            "publicTests": reverse("candidate_public_tests", args=args),
            "submit": reverse("candidate_submit", args=args),
        },
        "editable": [asdict(f) for f in editable_files(item)],
        "readOnly": [asdict(f) for f in read_only_files(package, item)],
        "running": (
            str(latest_run.run_id)
            if latest_run is not None and latest_run.status in {RunStatus.QUEUED, RunStatus.RUNNING}
            else None
        ),
    }
    return {
        "item": item,
        # Under the page's h1 and the exercise's h2.
        "statement_html": render_markdown(package.statement(), heading_offset=2),
        "patterns": patterns,
        "can_add_files": any(ch in p for p in patterns for ch in "*?["),
        "uploads": files.uploads,
        "has_public_tests": bool(package.public_test_files()),
        "public_tests": public_tests_view(item, latest_run),
        "feedback": item_feedback(item_result(item=item)),
        "data": data,
        "data_id": f"exercise-data-{item.pk}",
    }


@never_cache
def results(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    attempt = candidate_attempt(request, attempt_id)
    if attempt.status in {AttemptStatus.NOTICE, AttemptStatus.READY}:
        return _go(attempt)
    outcome = attempt_results(attempt=attempt)
    return render(
        request,
        "candidate/results.html",
        {
            "attempt": attempt,
            "feedback": [item_feedback(r) for r in outcome.items],
            "organisation": attempt.plan.organisation,
        },
    )


@require_POST
def finish(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    attempt = candidate_attempt(request, attempt_id)
    try:
        attempt = attempt_finish(attempt=attempt)
    except AttemptClosed as exc:
        messages.info(request, str(exc))  # the deadline finished it first: show the results
        return redirect("candidate_results", attempt.public_id)
    except AssessmentError as exc:
        messages.error(request, str(exc))
        return _go(attempt)
    messages.success(request, "You have finished. Your work is being graded.")
    return redirect("candidate_results", attempt.public_id)


@require_POST
def regrade(request: HttpRequest, attempt_id: UUID, item_id: int) -> HttpResponse:
    attempt = candidate_attempt(request, attempt_id)
    item = attempt_item_get(attempt=attempt, item_id=item_id)
    latest = item_result(item=item).submission
    back = (
        "candidate_workspace"
        if attempt.status == AttemptStatus.IN_PROGRESS
        else "candidate_results"
    )
    if latest is None:
        messages.error(request, "There is no submission of this exercise to grade again.")
        return redirect(back, attempt.public_id)
    try:
        submission_regrade(submission=latest)
    except AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{item.exercise.title}: submission {latest.number} is queued for grading."
        )
    return redirect(back, attempt.public_id)
