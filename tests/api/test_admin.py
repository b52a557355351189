"""The admin pages of tokens and webhooks, as an operator uses them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import bearer
from tests.orgs.factories import PASSWORD, make_organisation, make_user
from vetta.governance.models import AuditEvent
from vetta.integrations.models import ApiToken, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(settings: Any) -> Client:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = make_user("ops", is_staff=True, is_superuser=True)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def shown_secret(html: str) -> str:
    found = re.search(r'id="issued-secret"[^>]*value="([^"]+)"', html, flags=re.DOTALL)
    assert found is not None, "the page does not show the secret"
    return found.group(1)


def test_an_operator_creates_a_token_and_sees_its_secret_once(operator: Client) -> None:
    acme = make_organisation("Acme")
    page = operator.post(
        "/admin/integrations/apitoken/add/", {"organisation": acme.pk, "name": "ATS sync"}
    )
    assert page.status_code == 200
    secret = shown_secret(page.content.decode())
    assert bearer(secret).get("/api/v1/plans").status_code == 200
    token = ApiToken.objects.get()
    change = operator.get(f"/admin/integrations/apitoken/{token.pk}/change/").content.decode()
    assert secret not in change and token.prefix in change
    assert AuditEvent.objects.get(action="api_token.create").actor.startswith("operator:")


def test_the_revoke_action_stops_the_selected_tokens(operator: Client) -> None:
    acme = make_organisation("Acme")
    page = operator.post(
        "/admin/integrations/apitoken/add/", {"organisation": acme.pk, "name": "old"}
    )
    secret = shown_secret(page.content.decode())
    token = ApiToken.objects.get()
    operator.post(
        "/admin/integrations/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert bearer(secret).get("/api/v1/plans").status_code == 401


def test_an_operator_adds_a_webhook_and_the_guard_refuses_internal_urls(
    operator: Client, settings: Any
) -> None:
    settings.VETTA_WEBHOOK_ALLOW_PRIVATE = False
    acme = make_organisation("Acme")
    form = {
        "organisation": acme.pk,
        "events": ["attempt.graded"],
        "description": "",
        "active": "on",
        # The deliveries inline's management form, as the page sends it.
        "deliveries-TOTAL_FORMS": "0",
        "deliveries-INITIAL_FORMS": "0",
    }
    refused = operator.post(
        "/admin/integrations/webhookendpoint/add/",
        {**form, "url": "http://169.254.169.254/latest/meta-data/"},
    )
    assert (
        refused.status_code == 200 and "private, loopback or internal" in refused.content.decode()
    )
    assert not WebhookEndpoint.objects.exists()
    page = operator.post(
        "/admin/integrations/webhookendpoint/add/", {**form, "url": "https://93.184.215.14/h"}
    )
    secret = shown_secret(page.content.decode())
    assert WebhookEndpoint.objects.get().secret == secret
