"""Organisations and memberships: roles, the last-owner rule, and audit events."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.orgs.factories import make_member, make_organisation, make_user, owner_of
from vetta.governance.models import AuditEvent
from vetta.governance.services import audit_verify
from vetta.orgs.models import Membership, MembershipRole
from vetta.orgs.services import (
    OrgsError,
    admin_account_create,
    demo_setup,
    membership_add,
    membership_remove,
    membership_role_change,
    organisation_create,
)

pytestmark = pytest.mark.django_db


def test_creating_an_organisation_makes_its_creator_the_owner() -> None:
    user = make_user("ada")
    organisation = organisation_create(name="Acme Hiring", owner=user)
    assert organisation.slug == "acme-hiring"
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (user, MembershipRole.OWNER)


def test_organisation_slugs_stay_unique() -> None:
    organisation_create(name="Acme", owner=make_user())
    assert organisation_create(name="Acme", owner=make_user()).slug == "acme-2"


def test_members_have_a_stable_pseudonymous_public_id_used_in_audit_events() -> None:
    organisation = make_organisation()
    member = make_member(organisation, MembershipRole.INTERVIEWER)
    event = AuditEvent.objects.filter(action="membership.add").last()
    assert event is not None
    assert event.subject == f"member:{member.public_id}"
    assert member.user.username not in event.subject + event.actor + str(event.payload)
    member.refresh_from_db()
    assert event.subject == member.audit_id


def test_owners_add_members_and_change_their_roles_with_audit_events() -> None:
    owner = owner_of(make_organisation())
    member = membership_add(
        actor=owner,
        organisation=owner.organisation,
        user=make_user(),
        role=MembershipRole.INTERVIEWER,
    )
    membership_role_change(actor=owner, membership=member, role=MembershipRole.HIRING_MANAGER)
    member.refresh_from_db()
    assert member.role == MembershipRole.HIRING_MANAGER
    change = AuditEvent.objects.get(action="membership.role_change")
    assert change.actor == owner.audit_id
    assert change.payload["from"] == "interviewer"
    assert change.payload["to"] == "hiring_manager"
    assert audit_verify().ok


def test_hiring_managers_cannot_manage_members() -> None:
    organisation = make_organisation()
    manager = make_member(organisation, MembershipRole.HIRING_MANAGER)
    with pytest.raises(PermissionDenied):
        membership_add(
            actor=manager, organisation=organisation, user=make_user(), role="interviewer"
        )


def test_an_owner_of_another_organisation_cannot_manage_members() -> None:
    organisation = make_organisation("Acme")
    stranger = owner_of(make_organisation("Globex"))
    with pytest.raises(PermissionDenied):
        membership_add(
            actor=stranger, organisation=organisation, user=make_user(), role="interviewer"
        )


def test_operators_may_manage_any_organisation_and_are_audited_as_operators() -> None:
    organisation = make_organisation()
    operator = make_user("root", is_superuser=True, is_staff=True)
    member = membership_add(
        actor=operator, organisation=organisation, user=make_user(), role="interviewer"
    )
    assert AuditEvent.objects.get(subject=member.audit_id).actor == f"operator:{operator.pk}"


def test_an_organisation_keeps_at_least_one_owner() -> None:
    owner = owner_of(make_organisation())
    with pytest.raises(OrgsError, match="at least one owner"):
        membership_role_change(actor=owner, membership=owner, role=MembershipRole.INTERVIEWER)
    with pytest.raises(OrgsError, match="at least one owner"):
        membership_remove(actor=owner, membership=owner)


def test_removing_a_member_is_audited_and_keeps_the_chain_valid() -> None:
    owner = owner_of(make_organisation())
    member = make_member(owner.organisation, MembershipRole.INTERVIEWER)
    membership_remove(actor=owner, membership=member)
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert AuditEvent.objects.get(action="membership.remove").subject == member.audit_id
    assert audit_verify().ok


def test_a_user_cannot_join_the_same_organisation_twice() -> None:
    organisation = make_organisation()
    member = make_member(organisation)
    with pytest.raises(OrgsError, match="already a member"):
        membership_add(actor=None, organisation=organisation, user=member.user, role="owner")


def test_unknown_roles_are_rejected() -> None:
    with pytest.raises(OrgsError, match="not one of owner, hiring_manager, interviewer"):
        membership_add(
            actor=None, organisation=make_organisation(), user=make_user(), role="recruiter"
        )


def test_admin_accounts_need_a_strong_password() -> None:
    with pytest.raises(OrgsError, match="too common"):
        admin_account_create(username="ops", email="ops@example.org", password="password123")


def test_an_admin_account_can_be_created_with_its_first_organisation() -> None:
    user = admin_account_create(
        username="ops",
        email="ops@example.org",
        password="a long unusual passphrase",
        organisation_name="Initech",
    )
    assert user.is_superuser
    assert user.check_password("a long unusual passphrase")
    assert Membership.objects.get(user=user).organisation.name == "Initech"


def test_demo_setup_is_idempotent_and_returns_the_same_credentials(tmp_path) -> None:
    first = demo_setup(password_file=tmp_path / "credentials")
    second = demo_setup(password_file=tmp_path / "credentials")
    assert first.created
    assert not second.created
    assert first.password
    assert first.password == second.password
    assert first.organisation == second.organisation
    assert Membership.objects.filter(organisation=first.organisation).count() == 1
    assert (tmp_path / "credentials").stat().st_mode & 0o777 == 0o600


def test_demo_setup_does_not_print_a_password_that_was_changed(tmp_path) -> None:
    first = demo_setup(password_file=tmp_path / "credentials")
    user = Membership.objects.get(organisation=first.organisation).user
    user.set_password("changed by the admin, at last")
    user.save()
    assert demo_setup(password_file=tmp_path / "credentials").password is None
