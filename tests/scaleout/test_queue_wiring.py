"""How tasks reach the queues, seen from a process like the web's (no worker involved)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SEND = """
import json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetta.config.settings")
django.setup()
from celery import current_app
from vetta.assessments.tasks import grade_run_task, reap_grading_runs_task
grade_run_task.delay("a-run")
reap_grading_runs_task.delay()
print(json.dumps({
    "queued": sorted(name.split(".", 1)[1] for name in os.listdir(os.environ["VETTA_HOME"] + "/queue/in")),
    "schedule": {k: [v["schedule"], v["options"]["queue"]] for k, v in current_app.conf.beat_schedule.items()},
}))
"""


def send_from_a_fresh_process(home: Path, cwd: Path, **env: str) -> dict[str, object]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "VETTA_HOME"}
    }
    environ.update(VETTA_HOME=str(home), CELERY_BROKER_URL="filesystem://", **env)
    done = subprocess.run(
        [sys.executable, "-c", SEND],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def test_tasks_sent_outside_the_worker_reach_the_installations_queues(tmp_path: Path) -> None:
    # Before the Celery app was loaded with the settings, a web process sent through Celery's
    # unconfigured default app: no queue folder (embedded) or amqp://localhost (no broker set).
    answer = send_from_a_fresh_process(tmp_path / "home", tmp_path)
    assert answer["queued"] == ["celery.msg", "vetta.periodic.msg"]
    # The filesystem broker keeps its exchange tables in VETTA_HOME, not in the current directory.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


def test_the_reaper_runs_four_times_per_stale_period_on_its_own_queue(tmp_path: Path) -> None:
    answer = send_from_a_fresh_process(tmp_path / "home", tmp_path, VETTA_GRADING_STALE_SECONDS="8")
    assert answer["schedule"] == {
        "reap-grading-runs": [2.0, "vetta.periodic"],
        "expire-attempts": [30.0, "vetta.periodic"],
        "resume-webhook-deliveries": [60.0, "vetta.periodic"],
    }
