"""A mail server that is down loses no invitation: the link is still handed back, the
invitation says it was not e-mailed, and a CSV file's other rows still go through."""

from __future__ import annotations

from typing import Any

import pytest

from tests.assessments.conftest import World
from tests.conftest import free_port
from vetta.assessments.models import Invitation
from vetta.assessments.services.invitations import (
    invitation_bulk_create,
    invitation_claim,
    invitation_create,
)

# transaction=True: e-mails go out when the invitation commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mail_server_down(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2


def test_an_invitation_whose_mail_fails_keeps_its_working_link(
    world: World, mail_server_down: None
) -> None:
    issued = invitation_create(actor=world.manager, plan=world.plan, email="ada@example.org")
    invitation = Invitation.objects.get(pk=issued.invitation.pk)
    assert invitation.email_sent_at is None
    assert invitation_claim(token=issued.url.rsplit("/", 1)[-1]).invitation == invitation


def test_a_failing_mail_server_does_not_stop_a_csv_file(
    world: World, mail_server_down: None
) -> None:
    report = invitation_bulk_create(
        actor=world.manager, plan=world.plan, csv_text="email\na@example.org\nb@example.org\n"
    )
    assert [r.status for r in report.rows] == ["invited", "invited"]
    assert Invitation.objects.filter(email_sent_at__isnull=True).count() == 2
