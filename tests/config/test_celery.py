"""Tasks sent from Django processes go to Vetta's broker, not Celery's default one."""

from __future__ import annotations

from celery import current_app
from django.conf import settings

from vetta.assessments.tasks import grade_run_task
from vetta.integrations.tasks import deliver_webhook_task


def test_tasks_are_sent_with_vetta_s_app_and_its_configured_broker() -> None:
    for task in (grade_run_task, deliver_webhook_task):
        assert task.app.main == "vetta"
        assert task.app.conf.broker_url == settings.CELERY_BROKER_URL
    assert current_app.main == "vetta"
