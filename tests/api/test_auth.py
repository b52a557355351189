"""Token authentication: only an active token of the organisation opens its data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import World, bearer
from vetta.integrations.models import ApiToken
from vetta.integrations.services.tokens import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def test_a_request_without_a_token_is_refused_with_a_json_401(world: World) -> None:
    response = Client().get("/api/v1/plans")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer vt_not-a-real-token", "Bearer something-else", "Basic dXNlcjpwYXNz", "Bearer "],
)
def test_an_unknown_or_malformed_token_is_refused_with_a_json_401(
    world: World, header: str
) -> None:
    response = Client(headers={"Authorization": header}).get("/api/v1/plans")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_revoked_token_stops_working_at_once(world: World) -> None:
    issued = api_token_create(organisation=world.manager.organisation, name="old ATS")
    client = bearer(issued.secret)
    assert client.get("/api/v1/plans").status_code == 200
    api_token_revoke(token=issued.token)
    response = client.get("/api/v1/plans")
    assert response.status_code == 401
    assert response.json() == {"code": "unauthorized", "detail": "This API token was revoked."}


def test_only_a_digest_of_the_secret_is_stored(world: World) -> None:
    issued = api_token_create(organisation=world.manager.organisation, name="ATS")
    assert issued.secret.startswith("vt_") and len(issued.secret) > 40
    row = ApiToken.objects.filter(pk=issued.token.pk).values().get()
    assert issued.secret not in {str(v) for v in row.values()}
    assert row["prefix"] == issued.secret[:9]


def test_a_request_notes_when_the_token_was_last_used(world: World) -> None:
    issued = api_token_create(organisation=world.manager.organisation, name="ATS")
    assert issued.token.last_used_at is None
    bearer(issued.secret).get("/api/v1/plans")
    used = ApiToken.objects.get(pk=issued.token.pk).last_used_at
    assert used is not None and timezone.now() - used < timedelta(minutes=1)


def test_another_organisation_s_token_gets_404_for_this_organisation_s_objects(
    world: World, api: Client, other_api: Client
) -> None:
    attempt = world.claimed_attempt()
    paths = [
        f"/api/v1/plans/{world.plan.public_id}",
        f"/api/v1/invitations/{attempt.invitation.public_id}",
        f"/api/v1/attempts/{attempt.public_id}",
        f"/api/v1/attempts/{attempt.public_id}/results",
    ]
    for path in paths:
        assert api.get(path).status_code == 200, path
        response = other_api.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    for path in ("/api/v1/plans", "/api/v1/invitations", "/api/v1/attempts"):
        assert other_api.get(path).json()["count"] == 0
    created = other_api.post(
        "/api/v1/invitations",
        {"plan_id": str(world.plan.public_id), "email": "eve@example.org", "send_email": False},
        content_type="application/json",
    )
    assert created.status_code == 404
