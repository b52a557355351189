"""The audit trail: hash-chained, gapless, written in the change's transaction, tamper-evident."""

from __future__ import annotations

import hashlib
import json
import threading

import pytest
from django.db import connection, transaction

from vetta.governance.models import AuditEvent
from vetta.governance.services import AuditError, audit_record, audit_verify

pytestmark = pytest.mark.django_db


def record(n: int) -> list[AuditEvent]:
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                audit_record(
                    actor="member:6f1c2a",
                    action="role_profile.update",
                    subject=f"profile:{i + 1}",
                    payload={"levels": {"evaluation": {"from": "preferred", "to": "required"}}},
                )
            )
    return events


def raw(sql: str, params: list[object]) -> None:
    """Tampers as someone with direct database access would, bypassing the application.

    On PostgreSQL that someone must own the table and disable the append-only trigger first; the
    test transaction rolls this back.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE governance_auditevent DISABLE TRIGGER vetta_audit_append_only"
            )
        cursor.execute(sql, params)


def test_events_get_gapless_indexes_and_each_hash_chains_to_the_previous_one() -> None:
    events = record(3)
    assert [e.index for e in events] == [1, 2, 3]
    assert events[0].prev_hash == "0" * 64
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert len({e.hash for e in events}) == 3


def test_the_payload_digest_is_the_sha256_of_the_canonical_json_payload() -> None:
    (event,) = record(1)
    canonical = json.dumps(event.payload, sort_keys=True, separators=(",", ":")).encode()
    assert event.payload_digest == hashlib.sha256(canonical).hexdigest()


def test_an_untampered_chain_verifies() -> None:
    record(5)
    report = audit_verify()
    assert report.ok
    assert report.checked == 5
    assert report.head_index == 5


def test_an_empty_chain_verifies() -> None:
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(AuditError, match="inside the transaction"):
        audit_record(actor="system", action="catalog.load", subject="catalog:1", payload={})


def test_an_event_rolls_back_with_the_change_it_records() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor="system", action="catalog.load", subject="catalog:1", payload={})
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == 0
    (event,) = record(1)
    assert event.index == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("actor", "Jane Doe <jane@example.org>", "not a pseudonymous id"),
        ("subject", "candidate:jane@example.org", "not a pseudonymous id"),
        ("action", "UPDATE", "entity.verb"),
    ],
)
def test_names_and_emails_cannot_be_recorded_as_actor_or_subject(
    field: str, value: str, message: str
) -> None:
    fields = {"actor": "system", "action": "catalog.load", "subject": "catalog:1"}
    fields[field] = value
    with pytest.raises(AuditError, match=message), transaction.atomic():
        audit_record(**fields, payload={})


def test_payloads_with_floats_are_refused_because_they_do_not_hash_reproducibly() -> None:
    with pytest.raises(AuditError, match="float"), transaction.atomic():
        audit_record(actor="system", action="score.set", subject="result:1", payload={"s": 0.5})


def test_altering_a_field_with_raw_sql_makes_verify_name_that_event() -> None:
    record(5)
    raw('UPDATE governance_auditevent SET actor = %s WHERE "index" = %s', ["member:evil", 3])
    report = audit_verify()
    assert not report.ok
    assert report.first_bad_index == 3
    assert "altered" in (report.problem or "")
    assert report.checked == 2


def test_altering_the_payload_makes_verify_name_that_event() -> None:
    record(4)
    raw(
        'UPDATE governance_auditevent SET payload = %s WHERE "index" = %s',
        ['{"levels": {}}', 2],
    )
    report = audit_verify()
    assert (report.ok, report.first_bad_index) == (False, 2)
    assert "payload" in (report.problem or "")


def test_deleting_a_row_makes_verify_name_the_gap() -> None:
    record(5)
    raw('DELETE FROM governance_auditevent WHERE "index" = %s', [2])
    report = audit_verify()
    assert not report.ok
    assert report.first_bad_index == 2
    assert "#2 is missing" in (report.problem or "")


def test_deleting_the_last_rows_is_noticed_through_the_chain_head() -> None:
    record(5)
    raw('DELETE FROM governance_auditevent WHERE "index" >= %s', [4])
    report = audit_verify()
    assert (report.ok, report.first_bad_index) == (False, 4)


def test_swapping_two_rows_contents_makes_verify_fail_at_the_first_of_them() -> None:
    events = record(4)
    # Move event 2's content to index 3 and back: the hashes no longer fit their positions.
    raw('UPDATE governance_auditevent SET "index" = 99 WHERE "index" = %s', [2])
    raw('UPDATE governance_auditevent SET "index" = 2 WHERE "index" = %s', [3])
    raw('UPDATE governance_auditevent SET "index" = 3 WHERE "index" = %s', [99])
    report = audit_verify()
    assert (report.ok, report.first_bad_index) == (False, 2)
    assert events[2].hash != events[1].hash


def test_a_recomputed_row_hash_still_breaks_the_link_to_the_next_event() -> None:
    events = record(3)
    forged = AuditEvent(
        **{f.attname: getattr(events[1], f.attname) for f in AuditEvent._meta.fields}
    )
    forged.actor = "member:someone-else"
    from vetta.governance import chain

    new_hash = chain.event_hash(
        index=forged.index,
        created_at=forged.created_at,
        actor=forged.actor,
        action=forged.action,
        subject=forged.subject,
        payload_digest=forged.payload_digest,
        prev_hash=forged.prev_hash,
    )
    raw(
        'UPDATE governance_auditevent SET actor = %s, hash = %s WHERE "index" = %s',
        [forged.actor, new_hash, 2],
    )
    report = audit_verify()
    assert (report.ok, report.first_bad_index) == (False, 3)
    assert "prev_hash" in (report.problem or "")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_share_an_index() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers by design; the PostgreSQL pass runs this")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(5):
                with transaction.atomic():
                    audit_record(
                        actor="system", action="test.write", subject=f"thing:{n}-{i}", payload={}
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(AuditEvent.objects.values_list("index", flat=True)) == list(range(1, 21))
    assert audit_verify().ok
