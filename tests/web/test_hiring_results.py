"""Results as the hiring team reads them: every test (hidden ones with their messages), sandbox
verdicts, time used, submissions, the per-skill summary; extra time before the start; the
organisation's notice settings."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.assessments.conftest import FIXTURE_BANK, World
from tests.orgs.factories import builtin, make_member, make_organisation, owner_of
from vetta.assessments.models import Attempt, AttemptStatus, GradingRun, RunStatus
from vetta.assessments.notice import notice_for
from vetta.assessments.services.attempts import (
    attempt_finish,
    attempt_start,
    draft_save,
    notice_acknowledge,
    submission_create,
)
from vetta.assessments.services.bank import bank_sync
from vetta.assessments.services.grading import grading_run_execute
from vetta.assessments.services.plans import plan_create
from vetta.governance.models import AuditEvent
from vetta.orgs.models import Membership, MembershipRole
from vetta.web.views.hiring_common import VERDICT_TEXT

pytestmark = pytest.mark.django_db

PARTIAL = (FIXTURE_BANK / "tiny-adder/solutions/partial/adder.py").read_text()


@pytest.fixture
def world(settings: Any) -> World:
    """A plan of the fast tiny-adder exercise, made by Acme's hiring manager."""
    settings.VETTA_EXERCISES_DIR = FIXTURE_BANK
    bank_sync()
    manager = make_member(make_organisation("Acme"), MembershipRole.HIRING_MANAGER)
    plan = plan_create(
        actor=manager,
        role_profile=builtin("classical_ml"),
        name="Data engineer",
        time_budget_minutes=60,
        exercise_slugs=["tiny-adder"],
    )
    return World(manager=manager, plan=plan)


