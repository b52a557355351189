"""The Celery application; the same tasks run in embedded and scale-out mode."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetta.config.settings")

app = Celery("vetta")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["vetta.assessments", "vetta.integrations"])

# Periodic work, run by the one worker started with `vetta worker --beat` (`vetta up` does).
app.conf.beat_schedule = {
    "reap-grading-runs": {"task": "vetta.reap_grading_runs", "schedule": 30.0},
    "expire-attempts": {"task": "vetta.expire_attempts", "schedule": 30.0},
    "resume-webhook-deliveries": {"task": "vetta.resume_webhook_deliveries", "schedule": 60.0},
}
