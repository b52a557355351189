"""The Celery application; the same tasks run in embedded and scale-out mode."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetta.config.settings")

app = Celery("vetta")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
