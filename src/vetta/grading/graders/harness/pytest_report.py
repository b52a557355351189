"""A pytest plugin that writes one JSON line per test to VETTA_REPORT (inside the sandbox).

Loaded with `-p pytest_report` and plugin autoload off. The candidate controls this process, so
the report is feedback for the candidate only; it never counts towards a score.
"""

from __future__ import annotations

import json
import os
from typing import Any

_MAX_MESSAGE = 4000


def pytest_runtest_logreport(report: Any) -> None:
    if report.when != "call" and not (report.when == "setup" and report.outcome != "passed"):
        return
    message = ""
    if report.outcome != "passed":
        message = str(report.longrepr)[-_MAX_MESSAGE:]
    record = {"name": report.nodeid, "outcome": report.outcome, "message": message}
    with open(os.environ["VETTA_REPORT"], "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
