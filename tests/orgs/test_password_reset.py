"""Password reset by e-mail, through a real SMTP server listening on this machine."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Inbox
from tests.orgs.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_a_reset_link_arrives_by_smtp_and_sets_a_new_password(smtp: Inbox) -> None:
    user = make_user("ada")
    client = Client()
    response = client.post(reverse("password_reset"), {"email": "ada@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")

    (mail,) = smtp.messages
    assert mail["X-Rcpt-To"] == "ada@example.org"
    assert mail["Subject"] == "Reset your Vetta password"
    body = mail.get_payload(decode=True).decode()
    link = re.search(r"http://testserver(/password-reset/\S+/\S+/)", body)
    assert link is not None

    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")
    assert not user.check_password(PASSWORD)

    again = client.get(link.group(1), follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(smtp: Inbox) -> None:
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert smtp.messages == []
