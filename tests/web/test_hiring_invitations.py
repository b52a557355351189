"""Invitations from the plan page: one by e-mail through a real SMTP server, many from a CSV file
with a report per row, resend and revoke."""

from __future__ import annotations

import html
import re
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.assessments.conftest import FIXTURE_BANK, World
from tests.conftest import Inbox, free_port
from tests.orgs.factories import builtin, make_member, make_organisation, owner_of
from vetta.assessments.errors import InvitationInvalid
from vetta.assessments.models import Invitation
from vetta.assessments.services.bank import bank_sync
from vetta.assessments.services.invitations import invitation_claim
from vetta.assessments.services.plans import plan_create
from vetta.orgs.models import Membership, MembershipRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any) -> World:
    """A plan of the fast tiny-adder exercise, made by Acme's hiring manager."""
    settings.VETTA_EXERCISES_DIR = FIXTURE_BANK
    settings.VETTA_BASE_URL = "https://vetta.acme.example"
    bank_sync()
    manager = make_member(make_organisation("Acme"), MembershipRole.HIRING_MANAGER)
    plan = plan_create(
        actor=manager,
        role_profile=builtin("classical_ml"),
        name="Data engineer",
        time_budget_minutes=60,
        exercise_slugs=["tiny-adder"],
    )
    return World(manager=manager, plan=plan)


def client_for(member: Membership, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(member.user)
    return client


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def plain(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode())))


