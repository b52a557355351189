"""Each endpoint's answers, as an applicant-tracking system that holds a token would see them."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import World, graded_attempt, started_as
from tests.conftest import Inbox
from vetta.assessments.models import Invitation
from vetta.assessments.services.invitations import invitation_claim, invitation_revoke
from vetta.governance.models import AuditEvent
from vetta.integrations.models import ApiToken

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, data: Any) -> Any:
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(path, body, content_type="application/json")


def invite(api: Client, world: World, email: str = "ada@example.org", **extra: Any) -> Any:
    data = {"plan_id": str(world.plan.public_id), "email": email, "send_email": False, **extra}
    return post(api, "/api/v1/invitations", data)


# Plans -------------------------------------------------------------------------------------


def test_plans_are_listed_with_their_exercises(world: World, api: Client) -> None:
    page = api.get("/api/v1/plans").json()
    assert page["count"] == 1 and page["limit"] == 50 and page["offset"] == 0
    plan = page["items"][0]
    assert plan["id"] == str(world.plan.public_id)
    assert plan["name"] == "Data engineer"
    assert plan["role_profile"]["role_context"] == "classical_ml"
    assert plan["time_budget_minutes"] == 60
    assert [i["exercise"]["slug"] for i in plan["items"]] == ["tiny-adder"]
    assert plan["total_minutes"] == plan["items"][0]["exercise"]["time_limit_minutes"]


def test_an_unknown_plan_is_a_json_404(world: World, api: Client) -> None:
    response = api.get("/api/v1/plans/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "No such assessment plan"}


# Invitations -------------------------------------------------------------------------------


def test_an_invitation_is_created_and_its_link_shown_once(world: World, api: Client) -> None:
    response = invite(api, world, name="Ada Lovelace", expires_in_days=3)
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "pending"
    assert created["candidate"]["email"] == "ada@example.org"
    assert created["candidate"]["name"] == "Ada Lovelace"
    expires = timezone.datetime.fromisoformat(created["expires_at"])
    assert timedelta(days=2, hours=23) < expires - timezone.now() <= timedelta(days=3)
    token = created["url"].rsplit("/", 1)[-1]
    assert created["url"].startswith("http") and "/invite/" in created["url"]
    # The link works, once, and no later answer repeats it.
    attempt = invitation_claim(token=token)
    again = api.get(f"/api/v1/invitations/{created['id']}").json()
    assert "url" not in again and again["status"] == "used"
    assert again["attempt_id"] == str(attempt.public_id)


def test_the_token_is_the_actor_of_the_audit_event(world: World, api: Client) -> None:
    created = invite(api, world).json()
    event = AuditEvent.objects.get(action="invitation.create")
    token = ApiToken.objects.get()
    assert event.actor == f"api_token:{token.public_id}"
    assert event.subject == f"invitation:{created['id']}"
    assert Invitation.objects.get(public_id=created["id"]).created_by is None


def test_the_invitation_is_e_mailed_unless_asked_not_to(
    world: World, api: Client, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        url = invite(api, world, send_email=True).json()["url"]
        invite(api, world, email="bob@example.org", send_email=False)
    assert [m["X-Rcpt-To"] for m in smtp.messages] == ["ada@example.org"]
    assert url in smtp.messages[0].get_payload()


def test_a_second_pending_invitation_is_a_409(world: World, api: Client) -> None:
    assert invite(api, world).status_code == 201
    response = invite(api, world, email="ADA@example.org")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "already has a pending invitation" in response.json()["detail"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "ada@example.org\u0000"}, "email"),
        ({"name": "Ada\u0000"}, "name"),
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 91}, "expires_in_days"),
        ({"plan_id": "not-a-uuid"}, "plan_id"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_an_invalid_invitation_is_a_422_naming_the_field(
    world: World, api: Client, data: dict[str, Any], field: str
) -> None:
    body = {"plan_id": str(world.plan.public_id), "email": "ada@example.org", **data}
    response = post(api, "/api/v1/invitations", body)
    assert response.status_code == 422
    answer = response.json()
    assert answer["code"] == "invalid_request"
    assert any(field in e["loc"] for e in answer["errors"]), answer


def test_a_missing_field_or_a_broken_body_is_refused_with_json(world: World, api: Client) -> None:
    missing = post(api, "/api/v1/invitations", {"plan_id": str(world.plan.public_id)})
    assert missing.status_code == 422 and missing.json()["code"] == "invalid_request"
    broken = post(api, "/api/v1/invitations", "{not json")
    assert broken.status_code in {400, 422}
    assert broken.json()["code"] in {"bad_request", "invalid_request"}


def test_a_body_over_the_size_cap_is_a_413(world: World, api: Client) -> None:
    huge = {"plan_id": str(world.plan.public_id), "email": "a@example.org", "name": "x" * 70_000}
    response = post(api, "/api/v1/invitations", huge)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_inviting_to_a_plan_without_exercises_is_a_400(world: World, api: Client) -> None:
    world.plan.items.all().delete()
    response = invite(api, world)
    assert response.status_code == 400
    assert response.json() == {"code": "rule_broken", "detail": "this plan has no exercises yet"}


def test_invitations_are_listed_newest_first_and_filtered(world: World, api: Client) -> None:
    first = invite(api, world, email="a@example.org").json()
    second = invite(api, world, email="b@example.org").json()
    invitation_revoke(actor=world.manager, invitation=Invitation.objects.get(public_id=first["id"]))
    page = api.get("/api/v1/invitations").json()
    assert [i["id"] for i in page["items"]] == [second["id"], first["id"]]
    assert all("url" not in i for i in page["items"])
    revoked = api.get("/api/v1/invitations?status=revoked").json()
    assert [i["id"] for i in revoked["items"]] == [first["id"]]
    pending = api.get(f"/api/v1/invitations?status=pending&plan_id={world.plan.public_id}")
    assert [i["id"] for i in pending.json()["items"]] == [second["id"]]
    assert api.get("/api/v1/invitations?status=lost").status_code == 422


def test_an_expired_invitation_says_so(world: World, api: Client) -> None:
    created = invite(api, world).json()
    Invitation.objects.filter(public_id=created["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert api.get(f"/api/v1/invitations/{created['id']}").json()["status"] == "expired"
    assert api.get("/api/v1/invitations?status=expired").json()["count"] == 1


# Pagination --------------------------------------------------------------------------------


def test_lists_are_paginated_with_limit_and_offset(world: World, api: Client) -> None:
    ids = [invite(api, world, email=f"c{n}@example.org").json()["id"] for n in range(5)]
    newest_first = list(reversed(ids))
    seen: list[str] = []
    for offset in (0, 2, 4):
        page = api.get(f"/api/v1/invitations?limit=2&offset={offset}").json()
        assert page["count"] == 5 and page["limit"] == 2 and page["offset"] == offset
        seen += [i["id"] for i in page["items"]]
    assert seen == newest_first
    assert api.get("/api/v1/invitations?offset=10").json()["items"] == []


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "offset=-1", "limit=x", "offset=1e99"])
def test_out_of_range_pagination_is_a_422(world: World, api: Client, query: str) -> None:
    for path in ("/api/v1/plans", "/api/v1/invitations", "/api/v1/attempts"):
        response = api.get(f"{path}?{query}")
        assert response.status_code == 422, (path, query)


# Attempts and results ----------------------------------------------------------------------


def test_attempts_are_listed_and_filtered_by_plan_and_status(world: World, api: Client) -> None:
    finished = graded_attempt(world)
    waiting = world.claimed_attempt("bob@example.org")
    page = api.get("/api/v1/attempts").json()
    assert page["count"] == 2
    assert {a["id"] for a in page["items"]} == {str(finished.public_id), str(waiting.public_id)}
    done = api.get("/api/v1/attempts?status=finished").json()["items"]
    assert [a["id"] for a in done] == [str(finished.public_id)]
    assert done[0]["candidate"]["email"] == "ada@example.org"
    notice = api.get(f"/api/v1/attempts?status=notice&plan_id={world.plan.public_id}").json()
    assert [a["id"] for a in notice["items"]] == [str(waiting.public_id)]
    other_plan = "00000000-0000-4000-8000-000000000000"
    assert api.get(f"/api/v1/attempts?plan_id={other_plan}").json()["count"] == 0
    assert api.get("/api/v1/attempts?status=graded").status_code == 422


def test_an_attempt_shows_its_deadline_and_each_exercise_s_live_status(
    world: World, api: Client
) -> None:
    attempt = started_as(world)
    answer = api.get(f"/api/v1/attempts/{attempt.public_id}").json()
    assert answer["status"] == "in_progress"
    assert answer["deadline_at"] is not None and 0 < answer["seconds_left"] <= 3600
    assert [(i["exercise"]["slug"], i["status"]) for i in answer["items"]] == [
        ("tiny-adder", "not_submitted")
    ]
    from tests.api.conftest import STRONG
    from vetta.assessments.services.attempts import draft_save, submission_create

    item = attempt.items.get()
    draft_save(item=item, path="adder.py", content=STRONG, base_revision=None)
    submission_create(item=item)
    item_now = api.get(f"/api/v1/attempts/{attempt.public_id}").json()["items"][0]
    assert (item_now["status"], item_now["submissions"], item_now["score"]) == ("queued", 1, None)


def test_results_show_every_test_hidden_ones_too_and_the_skill_summary(
    world: World, api: Client
) -> None:
    attempt = graded_attempt(world, score=0.5)
    results = api.get(f"/api/v1/attempts/{attempt.public_id}/results").json()
    assert results["status"] == "finished" and results["overall_score"] == 0.5
    (item,) = results["items"]
    assert (item["status"], item["score"], item["verdict"]) == ("graded", 0.5, "wrong")
    assert (item["points"], item["max_points"], item["submission_number"]) == (1.0, 2.0, 1)
    hidden = [t for t in item["tests"] if not t["visible"]]
    assert [t["name"] for t in hidden] == ["hidden: negative numbers"]
    assert hidden[0]["message"] == "expected -3, got 3" and hidden[0]["passed"] is False
    skills = {s["skill_area"]: s for s in results["skills"]}
    assert skills["python_ml_frameworks"]["level"] == "required"
    assert skills["python_ml_frameworks"]["score"] == 0.5
    assert skills["mlops_deployment"]["score"] is None
    assert "rag_vector_databases" not in skills  # not needed for classical_ml


def test_results_of_an_attempt_not_yet_submitted_are_empty_not_an_error(
    world: World, api: Client
) -> None:
    attempt = world.claimed_attempt()
    results = api.get(f"/api/v1/attempts/{attempt.public_id}/results").json()
    assert results["overall_score"] is None
    assert [(i["status"], i["tests"]) for i in results["items"]] == [("not_submitted", [])]


@pytest.mark.parametrize(
    "path", ["/api/v1/attempts/{id}", "/api/v1/attempts/{id}/results", "/api/v1/invitations/{id}"]
)
def test_a_malformed_id_is_a_422_and_an_unknown_one_a_404(
    world: World, api: Client, path: str
) -> None:
    assert api.get(path.format(id="123")).status_code == 422
    unknown = api.get(path.format(id="00000000-0000-4000-8000-000000000000"))
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"


def test_an_unknown_path_under_the_api_is_a_json_404(world: World, api: Client) -> None:
    for path in ("/api/v1/nothing-here", "/api/v2/plans", "/api/"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_a_token_client_needs_no_csrf_token(world: World, token: str) -> None:
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"})
    data = {"plan_id": str(world.plan.public_id), "email": "c@example.org", "send_email": False}
    response = post(client, "/api/v1/invitations", data)
    assert response.status_code == 201
