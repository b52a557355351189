"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit log."""

from __future__ import annotations

import os

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from tests.conftest import require
from vetta.governance.models import AuditEvent
from vetta.governance.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db

PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _postgres_reachable() -> bool:
    try:
        with psycopg.connect(os.environ.get("VETTA_TEST_POSTGRES_URL", PG_URL), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@pytest.fixture
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        # This pass runs on SQLite; the same test runs in the PostgreSQL pass (make test-postgres).
        # Under CI=true, a PostgreSQL that is not even there fails here instead of hiding.
        require(_postgres_reachable(), "PostgreSQL at 127.0.0.1:5432")
        pytest.skip("runs in the PostgreSQL pass (DATABASE_URL=postgresql://...)")


def _one_event() -> AuditEvent:
    with transaction.atomic():
        return audit_record(actor="system", action="catalog.load", subject="catalog:1", payload={})


@pytest.mark.usefixtures("on_postgresql")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE governance_auditevent SET actor = 'member:evil'",
        "UPDATE governance_auditevent SET payload = '{}'::jsonb, hash = 'x'",
        "DELETE FROM governance_auditevent",
        'DELETE FROM governance_auditevent WHERE "index" = 1',
    ],
)
def test_the_database_refuses_to_change_or_delete_audit_events(statement: str) -> None:
    _one_event()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.count() == 1
    assert audit_verify().ok


@pytest.mark.usefixtures("on_postgresql")
def test_the_orm_cannot_change_or_delete_audit_events_either() -> None:
    event = _one_event()
    event.actor = "member:evil"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().actor == "system"


@pytest.mark.usefixtures("on_postgresql")
def test_appending_still_works_under_the_trigger() -> None:
    _one_event()
    _one_event()
    assert audit_verify().checked == 2
