"""Permission-checked reads of plans, invitations, attempts and results.

Hiring-team reads go through the user's memberships: another organisation's objects answer 404,
exactly like ones that do not exist. Candidate reads go through the attempts their browser
session claimed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from vetta.assessments.models import (
    AssessmentPlan,
    Attempt,
    AttemptItem,
    GradingRun,
    Invitation,
    RunKind,
    RunStatus,
    Submission,
)
from vetta.assessments.services.invitations import token_digest
from vetta.catalog.selectors import role_profile_levels
from vetta.grading.contract import GradingResult
from vetta.orgs.selectors import membership_list_for_user


def _organisations(user: Any) -> QuerySet[Any]:
    return membership_list_for_user(user=user).values("organisation_id")


def plan_list_for_user(
    *, user: Any, organisation_id: int | None = None
) -> QuerySet[AssessmentPlan]:
    plans = AssessmentPlan.objects.filter(organisation_id__in=_organisations(user))
    if organisation_id is not None:
        plans = plans.filter(organisation_id=organisation_id)
    return plans.select_related("role_profile", "organisation")


def plan_get(*, user: Any, public_id: Any) -> AssessmentPlan:
    plan = plan_list_for_user(user=user).filter(public_id=public_id).first()
    if plan is None:
        raise Http404("No such assessment plan")
    return plan


def invitation_list_for_plan(*, plan: AssessmentPlan) -> QuerySet[Invitation]:
    return plan.invitations.select_related("candidate").order_by("-created_at")


def invitation_get(*, user: Any, public_id: Any) -> Invitation:
    invitation = (
        Invitation.objects.filter(
            plan__organisation_id__in=_organisations(user), public_id=public_id
        )
        .select_related("plan", "candidate")
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation behind a link's secret token (whatever its state), or None."""
    return (
        Invitation.objects.select_related("plan__organisation", "candidate")
        .filter(token_digest=token_digest(token))
        .first()
    )


def attempt_list_for_user(
    *, user: Any, plan: AssessmentPlan | None = None, status: str | None = None
) -> QuerySet[Attempt]:
    attempts = Attempt.objects.filter(plan__organisation_id__in=_organisations(user))
    if plan is not None:
        attempts = attempts.filter(plan=plan)
    if status:
        attempts = attempts.filter(status=status)
    return attempts.select_related("candidate", "plan", "plan__role_profile")


def attempt_get(*, user: Any, public_id: Any) -> Attempt:
    attempt = attempt_list_for_user(user=user).filter(public_id=public_id).first()
    if attempt is None:
        raise Http404("No such attempt")
    return attempt


# Reads keyed by one organisation, for clients that act for an organisation rather than as a
# user (API tokens). Same rule: another organisation's objects answer 404.

INVITATION_STATUSES = ("pending", "used", "expired", "revoked")


def plan_list_for_organisation(*, organisation_id: int) -> QuerySet[AssessmentPlan]:
    return (
        AssessmentPlan.objects.filter(organisation_id=organisation_id)
        .select_related("role_profile")
        .prefetch_related("items__exercise")
        .order_by("-created_at", "-id")
    )


def plan_get_for_organisation(*, organisation_id: int, public_id: Any) -> AssessmentPlan:
    plans = plan_list_for_organisation(organisation_id=organisation_id)
    plan = plans.filter(public_id=public_id).first()
    if plan is None:
        raise Http404("No such assessment plan")
    return plan


def invitation_list_for_organisation(
    *, organisation_id: int, plan_public_id: Any = None, status: str | None = None
) -> QuerySet[Invitation]:
    """Newest first; `status` is one of INVITATION_STATUSES, as `Invitation.status` says it."""
    invitations = Invitation.objects.filter(plan__organisation_id=organisation_id)
    if plan_public_id is not None:
        invitations = invitations.filter(plan__public_id=plan_public_id)
    if status is not None:
        now = timezone.now()
        open_ = Q(revoked_at__isnull=True, used_at__isnull=True)
        invitations = invitations.filter(
            {
                "revoked": Q(revoked_at__isnull=False),
                "used": Q(revoked_at__isnull=True, used_at__isnull=False),
                "expired": open_ & Q(expires_at__lte=now),
                "pending": open_ & Q(expires_at__gt=now),
            }[status]
        )
    return invitations.select_related("plan", "candidate").order_by("-created_at", "-id")


