"""Settings come from the environment and fail loudly, naming the variable, on bad values."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

import vetta.config.settings as live_settings
from vetta.config.env import Env

SETTINGS_FILE = Path(live_settings.__file__)


@pytest.fixture
def load(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Evaluates settings.py afresh under the given environment, without touching Django."""

    def run(**environ: str) -> dict[str, Any]:
        for name in ("DATABASE_URL", "VETTA_CACHE_URL", "CELERY_BROKER_URL", "VETTA_SECRET_KEY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("VETTA_HOME", str(tmp_path))
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return run


def test_embedded_defaults_need_no_environment(load) -> None:
    settings = load()
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["DATABASES"]["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings["CELERY_BROKER_URL"] == "filesystem://"
    assert settings["DEBUG"] is False
    assert len(settings["SECRET_KEY"]) >= 32


def test_the_generated_secret_key_is_kept_private_and_stable(load, tmp_path: Path) -> None:
    first = load()["SECRET_KEY"]
    assert load()["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_database_url_switches_to_postgresql(load) -> None:
    settings = load(DATABASE_URL="postgresql://vetta:pw@db.internal:5433/vetta_prod")
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal",
        5433,
        "vetta_prod",
    )


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"VETTA_DEBUG": "maybe"}, "VETTA_DEBUG='maybe' is not a boolean"),
        ({"VETTA_SECURE_COOKIES": "2"}, "VETTA_SECURE_COOKIES='2' is not a boolean"),
        ({"VETTA_LOGIN_MAX_FAILURES": "five"}, "VETTA_LOGIN_MAX_FAILURES='five' is not a whole"),
        ({"VETTA_LOGIN_WINDOW_SECONDS": "0"}, "VETTA_LOGIN_WINDOW_SECONDS=0 must be at least 1"),
        ({"DATABASE_URL": "mysql://root@localhost/vetta"}, "DATABASE_URL scheme 'mysql'"),
        ({"VETTA_CACHE_URL": "memcached://localhost"}, "VETTA_CACHE_URL='memcached://localhost'"),
        ({"CELERY_BROKER_URL": "sqs://queue"}, "CELERY_BROKER_URL='sqs://queue'"),
        ({"VETTA_SECRET_KEY": "short"}, "VETTA_SECRET_KEY must be at least 32"),
        ({"VETTA_LOG_LEVEL": "LOUD"}, "VETTA_LOG_LEVEL='LOUD' must be one of"),
        (
            {"VETTA_EMAIL_HOST": "smtp.example.org", "VETTA_EMAIL_PORT": "smtp"},
            "VETTA_EMAIL_PORT='smtp' is not a whole number",
        ),
    ],
)
def test_a_bad_value_stops_start_up_and_names_the_variable(
    load, environ: dict[str, str], named: str
) -> None:
    with pytest.raises(ImproperlyConfigured) as caught:
        load(**environ)
    assert named in str(caught.value)


def test_scale_out_urls_are_accepted(load) -> None:
    settings = load(
        VETTA_CACHE_URL="redis://127.0.0.1:6379/1", CELERY_BROKER_URL="redis://127.0.0.1:6379/0"
    )
    assert settings["CACHES"]["default"]["BACKEND"].endswith("RedisCache")
    assert settings["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/0"


def test_an_smtp_host_switches_e_mail_to_smtp(load) -> None:
    settings = load(VETTA_EMAIL_HOST="smtp.example.org", VETTA_EMAIL_PORT="587")
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["EMAIL_PORT"] == 587


@pytest.mark.parametrize(("value", "expected"), [("yes", True), ("0", False), ("On", True)])
def test_booleans_accept_the_usual_spellings(value: str, expected: bool) -> None:
    assert Env({"X": value}).boolean("X", not expected) is expected


def test_lists_are_comma_separated() -> None:
    assert Env({"HOSTS": "a.example, b.example,"}).strings("HOSTS", []) == [
        "a.example",
        "b.example",
    ]
