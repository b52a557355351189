"""Extra time as an accommodation: set by the hiring team before the clock starts, within bounds,
recorded in the audit trail, and honoured by the server's deadline."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.assessments.conftest import World
from tests.assessments.test_attempts import started
from tests.orgs.factories import make_member, make_organisation, owner_of
from vetta.assessments.errors import AssessmentError
from vetta.assessments.models import Attempt
from vetta.assessments.notice import notice_for
from vetta.assessments.services.attempts import (
    attempt_accommodate,
    attempt_start,
    notice_acknowledge,
)
from vetta.governance.models import AuditEvent
from vetta.governance.services import audit_verify
from vetta.orgs.models import MembershipRole

pytestmark = pytest.mark.django_db


def test_extra_time_lengthens_the_deadline_and_is_audited(world: World) -> None:
    attempt = world.claimed_attempt()
    attempt = attempt_accommodate(actor=world.manager, attempt=attempt, time_multiplier=1.5)
    notice_acknowledge(attempt=attempt, notice_version=notice_for(attempt).version)
    attempt = attempt_start(attempt=attempt)
    assert attempt.deadline_at is not None and attempt.started_at is not None
    assert (attempt.deadline_at - attempt.started_at).total_seconds() == 15 * 60
    event = AuditEvent.objects.get(action="attempt.accommodate")
    assert event.subject == attempt.audit_id and event.actor == world.manager.audit_id
    assert event.payload == {"time_multiplier": "1.50", "previous": "1.00"}
    assert audit_verify().ok


def test_the_notice_states_the_extended_time(world: World) -> None:
    attempt = world.claimed_attempt()
    before = notice_for(attempt)
    attempt_accommodate(actor=world.manager, attempt=attempt, time_multiplier=2.0)
    after = notice_for(Attempt.objects.get(pk=attempt.pk))
    assert (before.total_minutes, after.total_minutes) == (10, 20)
    assert before.version != after.version  # a notice read before the change must be re-read


@pytest.mark.parametrize("multiplier", [0.99, 3.01, float("nan"), float("inf")])
def test_extra_time_out_of_bounds_is_refused(world: World, multiplier: float) -> None:
    attempt = world.claimed_attempt()
    with pytest.raises(AssessmentError, match=r"between 1 \(no extra time\) and 3"):
        attempt_accommodate(actor=world.manager, attempt=attempt, time_multiplier=multiplier)
    assert Attempt.objects.get(pk=attempt.pk).time_multiplier == 1.0
    assert not AuditEvent.objects.filter(action="attempt.accommodate").exists()


@pytest.mark.parametrize("multiplier", [1.0, 3.0])
def test_the_bounds_themselves_are_accepted(world: World, multiplier: float) -> None:
    attempt = world.claimed_attempt()
    attempt_accommodate(actor=world.manager, attempt=attempt, time_multiplier=multiplier)
    assert Attempt.objects.get(pk=attempt.pk).time_multiplier == multiplier


def test_extra_time_is_refused_once_the_clock_has_started(world: World) -> None:
    attempt = started(world)
    deadline = attempt.deadline_at
    with pytest.raises(AssessmentError, match="already started"):
        attempt_accommodate(actor=world.manager, attempt=attempt, time_multiplier=2.0)
    attempt.refresh_from_db()
    assert attempt.time_multiplier == 1.0 and attempt.deadline_at == deadline


def test_only_editors_of_the_attempt_s_organisation_grant_extra_time(world: World) -> None:
    attempt = world.claimed_attempt()
    interviewer = make_member(world.manager.organisation, MembershipRole.INTERVIEWER)
    with pytest.raises(PermissionDenied):
        attempt_accommodate(actor=interviewer, attempt=attempt, time_multiplier=2.0)
    with pytest.raises(PermissionDenied):
        attempt_accommodate(
            actor=owner_of(make_organisation("Globex")), attempt=attempt, time_multiplier=2.0
        )
    assert Attempt.objects.get(pk=attempt.pk).time_multiplier == 1.0