def invitation_get_for_organisation(*, organisation_id: int, public_id: Any) -> Invitation:
    invitation = (
        invitation_list_for_organisation(organisation_id=organisation_id)
        .filter(public_id=public_id)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def attempt_list_for_organisation(
    *, organisation_id: int, plan_public_id: Any = None, status: str | None = None
) -> QuerySet[Attempt]:
    attempts = Attempt.objects.filter(plan__organisation_id=organisation_id)
    if plan_public_id is not None:
        attempts = attempts.filter(plan__public_id=plan_public_id)
    if status:
        attempts = attempts.filter(status=status)
    return attempts.select_related(
        "candidate", "invitation", "plan", "plan__role_profile"
    ).order_by("-claimed_at", "-id")


def attempt_get_for_organisation(*, organisation_id: int, public_id: Any) -> Attempt:
    attempt = (
        attempt_list_for_organisation(organisation_id=organisation_id)
        .filter(public_id=public_id)
        .first()
    )
    if attempt is None:
        raise Http404("No such attempt")
    return attempt


def attempt_for_candidate(*, claimed: Iterable[str], public_id: Any) -> Attempt:
    """The attempt if this browser claimed it; 404 for anyone else's."""
    if str(public_id) not in {str(c) for c in claimed}:
        raise Http404("No such assessment")
    attempt = (
        Attempt.objects.select_related("plan", "candidate").filter(public_id=public_id).first()
    )
    if attempt is None:
        raise Http404("No such assessment")
    return attempt


def attempt_item_get(*, attempt: Attempt, item_id: int) -> AttemptItem:
    item = attempt.items.select_related("exercise").filter(pk=item_id).first()
    if item is None:
        raise Http404("No such exercise in this assessment")
    return item


def grading_run_for_item(*, item: AttemptItem, run_id: Any) -> GradingRun:
    run = item.runs.filter(run_id=run_id).first()
    if run is None:
        raise Http404("No such run")
    return run


@dataclass
class ItemResult:
    item: AttemptItem
    submission: Submission | None
    run: GradingRun | None

    @property
    def status(self) -> str:
        """not_submitted, queued, grading, graded or failed: what people see live."""
        if self.submission is None:
            return "not_submitted"
        if self.run is None:
            return "queued"
        return {
            RunStatus.QUEUED: "queued",
            RunStatus.RUNNING: "grading",
            RunStatus.DONE: "graded",
            RunStatus.FAILED: "failed",
        }[RunStatus(self.run.status)]

    @property
    def result(self) -> GradingResult | None:
        if self.run is None or self.run.result is None:
            return None
        return GradingResult.model_validate(self.run.result)

    @property
    def score(self) -> float | None:
        return self.run.score if self.run is not None and self.status == "graded" else None


@dataclass
class SkillSummary:
    skill_area: str
    level: str
    score: float | None  # weighted by each exercise's weight for the area; None: no evidence yet
    evidence: list[tuple[str, float, float | None]] = field(default_factory=list)


@dataclass
class AttemptResults:
    attempt: Attempt
    items: list[ItemResult]
    skills: list[SkillSummary]

    @property
    def overall(self) -> float | None:
        scored = [(r.item.weight, r.score) for r in self.items if r.score is not None]
        total = sum(w for w, _ in scored)
        return sum(w * s for w, s in scored) / total if total else None


def item_result(*, item: AttemptItem) -> ItemResult:
    submission = item.submissions.order_by("-number").first()
    run = (
        submission.runs.filter(kind=RunKind.GRADE).order_by("-queued_at").first()
        if submission
        else None
    )
    return ItemResult(item=item, submission=submission, run=run)


def attempt_results(*, attempt: Attempt) -> AttemptResults:
    items = [item_result(item=i) for i in attempt.items.select_related("exercise")]
    levels = role_profile_levels(profile=attempt.plan.role_profile)
    skills = []
    for area, level in levels.items():
        if level.value == "not_needed":
            continue
        evidence = [
            (r.item.exercise.title, float(r.item.exercise.skill_areas[area]), r.score)
            for r in items
            if area in r.item.exercise.skill_areas
        ]
        scored = [(w, s) for _t, w, s in evidence if s is not None]
        weight = sum(w for w, _ in scored)
        skills.append(
            SkillSummary(
                skill_area=area,
                level=level.value,
                score=sum(w * s for w, s in scored) / weight if weight else None,
                evidence=evidence,
            )
        )
    return AttemptResults(attempt=attempt, items=items, skills=skills)


def public_tests_latest(*, item: AttemptItem) -> GradingRun | None:
    return item.runs.filter(kind=RunKind.PUBLIC_TESTS).order_by("-queued_at").first()


def submission_history(*, item: AttemptItem) -> list[Submission]:
    """Every submission of one exercise, newest first, each with its grading runs (oldest first)
    prefetched as `grade_runs`: what the hiring team reviews, failed gradings included."""
    runs = GradingRun.objects.filter(kind=RunKind.GRADE).order_by("queued_at")
    return list(
        item.submissions.order_by("-number").prefetch_related(
            Prefetch("runs", queryset=runs, to_attr="grade_runs")
        )
    )
