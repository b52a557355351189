"""Assessment plans: coverage of the role's required skills within a time budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.assessments.conftest import World
from tests.orgs.factories import builtin, make_member, make_organisation
from vetta.assessments.errors import AssessmentError
from vetta.assessments.planning import Offer, coverage, propose
from vetta.assessments.selectors import plan_get
from vetta.assessments.services.plans import plan_coverage, plan_create, plan_update
from vetta.orgs.models import MembershipRole

pytestmark = pytest.mark.django_db

BANK = [
    Offer("a", 30, {"x": 1.0}, ["classical_ml"], "coding_task"),
    Offer("b", 60, {"x": 0.5, "y": 0.5}, ["classical_ml"], "coding_task"),
    Offer("c", 20, {"z": 1.0}, ["llm_genai"], "security_scenario"),
    Offer("d", 40, {"y": 1.0}, ["classical_ml"], "coding_task"),
]


def test_every_coverable_required_area_is_covered_even_over_budget() -> None:
    picks = propose({"x": "required", "y": "required", "z": "preferred"}, "classical_ml", 50, BANK)
    chosen = {o.slug for o in picks}
    assert {"x", "y"} <= {a for o in picks for a in o.skill_areas}
    assert "c" not in chosen  # preferred, and the budget is already spent
    report = coverage({"x": "required", "y": "required", "z": "preferred"}, picks, 50, BANK)
    assert report.uncovered_required == ()
    assert report.over_budget_minutes == report.total_minutes - 50 > 0
    assert report.uncovered_preferred == ("z",)


def test_preferred_areas_are_added_while_time_allows() -> None:
    picks = propose({"x": "required", "z": "preferred"}, "classical_ml", 60, BANK)
    assert [o.slug for o in picks] == ["a", "c"]


def test_a_required_area_no_exercise_evidences_is_reported_as_unreachable() -> None:
    report = coverage({"q": "required", "x": "required"}, [BANK[0]], 60, BANK)
    assert report.unreachable_required == ("q",)
    assert report.uncovered_required == ("q",)


def test_the_same_inputs_give_the_same_plan() -> None:
    levels = {"x": "required", "y": "preferred", "z": "preferred"}
    assert propose(levels, "classical_ml", 90, BANK) == propose(
        levels, "classical_ml", 90, BANK[::-1]
    )


def test_a_proposed_plan_for_the_llm_profile_covers_what_the_bank_can(
    world: World, settings: Any, real_bank: None
) -> None:
    plan = plan_create(
        actor=world.manager,
        role_profile=builtin("llm_genai"),
        name="LLM engineer",
        time_budget_minutes=180,
    )
    report = plan_coverage(plan=plan)
    reachable_required = {r.skill_area for r in report.rows if r.level == "required"} - set(
        report.unreachable_required
    )
    assert reachable_required and not (reachable_required & set(report.uncovered_required))
    slugs = {i.exercise.slug for i in plan.items.all()}
    assert "prompt-injection-guard" in slugs or "ai_security" in report.unreachable_required


def test_a_plan_can_be_adjusted_by_its_hiring_manager(world: World, real_bank: None) -> None:
    plan_update(
        actor=world.manager,
        plan=world.plan,
        exercise_slugs=["churn-model-training"],
        time_budget_minutes=120,
    )
    world.plan.refresh_from_db()
    assert [i.exercise.slug for i in world.plan.items.all()] == ["churn-model-training"]
    assert world.plan.time_budget_minutes == 120


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"exercise_slugs": ["no-such-exercise"]}, "not in the exercise bank"),
        ({"time_budget_minutes": 5}, "between"),
        ({"name": "   "}, "name"),
    ],
)
def test_bad_plan_changes_are_refused_with_a_reason(
    world: World, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(AssessmentError, match=message):
        plan_update(actor=world.manager, plan=world.plan, **change)


def test_interviewers_cannot_change_plans(world: World) -> None:
    interviewer = make_member(world.manager.organisation, MembershipRole.INTERVIEWER)
    with pytest.raises(PermissionDenied):
        plan_update(actor=interviewer, plan=world.plan, name="Mine now")


def test_another_organisations_plan_answers_404(world: World) -> None:
    stranger = make_member(make_organisation("Other"), MembershipRole.OWNER)
    with pytest.raises(Http404):
        plan_get(user=stranger.user, public_id=world.plan.public_id)
    assert plan_get(user=world.manager.user, public_id=world.plan.public_id) == world.plan
