"""Settings, URLs, WSGI and the Celery app of a Vetta installation."""

from vetta.config.celery import app as celery_app

__all__ = ["celery_app"]
