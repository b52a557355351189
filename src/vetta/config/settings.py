"""Django settings, all read from the environment (see docs/operations.md for the full list).

Embedded mode (the default) needs nothing set: SQLite and a filesystem queue under VETTA_HOME.
Scale-out mode sets DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from vetta import paths
from vetta.config.env import Env

django_stubs_ext.monkeypatch()
env = Env()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SOURCE_ROOT = paths.SOURCE_ROOT
# Data lives next to the checkout when running from source, so `make start` is self-contained.
VETTA_HOME = paths.vetta_home()
VETTA_HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = env.raw("VETTA_SECRET_KEY")
    if configured is not None:
        if len(configured) < 32:
            raise ImproperlyConfigured("VETTA_SECRET_KEY must be at least 32 characters long")
        return configured
    # Self-hosted single-machine installs get a key generated once and kept private on disk.
    key_file = VETTA_HOME / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.boolean("VETTA_DEBUG", False)
ALLOWED_HOSTS = env.strings(
    "VETTA_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.strings("VETTA_CSRF_TRUSTED_ORIGINS", [])
VETTA_BASE_URL = env.string("VETTA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # First, so its templates (login, password reset) win over the admin app's of the same name.
    "vetta.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Only for the API docs page's templates and Swagger UI assets, served locally (no CDN).
    "ninja",
    "vetta.governance",
    "vetta.orgs",
    "vetta.catalog",
    "vetta.assessments",
    "vetta.integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "vetta.config.urls"
WSGI_APPLICATION = "vetta.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _databases() -> dict[str, Any]:
    url = env.string("DATABASE_URL", f"sqlite:///{VETTA_HOME / 'vetta.sqlite3'}")
    scheme = url.split(":", 1)[0]
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL scheme {scheme!r} is not supported; use sqlite:///PATH or "
            "postgresql://USER@HOST:PORT/NAME"
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
    if config["ENGINE"].endswith("sqlite3"):
        # WAL lets the web process read while the embedded worker writes a result.
        # IMMEDIATE takes the write lock when a transaction starts, so writers queue instead of
        # failing with "database is locked" when one upgrades from reading to writing; the audit
        # chain relies on it to hand out gapless indexes.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
        config["CONN_MAX_AGE"] = 0
    return {"default": config}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _caches() -> dict[str, Any]:
    url = env.raw("VETTA_CACHE_URL")
    if url is None:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(VETTA_HOME / "cache"),
            }
        }
    if url.startswith(("redis://", "rediss://")):
        return {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
    if url == "locmem://":
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    raise ImproperlyConfigured(
        f"VETTA_CACHE_URL={url!r} is not supported; use redis://HOST:PORT/DB or locmem://"
    )


CACHES = _caches()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["vetta.orgs.auth.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# Login throttling: this many failures for one account (or from one client address) within the
# window lock further attempts until enough of them age out. The address limit is higher because
# several people may share one address (an office, a VPN).
VETTA_LOGIN_MAX_FAILURES = env.integer("VETTA_LOGIN_MAX_FAILURES", 5, minimum=1)
VETTA_LOGIN_MAX_FAILURES_PER_ADDRESS = env.integer(
    "VETTA_LOGIN_MAX_FAILURES_PER_ADDRESS", 20, minimum=1
)
VETTA_LOGIN_WINDOW_SECONDS = env.integer("VETTA_LOGIN_WINDOW_SECONDS", 900, minimum=1)

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VETTA_HOME / "static"
# WhiteNoise serves from the app directories (WHITENOISE_USE_FINDERS) but warns when STATIC_ROOT
# is missing; `collectstatic` fills it for deployments behind a separate web server.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = env.path("VETTA_MEDIA_ROOT", VETTA_HOME / "media")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.boolean("VETTA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# E-mail: SMTP when VETTA_EMAIL_HOST is set, otherwise messages are written to VETTA_HOME/outbox so
# a single-machine install can still read its password-reset and invitation mails.
EMAIL_HOST = env.string("VETTA_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.integer("VETTA_EMAIL_PORT", 25, minimum=1)
    EMAIL_HOST_USER = env.string("VETTA_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env.string("VETTA_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env.boolean("VETTA_EMAIL_USE_TLS", False)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VETTA_HOME / "outbox"
DEFAULT_FROM_EMAIL = env.string("VETTA_FROM_EMAIL", "Vetta <vetta@localhost>")

# Queued grading. Embedded: kombu's filesystem transport, no server. Scale-out: Redis or RabbitMQ.
CELERY_BROKER_URL = env.string("CELERY_BROKER_URL", "filesystem://")
_queue_dir = VETTA_HOME / "queue"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("in", "processed", "control"):
        (_queue_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
        "data_folder_in": str(_queue_dir / "in"),
        "data_folder_out": str(_queue_dir / "in"),
        "processed_folder": str(_queue_dir / "processed"),
        "store_processed": False,
        # Exchange tables; kombu's default is "control" in the current directory.
        "control_folder": str(_queue_dir / "control"),
    }
elif not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "amqp://", "pyamqp://")):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL={CELERY_BROKER_URL!r} is not supported; use filesystem://, "
        "redis://HOST:PORT/DB or amqp://USER:PASS@HOST:PORT//"
    )
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# Grading and the exercise bank.
# Invitation links stay valid this many days unless the hiring manager says otherwise.
VETTA_INVITATION_DAYS = env.integer("VETTA_INVITATION_DAYS", 14, minimum=1)
# A grading run whose worker has not sent a heartbeat for this long is presumed dead and re-queued
# (at most VETTA_GRADING_MAX_DELIVERIES times in all, then failed for the platform's reasons).
VETTA_GRADING_STALE_SECONDS = env.integer("VETTA_GRADING_STALE_SECONDS", 120, minimum=5)
VETTA_GRADING_HEARTBEAT_SECONDS = env.integer("VETTA_GRADING_HEARTBEAT_SECONDS", 10, minimum=1)
VETTA_GRADING_MAX_DELIVERIES = env.integer("VETTA_GRADING_MAX_DELIVERIES", 3, minimum=1)
# "Run public tests" is rate-limited per exercise of an attempt: this many runs per window.
VETTA_PUBLIC_TESTS_PER_WINDOW = env.integer("VETTA_PUBLIC_TESTS_PER_WINDOW", 10, minimum=1)
VETTA_PUBLIC_TESTS_WINDOW_SECONDS = env.integer("VETTA_PUBLIC_TESTS_WINDOW_SECONDS", 600, minimum=1)
# Run candidate code without the sandbox: only for exercise authoring on a machine that cannot
# sandbox. Logged loudly on every run; never set it where candidates submit.
VETTA_UNSAFE_NO_SANDBOX = env.boolean("VETTA_UNSAFE_NO_SANDBOX", False)
VETTA_EXERCISES_DIR = env.path(
    "VETTA_EXERCISES_DIR", (SOURCE_ROOT / "exercises") if SOURCE_ROOT else VETTA_HOME / "exercises"
)

# Webhooks. Private, loopback and link-local addresses are refused (server-side request forgery)
# unless this is set, e.g. for a receiver on the same machine or in the same private network.
VETTA_WEBHOOK_ALLOW_PRIVATE = env.boolean("VETTA_WEBHOOK_ALLOW_PRIVATE", False)
# Requests per delivery in all, the first included; waits between them double from the base.
VETTA_WEBHOOK_MAX_ATTEMPTS = env.integer("VETTA_WEBHOOK_MAX_ATTEMPTS", 6, minimum=1)
VETTA_WEBHOOK_BACKOFF_SECONDS = env.integer("VETTA_WEBHOOK_BACKOFF_SECONDS", 60, minimum=1)

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # httpx logs every request at INFO; `vetta up` polls /healthz with it.
    "loggers": {"httpx": {"level": "WARNING"}},
    "root": {
        "handlers": ["console"],
        "level": env.choice("VETTA_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
}
