"""Organisations derive and edit their own role profiles; every change is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.orgs.factories import builtin, make_member, make_organisation, owner_of
from vetta.catalog.selectors import role_profile_blend_check, role_profile_levels
from vetta.catalog.services import (
    RoleProfileValidationError,
    role_profile_derive,
    role_profile_update,
)
from vetta.governance.models import AuditEvent
from vetta.governance.services import audit_verify
from vetta.orgs.models import MembershipRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return owner_of(make_organisation("Acme"))


def test_deriving_copies_the_levels_into_an_organisation_profile(owner) -> None:
    source = builtin("classical_ml")
    profile = role_profile_derive(actor=owner, source=source, name="  ML engineer,  Berlin ")
    assert profile.name == "ML engineer, Berlin"
    assert profile.organisation == owner.organisation
    assert profile.derived_from == source
    assert profile.role_context == "classical_ml"
    assert not profile.is_builtin
    assert role_profile_levels(profile=profile) == role_profile_levels(profile=source)


def test_deriving_records_an_audit_event_with_pseudonymous_ids(owner) -> None:
    profile = role_profile_derive(actor=owner, source=builtin("research"), name="R")
    event = AuditEvent.objects.get(action="role_profile.derive")
    assert event.actor == f"member:{owner.public_id}"
    assert event.subject == f"profile:{profile.pk}"
    assert event.payload["levels"]["statistical_modeling"] == "required"
    assert owner.user.username not in str(event.payload)
    assert audit_verify().ok


def test_editing_levels_changes_them_and_audits_each_change(owner) -> None:
    profile = role_profile_derive(actor=owner, source=builtin("classical_ml"), name="ML")
    role_profile_update(
        actor=owner,
        profile=profile,
        levels={"rag_vector_databases": "required", "evaluation": "required"},
        notes={"rag_vector_databases": "pgvector in production"},
    )
    levels = role_profile_levels(profile=profile)
    assert levels["rag_vector_databases"] == "required"
    event = AuditEvent.objects.get(action="role_profile.update")
    assert event.payload["levels"] == {
        "rag_vector_databases": {"from": "not_needed", "to": "required"}
    }
    assert event.payload["notes_changed"] == ["rag_vector_databases"]
    assert "pgvector" not in str(event.payload)


def test_an_edit_that_changes_nothing_records_nothing(owner) -> None:
    profile = role_profile_derive(actor=owner, source=builtin("llm_genai"), name="LLM")
    before = AuditEvent.objects.count()
    role_profile_update(actor=owner, profile=profile, name="LLM", levels={"evaluation": "required"})
    assert AuditEvent.objects.count() == before


def test_making_a_derived_profile_blended_makes_the_blend_check_say_so(owner) -> None:
    profile = role_profile_derive(actor=owner, source=builtin("classical_ml"), name="ML")
    assert not role_profile_blend_check(profile=profile).blended
    role_profile_update(actor=owner, profile=profile, levels={"rag_vector_databases": "required"})
    report = role_profile_blend_check(profile=profile)
    assert report.blended
    assert "only llm_genai requires it" in report.summary()


def test_unknown_skill_areas_and_bad_levels_are_rejected_per_field(owner) -> None:
    profile = role_profile_derive(actor=owner, source=builtin("classical_ml"), name="ML")
    with pytest.raises(RoleProfileValidationError) as caught:
        role_profile_update(
            actor=owner,
            profile=profile,
            name="   ",
            levels={"quantum_ml": "required", "evaluation": "essential"},
            notes={"evaluation": "x" * 501},
        )
    assert caught.value.errors == {
        "levels.quantum_ml": "unknown skill area 'quantum_ml'",
        "levels.evaluation": "'essential' is not a requirement level "
        "(required, preferred, not_needed)",
        "notes.evaluation": "at most 500 characters",
        "name": "a name is required",
    }
    assert role_profile_levels(profile=profile)["evaluation"] == "required"


def test_built_in_profiles_cannot_be_edited(owner) -> None:
    with pytest.raises(PermissionDenied, match="derive your own"):
        role_profile_update(actor=owner, profile=builtin("llm_genai"), levels={})


def test_interviewers_cannot_derive_or_edit_profiles(owner) -> None:
    interviewer = make_member(owner.organisation, MembershipRole.INTERVIEWER)
    profile = role_profile_derive(actor=owner, source=builtin("classical_ml"), name="ML")
    with pytest.raises(PermissionDenied):
        role_profile_derive(actor=interviewer, source=builtin("research"), name="R")
    with pytest.raises(PermissionDenied):
        role_profile_update(actor=interviewer, profile=profile, levels={"evaluation": "preferred"})


def test_hiring_managers_can_derive_and_edit(owner) -> None:
    manager = make_member(owner.organisation, MembershipRole.HIRING_MANAGER)
    profile = role_profile_derive(actor=manager, source=builtin("research"), name="R")
    role_profile_update(actor=manager, profile=profile, levels={"evaluation": "preferred"})
    assert role_profile_levels(profile=profile)["evaluation"] == "preferred"


def test_another_organisation_s_profile_can_be_neither_edited_nor_derived_from(owner) -> None:
    profile = role_profile_derive(actor=owner, source=builtin("classical_ml"), name="Secret")
    stranger = owner_of(make_organisation("Globex"))
    with pytest.raises(PermissionDenied):
        role_profile_update(actor=stranger, profile=profile, levels={"evaluation": "preferred"})
    with pytest.raises(PermissionDenied):
        role_profile_derive(actor=stranger, source=profile, name="Copy")


def test_a_profile_can_be_derived_from_the_organisation_s_own_profile(owner) -> None:
    first = role_profile_derive(actor=owner, source=builtin("classical_ml"), name="ML")
    role_profile_update(actor=owner, profile=first, levels={"finetuning_lora": "not_needed"})
    second = role_profile_derive(actor=owner, source=first, name="ML, junior")
    assert second.derived_from == first
    assert role_profile_levels(profile=second)["finetuning_lora"] == "not_needed"
