"""Per-organisation isolation: another organisation's objects answer 404."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tests.orgs.factories import builtin, make_member, make_organisation, make_user, owner_of
from vetta.catalog.selectors import role_profile_get, role_profile_list_for_user
from vetta.catalog.services import role_profile_derive
from vetta.orgs.selectors import (
    membership_get,
    membership_get_current,
    membership_list_for_organisation,
    organisation_get,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_organisations():
    acme = owner_of(make_organisation("Acme"))
    globex = owner_of(make_organisation("Globex"))
    return acme, globex


def test_a_member_gets_their_own_organisation(two_organisations) -> None:
    acme, _ = two_organisations
    assert organisation_get(user=acme.user, id=acme.organisation_id) == acme.organisation


def test_another_organisation_answers_404(two_organisations) -> None:
    acme, globex = two_organisations
    with pytest.raises(Http404):
        organisation_get(user=acme.user, id=globex.organisation_id)


def test_another_organisation_s_member_answers_404(two_organisations) -> None:
    acme, globex = two_organisations
    assert membership_get(user=acme.user, id=acme.pk) == acme
    with pytest.raises(Http404):
        membership_get(user=acme.user, id=globex.pk)
    with pytest.raises(Http404):
        membership_list_for_organisation(user=acme.user, organisation_id=globex.organisation_id)


def test_another_organisation_s_role_profile_answers_404(two_organisations) -> None:
    acme, globex = two_organisations
    secret = role_profile_derive(actor=globex, source=builtin("llm_genai"), name="Secret")
    with pytest.raises(Http404):
        role_profile_get(user=acme.user, id=secret.pk)
    assert role_profile_get(user=globex.user, id=secret.pk) == secret


def test_built_in_profiles_are_visible_to_every_user_but_not_anonymous_visitors() -> None:
    profile = builtin("research")
    assert role_profile_get(user=make_user(), id=profile.pk) == profile
    listed = role_profile_list_for_user(user=AnonymousUser())
    assert list(listed) == list(listed.filter(organisation__isnull=True))


def test_profile_lists_hold_built_ins_and_only_the_user_s_organisations(two_organisations) -> None:
    acme, globex = two_organisations
    ours = role_profile_derive(actor=acme, source=builtin("research"), name="Ours")
    theirs = role_profile_derive(actor=globex, source=builtin("research"), name="Theirs")
    names = {p.name for p in role_profile_list_for_user(user=acme.user)}
    assert ours.name in names
    assert theirs.name not in names
    assert len(names) == 4


def test_the_current_membership_is_the_chosen_organisation_if_the_user_belongs_to_it(
    two_organisations,
) -> None:
    acme, globex = two_organisations
    second = make_member(globex.organisation, user=acme.user)
    assert membership_get_current(user=acme.user, organisation_id=globex.organisation_id) == second
    assert membership_get_current(user=acme.user, organisation_id=None) == acme
    assert membership_get_current(user=globex.user, organisation_id=acme.organisation_id) == globex