def shown_link(response: Any) -> str:
    match = re.search(r'id="invitation-link" value="([^"]+)"', response.content.decode())
    assert match is not None, "the page shows no link"
    return match.group(1)


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def wait_for(inbox: Inbox, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def invite(client: Client, world: World, email: str = "ada@example.org", **extra: Any) -> Any:
    data = {"invite-email": email, "invite-name": "Ada Lovelace", "invite-expires_in_days": 7}
    data.update(extra)
    return client.post(reverse("hiring_invite", args=[world.plan.public_id]), data)


def upload(client: Client, world: World, content: str) -> Any:
    return client.post(
        reverse("hiring_invite_bulk", args=[world.plan.public_id]),
        {
            "bulk-file": SimpleUploadedFile("people.csv", content.encode(), "text/csv"),
            "bulk-expires_in_days": 14,
        },
    )


# transaction=True: the e-mail goes out when the invitation commits, as in production, so the
# page can say whether it was sent.
@pytest.mark.django_db(transaction=True)
def test_an_invited_candidate_receives_the_link_the_page_shows_once(
    world: World, smtp: Inbox
) -> None:
    client = client_for(world.manager)
    response = invite(client, world, email="Ada@Example.org")
    assert response.status_code == 200
    link = shown_link(response)
    assert link.startswith("https://vetta.acme.example/invite/")
    assert "The invitation e-mail was sent to <strong>ada@example.org</strong>" in text(response)
    assert 'data-copy-target="invitation-link"' in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    wait_for(smtp, 1)
    (mail,) = smtp.messages
    assert mail["To"] == "ada@example.org"
    assert link in mail.get_payload(decode=True).decode()
    plan_page = client.get(reverse("hiring_plan_detail", args=[world.plan.public_id]))
    assert token_of(link) not in plan_page.content.decode()  # shown once, never again
    row = text(plan_page).split("ada@example.org", 1)[1]
    assert "Pending" in row and "sent " in row and "not opened" in row
    assert invitation_claim(token=token_of(link)).candidate.name == "Ada Lovelace"


@pytest.mark.django_db(transaction=True)
def test_when_the_mail_server_is_down_the_link_is_shown_to_pass_on(
    world: World, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    response = invite(client_for(world.manager), world)
    assert "The e-mail could not be sent" in text(response)
    invitation = Invitation.objects.get(candidate__email="ada@example.org")
    assert invitation.email_sent_at is None
    assert invitation_claim(token=token_of(shown_link(response))).invitation == invitation


def test_an_invalid_address_is_refused_on_the_plan_page(world: World) -> None:
    response = invite(client_for(world.manager), world, email="ada-at-example")
    assert response.status_code == 200
    assert "Enter a valid email address." in text(response)
    assert not Invitation.objects.exists()


def test_a_second_pending_invitation_is_refused_with_the_reason(world: World) -> None:
    client = client_for(world.manager)
    invite(client, world)
    response = invite(client, world)
    assert "ada@example.org already has a pending invitation to this plan" in text(response)
    assert Invitation.objects.count() == 1


def test_a_csv_file_gets_a_report_of_every_row(world: World) -> None:
    client = client_for(world.manager)
    invite(client, world, email="old@example.org")
    response = upload(
        client,
        world,
        "Email,Name\n"
        "grace@example.org,Grace Hopper\n"
        "not-an-email,Nobody\n"
        "GRACE@example.org,Grace again\n"
        "old@example.org,Already invited\n"
        "\n"
        "alan@example.org,Alan Turing\n",
    )
    assert response.status_code == 200
    assert "2 invited, 2 skipped, 1 with errors" in plain(response)
    rows = [
        [
            re.sub(r"<[^>]+>|\s+", " ", cell).split()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r'<tr class="bulk-\w+">(.*?)</tr>', response.content.decode(), re.S)
    ]
    assert [(r[0][0], r[1][0], r[2][0]) for r in rows] == [
        ("2", "grace@example.org", "Invited"),
        ("3", "not-an-email", "Error"),
        ("4", "grace@example.org", "Skipped"),
        ("5", "old@example.org", "Skipped"),
        ("7", "alan@example.org", "Invited"),
    ]
    body = plain(response)
    assert "'not-an-email' is not a valid e-mail address" in body
    assert "Repeated in this file" in body and "already has a pending invitation" in body
    assert set(Invitation.objects.values_list("candidate__email", flat=True)) == {
        "old@example.org",
        "grace@example.org",
        "alan@example.org",
    }


def test_a_csv_file_without_an_email_column_is_refused(world: World) -> None:
    response = upload(client_for(world.manager), world, "name\nGrace\n")
    assert "the CSV needs a header row with an `email` column" in text(response)
    assert not Invitation.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_advice(world: World) -> None:
    response = client_for(world.manager).post(
        reverse("hiring_invite_bulk", args=[world.plan.public_id]),
        {
            "bulk-file": SimpleUploadedFile(
                "people.csv", "email\nzoë@example.org\n".encode("latin-1")
            ),
            "bulk-expires_in_days": 14,
        },
    )
    assert "save it as “CSV UTF-8”" in text(response)


def test_resending_gives_a_new_link_and_kills_the_old_one(world: World) -> None:
    old_token, invitation = world.invite()
    client = client_for(world.manager)
    response = client.post(reverse("hiring_invitation_resend", args=[invitation.public_id]))
    assert response.status_code == 200
    new_link = shown_link(response)
    assert token_of(new_link) != old_token
    with pytest.raises(InvitationInvalid):
        invitation_claim(token=old_token)
    assert invitation_claim(token=token_of(new_link)).invitation == invitation


def test_revoking_kills_the_link_and_shows_the_status(world: World) -> None:
    token, invitation = world.invite()
    client = client_for(world.manager)
    response = client.post(
        reverse("hiring_invitation_revoke", args=[invitation.public_id]), follow=True
    )
    body = text(response)
    assert "The invitation of ada@example.org was revoked" in body
    assert "Revoked" in body.split("ada@example.org", 2)[2]
    with pytest.raises(InvitationInvalid, match="withdrawn"):
        invitation_claim(token=token)


def test_the_invitation_list_shows_each_status(world: World) -> None:
    world.invite("pending@example.org")
    used_token, _ = world.invite("used@example.org")
    attempt = invitation_claim(token=used_token)
    page = text(
        client_for(world.manager).get(reverse("hiring_plan_detail", args=[world.plan.public_id]))
    )
    assert "pending@example.org" in page and "Pending" in page
    used_row = page.split("used@example.org", 1)[1].split("</tr>", 1)[0]
    assert "Used" in used_row and "Waiting for the notice to be acknowledged" in used_row
    assert reverse("hiring_attempt_detail", args=[attempt.public_id]) in used_row


def test_interviewers_cannot_invite_resend_or_revoke(world: World) -> None:
    _, invitation = world.invite()
    interviewer = make_member(world.manager.organisation, MembershipRole.INTERVIEWER)
    client = client_for(interviewer)
    assert invite(client, world, email="new@example.org").status_code == 403
    assert upload(client, world, "email\nnew@example.org\n").status_code == 403
    assert (
        client.post(reverse("hiring_invitation_resend", args=[invitation.public_id])).status_code
        == 403
    )
    assert (
        client.post(reverse("hiring_invitation_revoke", args=[invitation.public_id])).status_code
        == 403
    )
    invitation.refresh_from_db()
    assert invitation.status == "pending" and Invitation.objects.count() == 1


def test_another_organisation_cannot_touch_the_invitations(world: World) -> None:
    _, invitation = world.invite()
    stranger = client_for(owner_of(make_organisation("Globex")))
    assert invite(stranger, world, email="new@example.org").status_code == 404
    assert (
        stranger.post(reverse("hiring_invitation_revoke", args=[invitation.public_id])).status_code
        == 404
    )
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_inviting_without_the_page_s_csrf_token_is_refused(world: World) -> None:
    client = client_for(world.manager, enforce_csrf_checks=True)
    assert invite(client, world).status_code == 403
    assert not Invitation.objects.exists()
