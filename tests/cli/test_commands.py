"""The `vetta` commands, run as a user would (Typer's CliRunner), against the test database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from django.db import connection
from typer.testing import CliRunner

from tests.orgs.factories import make_organisation
from vetta.catalog.models import RoleProfile
from vetta.cli import app
from vetta.orgs.models import Membership

pytestmark = pytest.mark.django_db
runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def test_audit_verify_passes_on_an_intact_trail() -> None:
    make_organisation()
    result = run("audit", "verify")
    assert result.exit_code == 0
    assert "Audit trail intact: 2 events" in result.output


def test_audit_verify_exits_1_and_names_the_first_tampered_event() -> None:
    for name in ("Acme", "Globex"):
        make_organisation(name)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE governance_auditevent DISABLE TRIGGER vetta_audit_append_only"
            )
        cursor.execute("UPDATE governance_auditevent SET subject = 'x:1' WHERE \"index\" = 3")
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert "Audit trail broken at event #3" in result.output
    assert "altered" in result.output


def test_audit_show_lists_recent_events() -> None:
    make_organisation()
    result = run("audit", "show", "--limit", "1")
    assert result.exit_code == 0
    assert "membership.add" in result.output
    assert "organisation.create" not in result.output


def test_catalog_show_prints_the_matrix() -> None:
    result = run("catalog", "show")
    assert result.exit_code == 0
    assert "Role catalog, version 1" in result.output
    for word in ("classical_ml", "llm_genai", "research", "rag_vector_databases", "not_needed"):
        assert word in result.output


def test_catalog_export_json_round_trips_the_catalog() -> None:
    result = run("catalog", "export", "--format", "json")
    data = json.loads(result.output)
    assert data["version"] == 1
    assert len(data["skill_areas"]) == 10
    llm = next(p for p in data["role_profiles"] if p["role_context"] == "llm_genai")
    assert llm["requirements"]["rag_vector_databases"] == "required"


def test_catalog_export_yaml_writes_a_file_that_loads_back(tmp_path: Path) -> None:
    target = tmp_path / "catalog.yaml"
    assert run("catalog", "export", "--format", "yaml", "-o", str(target)).exit_code == 0
    assert run("catalog", "show", "--file", str(target)).exit_code == 0
    assert yaml.safe_load(target.read_text())["version"] == 1


def test_catalog_commands_report_a_malformed_file_field_by_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nskill_areas: []\nrole_profiles: []\n")
    result = runner.invoke(app, ["catalog", "show", "--file", str(bad)])
    assert result.exit_code == 1
    assert "skill_areas: List should have at least 1 item" in result.output


def test_an_unknown_export_format_is_refused() -> None:
    result = runner.invoke(app, ["catalog", "export", "--format", "xml"])
    assert result.exit_code == 2


def test_catalog_load_is_idempotent() -> None:
    assert "Loaded catalog version 1" in run("catalog", "load").output
    assert "already loaded; nothing changed" in run("catalog", "load").output
    assert RoleProfile.objects.filter(organisation__isnull=True).count() == 3


def test_createadmin_creates_an_operator_who_owns_the_named_organisation() -> None:
    result = run(
        "createadmin",
        "--username",
        "ops",
        "--email",
        "ops@example.org",
        "--organisation",
        "Initech",
        "--password-stdin",
        input="a long unusual passphrase\n",
    )
    assert result.exit_code == 0, result.output
    member = Membership.objects.get(user__username="ops")
    assert member.user.is_superuser
    assert (member.organisation.name, member.role) == ("Initech", "owner")


def test_createadmin_prompts_for_the_password_twice() -> None:
    result = run(
        "createadmin",
        "--username",
        "ops",
        "--email",
        "",
        input="a long unusual passphrase\na long unusual passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created operator ops" in result.output


def test_createadmin_refuses_a_weak_password() -> None:
    result = run(
        "createadmin", "--username", "ops", "--email", "", "--password-stdin", input="123\n"
    )
    assert result.exit_code == 1
    assert "too short" in result.output


def test_up_without_serving_prepares_everything_and_prints_the_credentials(
    settings, tmp_path: Path
) -> None:
    settings.VETTA_HOME = tmp_path
    first = run("up", "--no-serve")
    assert first.exit_code == 0, first.output
    password = (tmp_path / "admin-credentials.txt").read_text().split()[1]
    assert "http://127.0.0.1:8000/" in first.output
    assert "admin" in first.output
    assert password in first.output
    assert RoleProfile.objects.filter(organisation__isnull=True).count() == 3
    again = run("up", "--no-serve", "--port", "8123")
    assert password in again.output
    assert "http://127.0.0.1:8123/" in again.output
    assert Membership.objects.count() == 1