def client_for(member: Membership, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(member.user)
    return client


def plain(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def started(world: World, email: str = "ada@example.org") -> Attempt:
    attempt = world.claimed_attempt(email)
    notice_acknowledge(attempt=attempt, notice_version=notice_for(attempt).version)
    return attempt_start(attempt=attempt)


def submitted(world: World, source: str = PARTIAL) -> tuple[Attempt, GradingRun]:
    attempt = started(world)
    item = attempt.items.get()
    draft_save(item=item, path="adder.py", content=source, base_revision=None)
    run = submission_create(item=item).runs.get()
    attempt_finish(attempt=attempt)
    return attempt, run


def page_of(client: Client, attempt: Attempt) -> Any:
    return client.get(reverse("hiring_attempt_detail", args=[attempt.public_id]))


@pytest.mark.sandbox
def test_the_hiring_team_sees_every_test_with_hidden_messages_and_the_sandbox_verdict(
    world: World,
) -> None:
    attempt, run = submitted(world)
    assert grading_run_execute(run_id=str(run.run_id)) is True
    response = page_of(client_for(world.manager), attempt)
    assert response.status_code == 200
    body = plain(response)
    table = response.content.decode().split('class="table tests"', 1)[1].split("</table>", 1)[0]
    tests = {
        name.strip(): rest
        for name, rest in re.findall(r'<tr>\s*<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S)
    }
    assert set(tests) == {
        "public: 1 + 2",
        "negative numbers",
        "floats",
        "mean of a list",
        "mean of nothing",
        "big sum quickly",
    }
    assert "hidden" in tests["mean of nothing"] and "ZeroDivisionError" in tests["mean of nothing"]
    # The spinning test hits the CPU limit, or the wall-clock one first on a busy machine.
    assert "not finished: the run " in tests["big sum quickly"]
    assert "public" in tests["public: 1 + 2"] and "passed" in tests["public: 1 + 2"]
    run.refresh_from_db()
    assert run.verdict in {"cpu_time", "wall_time"}
    assert f"{run.verdict} : {VERDICT_TEXT[run.verdict]}" in body
    assert "2 sandboxed runs" in body
    assert "Submissions" in body and f"Graded {run.verdict} 57%" in body
    assert "Time used" in body and "of 10 min 00 s" in body
    assert re.search(r"Overall score 57%", body)
    assert "These scores are evidence for a person's decision" in body
    assert "rejects no one automatically" in body


@pytest.mark.sandbox
def test_the_skill_summary_shows_a_bar_per_skill_area_of_the_role(world: World) -> None:
    attempt, run = submitted(world)
    grading_run_execute(run_id=str(run.run_id))
    response = page_of(client_for(world.manager), attempt)
    summary = response.content.decode().split('id="skills"', 1)[1].split("</table>", 1)[0]
    python_row = summary.split("python_ml_frameworks", 1)[1].split("</tr>", 1)[0]
    assert 'style="width: 57%"' in python_row and ">57%<" in python_row
    assert "Tiny adder (test fixture) (weight 1.00: 57%)" in python_row
    governance = plain(response).split("governance", 1)[1]
    assert governance.startswith(
        " Required no exercise of this plan evidences it: assess it in an interview"
    )


def test_grading_status_is_shown_and_polled_while_queued(world: World) -> None:
    attempt, _ = submitted(world)
    client = client_for(world.manager)
    response = page_of(client, attempt)
    assert 'data-status-url="' in response.content.decode()
    assert "1 queued" in plain(response)
    status = client.get(reverse("hiring_attempt_status", args=[attempt.public_id]))
    assert json.loads(status.content) == {
        "attempt_status": "finished",
        "grading": "1 queued",
        "settled": False,
        "items": [{"id": attempt.items.get().pk, "status": "queued"}],
    }


def test_a_grading_failure_is_shown_as_the_platform_s_fault(world: World) -> None:
    attempt, run = submitted(world)
    GradingRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, verdict="grader_error", failure="the sandbox failed: no cgroup"
    )
    body = plain(page_of(client_for(world.manager), attempt))
    assert "Grading failed on the platform's side: the sandbox failed: no cgroup" in body
    assert "1 grading failed" in body


def test_the_results_list_shows_each_attempt_with_its_score_and_status(world: World) -> None:
    attempt, run = submitted(world)
    GradingRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, score=0.75, verdict="wrong")
    world.claimed_attempt("bob@example.org")
    response = client_for(world.manager).get(reverse("hiring_attempt_list"))
    rows = re.findall(r"<tr>(.*?)</tr>", response.content.decode().split("<tbody>", 1)[1], re.S)
    cells = [html.unescape(re.sub(r"<[^>]+>|\s+", " ", row)).split() for row in rows]
    ada = next(c for c in cells if "ada@example.org" in c)
    bob = next(c for c in cells if "bob@example.org" in c)
    assert "Finished" in ada and "75%" in ada and "graded" in ada
    assert "not yet" in " ".join(bob) and "not submitted" in " ".join(bob)
    assert reverse("hiring_attempt_detail", args=[attempt.public_id]) in response.content.decode()
    finished = client_for(world.manager).get(reverse("hiring_attempt_list"), {"status": "finished"})
    assert "ada@example.org" in plain(finished) and "bob@example.org" not in plain(finished)


def test_the_results_list_filters_by_plan(world: World) -> None:
    world.claimed_attempt("ada@example.org")
    other = plan_create(
        actor=world.manager,
        role_profile=builtin("classical_ml"),
        name="Second plan",
        time_budget_minutes=60,
        exercise_slugs=["tiny-adder"],
    )
    World(manager=world.manager, plan=other).claimed_attempt("bob@example.org")
    client = client_for(world.manager)
    both = plain(client.get(reverse("hiring_attempt_list")))
    assert "ada@example.org" in both and "bob@example.org" in both
    second = plain(client.get(reverse("hiring_attempt_list"), {"plan": str(other.public_id)}))
    assert "Results of Second plan" in second
    assert "bob@example.org" in second and "ada@example.org" not in second


def test_extra_time_can_be_set_before_the_start_and_lengthens_the_clock(world: World) -> None:
    attempt = world.claimed_attempt()
    client = client_for(world.manager)
    response = client.post(
        reverse("hiring_attempt_accommodation", args=[attempt.public_id]),
        {"time_multiplier": "1.5"},
        follow=True,
    )
    assert "Extra time saved" in plain(response)
    assert "1.50 times the planned time" in plain(response)
    notice = notice_for(Attempt.objects.get(pk=attempt.pk))
    assert notice.total_minutes == 15  # 10 planned minutes, half as much again
    notice_acknowledge(attempt=attempt, notice_version=notice.version)
    attempt = attempt_start(attempt=attempt)
    assert attempt.deadline_at is not None and attempt.started_at is not None
    assert (attempt.deadline_at - attempt.started_at).total_seconds() == 15 * 60
    assert AuditEvent.objects.filter(action="attempt.accommodate").count() == 1


@pytest.mark.parametrize("value", ["0.9", "3.5", "nan"])
def test_extra_time_outside_the_bounds_is_refused(world: World, value: str) -> None:
    attempt = world.claimed_attempt()
    response = client_for(world.manager).post(
        reverse("hiring_attempt_accommodation", args=[attempt.public_id]),
        {"time_multiplier": value},
    )
    assert response.status_code == 200
    body = plain(response)
    assert "between 1 (no extra time) and 3 (triple time)" in body or "Enter a number." in body
    assert Attempt.objects.get(pk=attempt.pk).time_multiplier == 1.0


def test_extra_time_is_refused_once_the_candidate_has_started(world: World) -> None:
    attempt = started(world)
    client = client_for(world.manager)
    assert 'id="accommodation"' not in page_of(client, attempt).content.decode()
    response = client.post(
        reverse("hiring_attempt_accommodation", args=[attempt.public_id]), {"time_multiplier": "2"}
    )
    assert "The candidate has already started" in plain(response)
    assert Attempt.objects.get(pk=attempt.pk).time_multiplier == 1.0


def test_interviewers_read_results_but_cannot_grant_extra_time(world: World) -> None:
    attempt = world.claimed_attempt()
    client = client_for(make_member(world.manager.organisation, MembershipRole.INTERVIEWER))
    page = page_of(client, attempt)
    assert page.status_code == 200 and 'id="accommodation"' not in page.content.decode()
    response = client.post(
        reverse("hiring_attempt_accommodation", args=[attempt.public_id]), {"time_multiplier": "2"}
    )
    assert response.status_code == 403
    assert Attempt.objects.get(pk=attempt.pk).time_multiplier == 1.0


def test_another_organisation_s_attempt_answers_not_found(world: World) -> None:
    attempt, _ = submitted(world)
    stranger = client_for(owner_of(make_organisation("Globex")))
    assert page_of(stranger, attempt).status_code == 404
    assert (
        stranger.get(reverse("hiring_attempt_status", args=[attempt.public_id])).status_code == 404
    )
    assert (
        stranger.post(
            reverse("hiring_attempt_accommodation", args=[attempt.public_id]),
            {"time_multiplier": "2"},
        ).status_code
        == 404
    )
    assert "ada@example.org" not in plain(stranger.get(reverse("hiring_attempt_list")))
    assert (
        stranger.get(
            reverse("hiring_attempt_list"), {"plan": str(world.plan.public_id)}
        ).status_code
        == 404
    )
    assert stranger.get(reverse("hiring_attempt_list"), {"plan": "not-a-uuid"}).status_code == 404


def test_granting_extra_time_without_the_page_s_csrf_token_is_refused(world: World) -> None:
    attempt = world.claimed_attempt()
    client = client_for(world.manager, enforce_csrf_checks=True)
    response = client.post(
        reverse("hiring_attempt_accommodation", args=[attempt.public_id]), {"time_multiplier": "2"}
    )
    assert response.status_code == 403
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.NOTICE
    assert Attempt.objects.get(pk=attempt.pk).time_multiplier == 1.0


def test_owners_set_the_contact_and_retention_shown_in_the_notice(world: World) -> None:
    owner = owner_of(world.manager.organisation)
    client = client_for(owner)
    response = client.post(
        reverse("hiring_organisation_settings"),
        {"contact_email": "people@acme.example", "retention_days": 180},
        follow=True,
    )
    assert "Settings saved" in plain(response)
    notice = notice_for(world.claimed_attempt())
    assert (notice.contact_email, notice.retention_days) == ("people@acme.example", 180)
    event = AuditEvent.objects.get(action="organisation.settings_update")
    assert event.payload == {"changed": ["contact_email", "retention_days"], "retention_days": 180}


def test_organisation_settings_out_of_bounds_are_refused(world: World) -> None:
    client = client_for(owner_of(world.manager.organisation))
    response = client.post(
        reverse("hiring_organisation_settings"),
        {"contact_email": "people@acme.example", "retention_days": 5},
    )
    assert "keep candidates' data between 30 and 3650 days" in plain(response)
    world.manager.organisation.refresh_from_db()
    assert world.manager.organisation.retention_days == 365


def test_only_owners_open_the_organisation_settings(world: World) -> None:
    client = client_for(world.manager)
    assert client.get(reverse("hiring_organisation_settings")).status_code == 403
    response = client.post(
        reverse("hiring_organisation_settings"),
        {"contact_email": "x@acme.example", "retention_days": 100},
    )
    assert response.status_code == 403
