"""`vetta api-token ...` and `vetta webhook ...`, run as an operator would."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from tests.api.conftest import bearer
from tests.orgs.factories import make_organisation
from vetta.cli import app
from vetta.governance.models import AuditEvent
from vetta.integrations.models import ApiToken, WebhookEndpoint

pytestmark = pytest.mark.django_db
runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_api_token_create_prints_a_working_secret_once() -> None:
    make_organisation("Acme")
    result = run("api-token", "create", "--organisation", "acme", "--name", "ATS sync")
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("vt_")
    assert bearer(secret).get("/api/v1/plans").status_code == 200
    listing = run("api-token", "list").output
    assert "ATS sync" in listing and "acme" in listing
    assert secret not in listing and secret[:9] in listing


def test_api_token_revoke_stops_the_token() -> None:
    make_organisation("Acme")
    secret = run("api-token", "create", "--organisation", "acme", "--name", "n").output.split()[-1]
    token = ApiToken.objects.get()
    result = run("api-token", "revoke", str(token.pk))
    assert result.exit_code == 0 and "Revoked API token" in result.output
    assert bearer(secret).get("/api/v1/plans").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", actor="system").count() == 1


def test_unknown_organisations_and_ids_exit_1_with_a_message() -> None:
    make_organisation("Acme")
    result = run("api-token", "create", "--organisation", "nope", "--name", "n")
    assert result.exit_code == 1 and "no organisation has the slug 'nope'" in result.output
    assert "acme" in result.output
    assert run("api-token", "revoke", "999").exit_code == 1
    assert run("webhook", "remove", "999").exit_code == 1
    assert run("api-token", "create", "--organisation", "acme", "--name", "  ").exit_code == 1


def test_webhook_add_list_and_remove(settings: Any) -> None:
    settings.VETTA_WEBHOOK_ALLOW_PRIVATE = False
    make_organisation("Acme")
    added = run("webhook", "add", "--organisation", "acme", "--url", "https://93.184.215.14/hooks")
    assert added.exit_code == 0, added.output
    secret = added.output.strip().splitlines()[-1]
    endpoint = WebhookEndpoint.objects.get()
    assert secret.startswith("whsec_") and endpoint.secret == secret
    assert endpoint.events == ["attempt.graded"]
    listing = run("webhook", "list", "--organisation", "acme").output
    assert "https://93.184.215.14/hooks" in listing and "attempt.graded" in listing
    assert secret not in listing
    removed = run("webhook", "remove", str(endpoint.pk))
    assert removed.exit_code == 0 and not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:9000/hook", "private, loopback or internal"),
        ("file:///etc/passwd", "only http:// and https://"),
    ],
)
def test_webhook_add_refuses_what_the_ssrf_guard_refuses(
    settings: Any, url: str, message: str
) -> None:
    settings.VETTA_WEBHOOK_ALLOW_PRIVATE = False
    make_organisation("Acme")
    result = run("webhook", "add", "--organisation", "acme", "--url", url)
    assert result.exit_code == 1 and message in " ".join(result.output.split())
    assert not WebhookEndpoint.objects.exists()


def test_webhook_add_refuses_an_unknown_event() -> None:
    make_organisation("Acme")
    result = run(
        "webhook",
        "add",
        "--organisation",
        "acme",
        "--url",
        "https://93.184.215.14/h",
        "--event",
        "attempt.exploded",
    )
    assert result.exit_code == 1 and "unknown event" in result.output
