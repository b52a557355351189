"""The Celery application; the same tasks run in embedded and scale-out mode.

`vetta.config` imports it, so every process that loads the settings (web, CLI, worker) sends
tasks through this app and its broker settings, not Celery's unconfigured default app.
Nothing here reads the settings at import time: the settings module itself imports this one.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetta.config.settings")

# Periodic maintenance has a queue of its own, consumed by one small process next to the grading
# worker (`vetta worker --beat`): behind a backlog of gradings in the shared queue, the reaper
# would otherwise wait for the whole backlog before rescuing a dead worker's run.
GRADING_QUEUE = "celery"
PERIODIC_QUEUE = "vetta.periodic"

app = Celery("vetta")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["vetta.assessments", "vetta.integrations"])


def reap_interval(stale_seconds: float) -> float:
    """Seconds between reaper passes: four per stale period, so a dead worker's run is re-queued
    within 1.25 x VETTA_GRADING_STALE_SECONDS of its last heartbeat; at most every 30 s."""
    return max(1.0, min(30.0, stale_seconds / 4))


@app.on_after_configure.connect
def _schedule(sender: Celery, source: Any, **kwargs: Any) -> None:
    """Periodic work, run by the one worker started with `vetta worker --beat` (`vetta up`
    does)."""
    from django.conf import settings

    periodic = {"queue": PERIODIC_QUEUE}
    source.task_routes = {
        "vetta.reap_grading_runs": periodic,
        "vetta.expire_attempts": periodic,
        "vetta.resume_webhook_deliveries": periodic,
    }
    source.beat_schedule = {
        "reap-grading-runs": {
            "task": "vetta.reap_grading_runs",
            "schedule": reap_interval(settings.VETTA_GRADING_STALE_SECONDS),
            "options": periodic,
        },
        "expire-attempts": {
            "task": "vetta.expire_attempts",
            "schedule": 30.0,
            "options": periodic,
        },
        "resume-webhook-deliveries": {
            "task": "vetta.resume_webhook_deliveries",
            "schedule": 60.0,
            "options": periodic,
        },
    }
