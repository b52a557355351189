"""The web process sends grading to the broker the settings name, through Vetta's Celery app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_a_django_process_queues_tasks_on_the_configured_broker(tmp_path: Path) -> None:
    # A fresh process that starts Django as gunicorn does (wsgi), never importing the Celery
    # module by name: the tasks must still go through the app configured from the settings.
    probe = (
        "import json, vetta.config.wsgi\n"
        "from vetta.assessments.tasks import grade_run_task as t\n"
        "print(json.dumps([t.app.main, t.app.conf.broker_url,"
        " t.app.conf.broker_transport_options.get('data_folder_in')]))\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["VETTA_HOME"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    main, broker, folder = json.loads(out.stdout.strip().splitlines()[-1])
    assert (main, broker) == ("vetta", "filesystem://")
    assert folder == str(tmp_path / "queue" / "in")
