"""Wrong passwords are throttled per account and per client address, with a clear message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.orgs.factories import PASSWORD, make_user
from vetta.orgs.models import LoginFailure
from vetta.orgs.services import login_failure_record, login_throttle_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.VETTA_LOGIN_MAX_FAILURES = 3
    settings.VETTA_LOGIN_MAX_FAILURES_PER_ADDRESS = 5
    settings.VETTA_LOGIN_WINDOW_SECONDS = 600


def login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_a_wrong_password_says_so_without_throttling_at_first() -> None:
    make_user("ada")
    response = login(Client(), "ada", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_too_many_wrong_passwords_lock_the_account_with_a_clear_message() -> None:
    make_user("ada")
    client = Client()
    for _ in range(2):
        login(client, "ada", "wrong")
    response = login(client, "ada", "wrong")
    assert "Too many attempts, try again in 10 minutes." in response.content.decode()
    # Even the right password is refused while locked, from anywhere.
    response = login(Client(), "ada", PASSWORD, address="192.0.2.7")
    assert "Too many attempts, try again in 10 minutes." in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_the_lock_is_per_account_across_clients_and_case_insensitive() -> None:
    make_user("ada")
    make_user("grace")
    for n in range(3):
        login(Client(), "Ada" if n % 2 else "ada", "wrong", address=f"10.0.0.{n + 1}")
    assert "Too many attempts" in login(Client(), "ada", PASSWORD).content.decode()
    response = login(Client(), "grace", PASSWORD, address="10.9.9.9")
    assert response.status_code == 302


def test_many_failures_from_one_address_lock_that_address_for_every_account() -> None:
    make_user("grace")
    for n in range(5):
        login(Client(), f"nobody{n}", "wrong", address="203.0.113.5")
    blocked = login(Client(), "grace", PASSWORD, address="203.0.113.5")
    assert "Too many attempts" in blocked.content.decode()
    assert login(Client(), "grace", PASSWORD, address="203.0.113.6").status_code == 302


def test_the_lock_lifts_when_the_failures_age_out_of_the_window() -> None:
    make_user("ada")
    for _ in range(3):
        login(Client(), "ada", "wrong")
    LoginFailure.objects.update(created_at=timezone.now() - timedelta(seconds=601))
    assert login(Client(), "ada", PASSWORD).status_code == 302


def test_the_message_counts_down_the_minutes_left() -> None:
    for _ in range(3):
        login_failure_record(account="ada", client_address="")
    LoginFailure.objects.update(created_at=timezone.now() - timedelta(seconds=540))
    status = login_throttle_status(account="ada", client_address="")
    assert status.locked
    assert status.message == "Too many attempts, try again in 1 minute."


def test_a_successful_login_forgets_the_account_s_earlier_failures() -> None:
    make_user("ada")
    for _ in range(2):
        login(Client(), "ada", "wrong")
    assert login(Client(), "ada", PASSWORD).status_code == 302
    for _ in range(2):
        login(Client(), "ada", "wrong")
    assert login(Client(), "ada", PASSWORD).status_code == 302


def test_attempts_while_locked_do_not_extend_the_lock() -> None:
    make_user("ada")
    for _ in range(3):
        login(Client(), "ada", "wrong")
    for _ in range(5):
        login(Client(), "ada", "wrong")
    assert LoginFailure.objects.count() == 3


def test_failures_store_neither_the_username_nor_the_address() -> None:
    login(Client(), "ada.lovelace@example.org", "wrong", address="198.51.100.23")
    row = LoginFailure.objects.get()
    stored = f"{row.account_digest} {row.address_digest}"
    assert "ada" not in stored
    assert "198.51" not in stored


def test_the_admin_login_is_throttled_too() -> None:
    make_user("root", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(3):
        client.post(reverse("admin:login"), {"username": "root", "password": "wrong"})
    client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
