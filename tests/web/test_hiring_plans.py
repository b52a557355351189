"""Assessment plans as a hiring team uses them: create one from a role profile, read its coverage,
adjust it; interviewers read only; other organisations see nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.orgs.factories import builtin, make_member, make_organisation, owner_of
from vetta.assessments.models import AssessmentPlan
from vetta.assessments.services.bank import bank_sync
from vetta.assessments.services.plans import plan_create
from vetta.governance.models import AuditEvent
from vetta.orgs.models import Membership, MembershipRole

pytestmark = pytest.mark.django_db

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


@pytest.fixture(autouse=True)
def fast_hashing_and_real_bank(settings: Any) -> None:
    settings.VETTA_EXERCISES_DIR = EXERCISES
    bank_sync()


@pytest.fixture
def manager() -> Membership:
    builtin("classical_ml")
    return make_member(make_organisation("Acme"), MembershipRole.HIRING_MANAGER)


def client_for(member: Membership, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(member.user)
    return client


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def section(response: Any, element_id: str) -> str:
    """The text of the element with this id (up to its closing tag of the same name)."""
    html = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>', html)
    assert match is not None, f"no element #{element_id}"
    tag = match.group(1)
    end = html.index(f"</{tag}>", match.end())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[match.end() : end])).strip()


def matrix_rows(response: Any) -> dict[str, list[str]]:
    """The coverage matrix as {skill area key: [cells...]} with tags stripped."""
    html = response.content.decode()
    table = re.search(r'<table class="table matrix coverage-matrix">(.*?)</table>', html, re.S)
    assert table is not None, "no coverage matrix"
    rows: dict[str, list[str]] = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S):
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        key = re.search(r"<code[^>]*>([a-z_]+)</code>", row)
        rows[key.group(1) if key else "header"] = cells
    return rows


def create_plan(client: Client, budget: int = 240) -> AssessmentPlan:
    response = client.post(
        reverse("hiring_plan_new"),
        {
            "role_profile": builtin("classical_ml").pk,
            "name": "ML engineer, spring hiring",
            "time_budget_minutes": budget,
        },
    )
    assert response.status_code == 302, text(response)
    plan = AssessmentPlan.objects.get(name="ML engineer, spring hiring")
    assert response["Location"] == reverse("hiring_plan_detail", args=[plan.public_id])
    return plan


def adjust(client: Client, plan: AssessmentPlan, action: str, slug: str) -> Any:
    return client.post(
        reverse("hiring_plan_exercises", args=[plan.public_id]),
        {"action": action, "slug": slug},
        follow=True,
    )


def test_a_new_plan_shows_the_proposed_exercises_in_a_coverage_matrix(manager: Membership) -> None:
    client = client_for(manager)
    plan = create_plan(client)
    page = client.get(reverse("hiring_plan_detail", args=[plan.public_id]))
    rows = matrix_rows(page)
    assert rows["header"] == [
        "Skill area",
        "Level",
        "1. Event-log sessionizer",
        "2. Model-serving API to an OpenAPI spec",
        "3. Churn model training",
        "Covered?",
    ]
    none = "· not evidenced"
    assert rows["statistical_modeling"][1:] == ["Required", none, none, "0.35", "✓ covered"]
    assert rows["mlops_deployment"][1:] == ["Required", none, "0.80", none, "✓ covered"]
    assert rows["ai_security"][1] == "Preferred" and rows["ai_security"][-1] == "✗ not covered"
    assert "rag_vector_databases" not in rows  # not needed for this role: no row
    assert "210 minutes of the 240-minute budget" in section(page, "time-summary")
    body = text(page)
    assert "Coding task · 90 minutes · medium" in body
    assert "Scored by people later, against a rubric: <code>NOTES.md: features kept" in body


def test_a_required_area_no_exercise_evidences_is_sent_to_an_interview(manager: Membership) -> None:
    client = client_for(manager)
    plan = create_plan(client)
    page = client.get(reverse("hiring_plan_detail", args=[plan.public_id]))
    unreachable = section(page, "unreachable-required")
    assert "no exercise in the bank evidences it: cover it in an interview" in unreachable
    assert "governance" in unreachable
    assert 'id="missing-required"' not in page.content.decode()
    assert matrix_rows(page)["governance"][-1] == "✗ not covered"


def test_removing_an_exercise_shows_which_bank_exercise_would_cover_the_gap(
    manager: Membership,
) -> None:
    client = client_for(manager)
    plan = create_plan(client)
    page = adjust(client, plan, "remove", "model-serving-api")
    assert "model-serving-api removed" in text(page)
    missing = section(page, "missing-required")
    assert "the bank has an exercise for it, but this plan lacks it" in missing
    assert (
        "mlops_deployment" in missing
        and "add Model-serving API to an OpenAPI spec (75 min)" in missing
    )
    assert "governance" not in missing  # that one is unreachable, listed apart
    assert matrix_rows(page)["mlops_deployment"][-1] == "✗ not covered"
    page = adjust(client, plan, "add", "model-serving-api")
    assert 'id="missing-required"' not in page.content.decode()
    assert matrix_rows(page)["mlops_deployment"][-1] == "✓ covered"


def test_exercises_can_be_reordered_and_added_from_the_bank(manager: Membership) -> None:
    client = client_for(manager)
    plan = create_plan(client)
    adjust(client, plan, "up", "churn-model-training")
    page = adjust(client, plan, "add", "prompt-injection-guard")
    assert matrix_rows(page)["header"][2:6] == [
        "1. Event-log sessionizer",
        "2. Churn model training",
        "3. Model-serving API to an OpenAPI spec",
        "4. Prompt-injection guard for a RAG assistant",
    ]
    assert matrix_rows(page)["ai_security"][-1] == "✓ covered"
    assert [i.exercise.slug for i in plan.items.all()] == [
        "event-log-sessionizer",
        "churn-model-training",
        "model-serving-api",
        "prompt-injection-guard",
    ]
    assert AuditEvent.objects.filter(action="plan.update", subject=plan.audit_id).count() == 2


def test_a_budget_below_the_exercises_time_is_shown_as_over_budget(manager: Membership) -> None:
    client = client_for(manager)
    plan = create_plan(client)
    response = client.post(
        reverse("hiring_plan_settings", args=[plan.public_id]),
        {"plan-name": "ML engineer, short", "plan-time_budget_minutes": 120},
        follow=True,
    )
    summary = section(response, "time-summary")
    assert "Over budget by 90 minutes" in summary and "take 210 minutes" in summary
    assert "<h1>ML engineer, short</h1>" in text(response)


def test_a_budget_out_of_bounds_is_refused_with_the_reason(manager: Membership) -> None:
    client = client_for(manager)
    plan = create_plan(client)
    response = client.post(
        reverse("hiring_plan_settings", args=[plan.public_id]),
        {"plan-name": plan.name, "plan-time_budget_minutes": 5},
    )
    assert "the time budget must be between 15 and 480 minutes" in text(response)
    plan.refresh_from_db()
    assert plan.time_budget_minutes == 240


def test_a_tight_budget_still_covers_every_coverable_required_area(manager: Membership) -> None:
    client = client_for(manager)
    plan = create_plan(client, budget=60)
    page = client.get(reverse("hiring_plan_detail", args=[plan.public_id]))
    assert "Over budget by 150 minutes" in section(page, "time-summary")
    assert 'id="missing-required"' not in page.content.decode()


def test_the_plan_list_shows_the_organisation_s_plans_only(manager: Membership) -> None:
    client = client_for(manager)
    create_plan(client, budget=120)
    other = owner_of(make_organisation("Globex"))
    plan_create(
        actor=other,
        role_profile=builtin("research"),
        name="Globex research",
        time_budget_minutes=90,
    )
    page = text(client.get(reverse("hiring_plan_list")))
    assert "ML engineer, spring hiring" in page and "over budget" in page
    assert "Globex research" not in page


def test_interviewers_can_read_a_plan_but_not_change_it(manager: Membership) -> None:
    plan = create_plan(client_for(manager))
    interviewer = make_member(manager.organisation, MembershipRole.INTERVIEWER)
    client = client_for(interviewer)
    page = client.get(reverse("hiring_plan_detail", args=[plan.public_id]))
    assert page.status_code == 200
    assert "coverage-matrix" in page.content.decode()
    assert "Send the invitation" not in text(page) and "Remove" not in text(page)
    assert client.get(reverse("hiring_plan_new")).status_code == 403
    assert adjust(client, plan, "remove", "model-serving-api").status_code == 403
    response = client.post(
        reverse("hiring_plan_settings", args=[plan.public_id]),
        {"plan-name": "Hijacked", "plan-time_budget_minutes": 60},
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.name == "ML engineer, spring hiring" and plan.items.count() == 3


def test_another_organisation_s_plan_answers_not_found(manager: Membership) -> None:
    plan = create_plan(client_for(manager))
    stranger = client_for(owner_of(make_organisation("Globex")))
    assert stranger.get(reverse("hiring_plan_detail", args=[plan.public_id])).status_code == 404
    assert adjust(stranger, plan, "remove", "model-serving-api").status_code == 404
    assert plan.items.count() == 3


def test_changing_a_plan_without_the_page_s_csrf_token_is_refused(manager: Membership) -> None:
    plan = create_plan(client_for(manager))
    client = client_for(manager, enforce_csrf_checks=True)
    response = client.post(
        reverse("hiring_plan_exercises", args=[plan.public_id]),
        {"action": "remove", "slug": "model-serving-api"},
    )
    assert response.status_code == 403
    assert plan.items.count() == 3
    page = client.get(reverse("hiring_plan_detail", args=[plan.public_id]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = client.post(
        reverse("hiring_plan_exercises", args=[plan.public_id]),
        {"action": "remove", "slug": "model-serving-api", "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302 and plan.items.count() == 2
