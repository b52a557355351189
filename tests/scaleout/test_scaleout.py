"""Scale-out for real: `vetta worker` processes on the machine's PostgreSQL and Redis grade
submissions made through the services, each exactly once, and survive a worker's death; and the
embedded mode's worker, as `vetta up` runs it, on SQLite and the filesystem broker.

Every test owns a throwaway database (and Redis database) and an isolated sandbox (see
`tests.scaleout.harness`), removed afterwards even when it fails.
"""

from __future__ import annotations

import signal
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port
from tests.scaleout.harness import FIXTURE_BANK, VETTA, Deployment, descendants, wait_for

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

STRONG = FIXTURE_BANK / "tiny-adder" / "solutions" / "strong" / "adder.py"
# Right answers, slowly: the main group sleeps inside the sandbox, long enough to be caught
# grading and well within the group's 6 s wall-clock limit.
SLOW = textwrap.dedent(
    """\
    import time


    def add(a, b):
        return a + b


    def mean(xs):
        if xs == [1, 2, 3, 4]:
            time.sleep(3)
        return sum(xs) / len(xs) if xs else 0.0
    """
)


def submit(deployment: Deployment, source: Path, n: int) -> list[str]:
    items = deployment.driver("prepare", "--n", str(n), "--source", str(source))["items"]
    runs: list[str] = deployment.driver("submit", "--items", ",".join(map(str, items)))["runs"]
    assert len(runs) == n
    return runs


def assert_graded_once(deployment: Deployment, runs: list[str]) -> dict[str, Any]:
    """Every run graded right, one result per submission, one `grading.record` per run."""
    report = deployment.driver("report", "--runs", ",".join(runs))
    rows = report["runs"]
    assert sorted(rows) == sorted(runs)
    assert Counter(r["status"] for r in rows.values()) == {"done": len(runs)}, rows
    assert {r["score"] for r in rows.values()} == {1.0}
    assert {r["runs_of_submission"] for r in rows.values()} == {1}
    assert {r["results_of_submission"] for r in rows.values()} == {1}
    assert {r["records"] for r in rows.values()} == {1}
    assert report["records_total"] == len(runs)
    assert report["audit_ok"], report
    return report


@pytest.mark.scaleout
@pytest.mark.usefixtures("servers", "sandbox_ready")
def test_two_workers_grade_twenty_submissions_once_each_and_share_the_work() -> None:
    with Deployment() as deployment:
        workers = [deployment.start_worker(n, wait=False) for n in ("worker-a", "worker-b")]
        items = deployment.driver("prepare", "--n", "20", "--source", str(STRONG))["items"]
        for worker in workers:
            worker.wait_log(" ready.", timeout=120)
        runs = deployment.driver("submit", "--items", ",".join(map(str, items)))["runs"]

        finished = deployment.wait_finished(runs, timeout=240)

        graded_by = Counter(
            owner.name if (owner := deployment.worker_of(r["worker"])) else r["worker"]
            for r in finished.values()
        )
        assert set(graded_by) == {"worker-a", "worker-b"}, graded_by
        assert_graded_once(deployment, runs)


@pytest.mark.scaleout
@pytest.mark.usefixtures("servers", "sandbox_ready")
def test_a_worker_killed_mid_grading_loses_no_submission_and_doubles_none(
    tmp_path: Path,
) -> None:
    slow = tmp_path / "adder.py"
    slow.write_text(SLOW)
    quick_reaper = {"VETTA_GRADING_STALE_SECONDS": "5", "VETTA_GRADING_HEARTBEAT_SECONDS": "1"}
    with Deployment(extra_env=quick_reaper) as deployment:
        keeper = deployment.start_worker("keeper", beat=True, wait=False)
        victim = deployment.start_worker("victim", wait=False)
        items = deployment.driver("prepare", "--n", "6", "--source", str(slow))["items"]
        for worker in (keeper, victim):
            worker.wait_log(" ready.", timeout=120)
        runs = deployment.driver("submit", "--items", ",".join(map(str, items)))["runs"]

        def victim_grading() -> tuple[str, str, set[int]] | None:
            """The victim's running run, claimed, with its candidate code in the sandbox."""
            family = descendants(victim.pid)
            boxed = {pid for pid, _, _ in deployment.sandbox_processes() if pid in family}
            for run_id, row in deployment.runs(runs).items():
                running = row["status"] == "running" and row["claim"] and boxed
                if running and deployment.worker_of(row["worker"]) is victim:
                    return run_id, row["worker"], boxed
            return None

        lost_run, lost_worker, boxed = wait_for(
            victim_grading, timeout=120, what="the victim to grade in the sandbox", interval=0.05
        )
        victim.kill()

        # The sandbox dies with its parent (--die-with-parent), nothing else is needed.
        wait_for(
            lambda: not {p for p, _, _ in deployment.sandbox_processes()} & boxed,
            timeout=15,
            what="the killed worker's sandbox processes to end",
        )
        finished = deployment.wait_finished(runs, timeout=240)
        report = assert_graded_once(deployment, runs)

        assert finished[lost_run]["deliveries"] >= 2
        assert {r["deliveries"] for k, r in finished.items() if k != lost_run} == {1}
        assert report["runs"][lost_run]["worker"] != lost_worker
        assert "reaper" in keeper.log_text() and lost_run in keeper.log_text()
        wait_for(
            lambda: not deployment.sandbox_processes() and not deployment.processes_in_cgroups(),
            timeout=15,
            what="no sandbox process left on the slot uids or in the cgroups",
        )


@pytest.mark.usefixtures("sandbox_ready")
def test_vetta_up_grades_a_submission_with_its_embedded_worker_on_sqlite() -> None:
    with Deployment(scaleout=False) as deployment:
        up = deployment.start(
            "up", [str(VETTA), "up", "--port", str(free_port()), "--workers", "1"]
        )
        runs = submit(deployment, STRONG, 1)
        up.wait_log("Press Ctrl-C to stop.", timeout=120)

        deployment.wait_finished(runs, timeout=120)

        assert_graded_once(deployment, runs)
        up.popen.send_signal(signal.SIGINT)
        assert up.popen.wait(timeout=60) == 0, up.tail()
