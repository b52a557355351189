"""Assessment plans: exercises chosen for a role profile within a time budget."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction

from vetta.assessments.errors import AssessmentError
from vetta.assessments.models import AssessmentPlan, BankExercise, PlanItem
from vetta.assessments.planning import Coverage, Offer, coverage, propose
from vetta.catalog.models import RoleProfile
from vetta.catalog.selectors import role_profile_levels
from vetta.governance.services import audit_record
from vetta.orgs.models import EDITOR_ROLES, Membership

MIN_BUDGET, MAX_BUDGET = 15, 8 * 60


def offer_of(exercise: BankExercise) -> Offer:
    return Offer(
        slug=exercise.slug,
        minutes=exercise.time_limit_minutes,
        skill_areas=exercise.skill_areas,
        role_contexts=exercise.role_contexts,
        method=exercise.method,
    )


def bank_offers() -> dict[str, BankExercise]:
    """The newest available version of each exercise, by slug."""
    latest: dict[str, BankExercise] = {}
    for exercise in BankExercise.objects.filter(available=True).order_by("slug", "id"):
        latest[exercise.slug] = exercise
    return latest


def _levels(profile: RoleProfile) -> dict[str, str]:
    return {area: level.value for area, level in role_profile_levels(profile=profile).items()}


def plan_propose(*, role_profile: RoleProfile, time_budget_minutes: int) -> list[BankExercise]:
    bank = bank_offers()
    picks = propose(
        _levels(role_profile),
        role_profile.role_context,
        time_budget_minutes,
        [offer_of(e) for e in bank.values()],
    )
    return [bank[o.slug] for o in picks]


def plan_coverage(*, plan: AssessmentPlan) -> Coverage:
    chosen = [offer_of(item.exercise) for item in plan.items.select_related("exercise")]
    return coverage(
        _levels(plan.role_profile),
        chosen,
        plan.time_budget_minutes,
        [offer_of(e) for e in bank_offers().values()],
    )


def _check(actor: Membership, role_profile: RoleProfile, budget: int, name: str) -> str:
    if actor.role not in EDITOR_ROLES:
        raise PermissionDenied("only owners and hiring managers manage assessment plans")
    if role_profile.organisation_id not in (None, actor.organisation_id):
        raise PermissionDenied("this role profile belongs to another organisation")
    if not MIN_BUDGET <= budget <= MAX_BUDGET:
        raise AssessmentError(
            f"the time budget must be between {MIN_BUDGET} and {MAX_BUDGET} minutes"
        )
    name = " ".join(name.split())
    if not name:
        raise AssessmentError("give the plan a name")
    return name[:120]


def _exercises(slugs: Sequence[str]) -> list[BankExercise]:
    bank = bank_offers()
    unknown = [s for s in slugs if s not in bank]
    if unknown:
        raise AssessmentError(f"not in the exercise bank: {', '.join(unknown)}")
    if len(set(slugs)) != len(slugs):
        raise AssessmentError("an exercise can be in a plan only once")
    return [bank[s] for s in slugs]


def _set_items(plan: AssessmentPlan, exercises: Sequence[BankExercise]) -> None:
    plan.items.all().delete()
    PlanItem.objects.bulk_create(
        PlanItem(plan=plan, exercise=e, position=n) for n, e in enumerate(exercises)
    )


@transaction.atomic
def plan_create(
    *,
    actor: Membership,
    role_profile: RoleProfile,
    name: str,
    time_budget_minutes: int,
    exercise_slugs: Sequence[str] | None = None,
) -> AssessmentPlan:
    """A plan for `role_profile`; without `exercise_slugs`, the planner proposes the exercises."""
    name = _check(actor, role_profile, time_budget_minutes, name)
    exercises = (
        _exercises(exercise_slugs)
        if exercise_slugs is not None
        else plan_propose(role_profile=role_profile, time_budget_minutes=time_budget_minutes)
    )
    plan = AssessmentPlan.objects.create(
        organisation=actor.organisation,
        role_profile=role_profile,
        name=name,
        time_budget_minutes=time_budget_minutes,
        created_by=actor,
    )
    _set_items(plan, exercises)
    audit_record(
        actor=actor.audit_id,
        action="plan.create",
        subject=plan.audit_id,
        payload={
            "profile": role_profile.audit_id,
            "budget_minutes": time_budget_minutes,
            "exercises": [f"{e.slug}@{e.version}" for e in exercises],
        },
    )
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: Membership,
    plan: AssessmentPlan,
    name: str | None = None,
    time_budget_minutes: int | None = None,
    exercise_slugs: Sequence[str] | None = None,
) -> AssessmentPlan:
    """Adjusts a plan. Attempts already claimed keep the exercises they started with."""
    if plan.organisation_id != actor.organisation_id:
        raise PermissionDenied("this plan belongs to another organisation")
    budget = plan.time_budget_minutes if time_budget_minutes is None else time_budget_minutes
    plan.name = _check(actor, plan.role_profile, budget, plan.name if name is None else name)
    plan.time_budget_minutes = budget
    plan.save(update_fields=["name", "time_budget_minutes", "updated_at"])
    if exercise_slugs is not None:
        _set_items(plan, _exercises(exercise_slugs))
    audit_record(
        actor=actor.audit_id,
        action="plan.update",
        subject=plan.audit_id,
        payload={
            "budget_minutes": budget,
            "exercises": [
                f"{i.exercise.slug}@{i.exercise.version}"
                for i in plan.items.select_related("exercise")
            ],
        },
    )
    return plan
