"""Invitations: single-use expiring links, e-mailed through a real SMTP server, bulk from CSV."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.assessments.conftest import World
from tests.conftest import Inbox
from vetta.assessments.errors import InvitationInvalid
from vetta.assessments.models import Invitation
from vetta.assessments.selectors import invitation_for_token
from vetta.assessments.services.invitations import (
    invitation_bulk_create,
    invitation_claim,
    invitation_create,
    invitation_refusal,
    invitation_resend,
    invitation_revoke,
)

pytestmark = pytest.mark.django_db


def _wait_for(inbox: Inbox, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def test_an_invitation_arrives_by_email_with_a_working_link(
    world: World, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        issued = invitation_create(actor=world.manager, plan=world.plan, email="Ada@Example.org")
    _wait_for(smtp, 1)
    (mail,) = smtp.messages
    assert mail["To"] == "ada@example.org"
    body = mail.get_payload(decode=True).decode()
    assert issued.url in body and "alternative process" in body
    attempt = invitation_claim(token=issued.url.rsplit("/", 1)[-1])
    assert attempt.candidate.email == "ada@example.org"


def test_a_link_works_only_once(world: World) -> None:
    token, _ = world.invite()
    invitation_claim(token=token)
    with pytest.raises(InvitationInvalid, match="already been used"):
        invitation_claim(token=token)


def test_an_expired_link_is_refused(world: World) -> None:
    token, invitation = world.invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    with pytest.raises(InvitationInvalid, match="expired"):
        invitation_claim(token=token)


def test_a_revoked_link_is_refused(world: World) -> None:
    token, invitation = world.invite()
    invitation_revoke(actor=world.manager, invitation=invitation)
    with pytest.raises(InvitationInvalid, match="withdrawn"):
        invitation_claim(token=token)


def test_an_unknown_link_is_refused(world: World) -> None:
    with pytest.raises(InvitationInvalid, match="not valid"):
        invitation_claim(token="not-a-token")


def test_a_link_can_be_looked_at_without_using_it_up(world: World) -> None:
    token, invitation = world.invite()
    assert invitation_for_token(token=token) == invitation
    assert invitation_refusal(invitation_for_token(token=token)) is None
    invitation_claim(token=token)
    assert "already been used" in (invitation_refusal(invitation_for_token(token=token)) or "")
    assert invitation_for_token(token="not-a-token") is None
    assert "not valid" in (invitation_refusal(None) or "")


def test_a_resent_link_leads_back_to_the_same_attempt_and_the_old_one_dies(world: World) -> None:
    token, invitation = world.invite()
    attempt = invitation_claim(token=token)
    issued = invitation_resend(actor=world.manager, invitation=invitation)
    with pytest.raises(InvitationInvalid):
        invitation_claim(token=token)
    assert invitation_claim(token=issued.url.rsplit("/", 1)[-1]) == attempt


def test_every_candidate_gets_their_own_variant(world: World) -> None:
    one = world.claimed_attempt("one@example.org").items.get()
    two = world.claimed_attempt("two@example.org").items.get()
    assert one.variant_seed != two.variant_seed


def test_bulk_invitations_report_every_row(
    world: World, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    csv_text = (
        "email,name\n"
        "grace@example.org,Grace Hopper\n"
        "not-an-email,Nobody\n"
        "grace@example.org,Grace again\n"
        "\n"
        "alan@example.org,Alan\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = invitation_bulk_create(actor=world.manager, plan=world.plan, csv_text=csv_text)
    assert [(r.line, r.status) for r in report.rows] == [
        (2, "invited"),
        (3, "error"),
        (4, "skipped"),
        (6, "invited"),
    ]
    assert "not a valid e-mail" in report.rows[1].message
    _wait_for(smtp, 2)
    assert sorted(m["To"] for m in smtp.messages) == ["alan@example.org", "grace@example.org"]


def test_a_second_pending_invitation_for_the_same_person_is_skipped_in_bulk(world: World) -> None:
    world.invite("ada@example.org")
    report = invitation_bulk_create(
        actor=world.manager, plan=world.plan, csv_text="email\nada@example.org\n"
    )
    assert report.rows[0].status == "skipped" and "pending" in report.rows[0].message
