"""The organisation's settings that candidates read in their notice: owners only, validated,
audited without the address itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.orgs.factories import make_member, make_organisation, owner_of
from vetta.governance.models import AuditEvent
from vetta.orgs.models import MembershipRole, Organisation
from vetta.orgs.services import OrgsError, organisation_settings_update

pytestmark = pytest.mark.django_db


def test_an_owner_sets_the_contact_and_retention_and_it_is_audited() -> None:
    organisation = make_organisation("Acme")
    owner = owner_of(organisation)
    organisation_settings_update(
        actor=owner,
        organisation=organisation,
        contact_email=" people@acme.example ",
        retention_days=180,
    )
    organisation.refresh_from_db()
    assert (organisation.contact_email, organisation.retention_days) == (
        "people@acme.example",
        180,
    )
    event = AuditEvent.objects.get(action="organisation.settings_update")
    assert event.actor == owner.audit_id and event.subject == organisation.audit_id
    assert "people@acme.example" not in str(event.payload)


def test_saving_unchanged_settings_records_nothing() -> None:
    organisation = make_organisation("Acme")
    owner = owner_of(organisation)
    for _ in range(2):
        organisation_settings_update(
            actor=owner,
            organisation=organisation,
            contact_email="a@acme.example",
            retention_days=90,
        )
    assert AuditEvent.objects.filter(action="organisation.settings_update").count() == 1


@pytest.mark.parametrize(
    ("email", "days", "message"),
    [
        ("", 90, "e-mail address where candidates can ask"),
        ("not an address", 90, "e-mail address where candidates can ask"),
        ("a@acme.example", 29, "between 30 and 3650 days"),
        ("a@acme.example", 3651, "between 30 and 3650 days"),
    ],
)
def test_invalid_settings_are_refused(email: str, days: int, message: str) -> None:
    organisation = make_organisation("Acme")
    with pytest.raises(OrgsError, match=message):
        organisation_settings_update(
            actor=owner_of(organisation),
            organisation=organisation,
            contact_email=email,
            retention_days=days,
        )
    assert Organisation.objects.get(pk=organisation.pk).retention_days == 365


def test_hiring_managers_and_other_organisations_cannot_change_them() -> None:
    organisation = make_organisation("Acme")
    for actor in (
        make_member(organisation, MembershipRole.HIRING_MANAGER),
        owner_of(make_organisation("Globex")),
    ):
        with pytest.raises(PermissionDenied):
            organisation_settings_update(
                actor=actor,
                organisation=organisation,
                contact_email="x@y.example",
                retention_days=90,
            )
    assert Organisation.objects.get(pk=organisation.pk).contact_email == ""
