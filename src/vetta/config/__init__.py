"""Settings, URLs, the WSGI entry point and the Celery application.

The Celery application is loaded with the settings, as Celery's Django guide does, so that every
process that runs Django (the web, management commands, the test suite) sends tasks through it:
`@shared_task` otherwise falls back to Celery's default application, which knows neither the
broker's transport options nor (without CELERY_BROKER_URL in the environment) the broker itself.
"""

from vetta.config.celery import app as celery_app

__all__ = ("celery_app",)
