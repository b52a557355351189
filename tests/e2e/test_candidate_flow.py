"""The whole candidate path, in Debian's Chromium, against Vetta started the way users start it.

`vetta up` runs in a subprocess on a fresh VETTA_HOME (SQLite file, filesystem queue, the
embedded Celery worker grading in the real sandbox). The hiring team's part is prepared through
the services by a helper process on that same home (tests/e2e/candidate_flow_helper.py). Then the
browser does what a candidate does: invitation link → claim → notice → start → edit the
sessionizer in CodeMirror → run the public tests → submit → graded, with the score → finish;
a second browser is refused the used link; the hiring manager logs in.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port, require

pytestmark = [pytest.mark.browser, pytest.mark.sandbox, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("VETTA_CHROMIUM", "/usr/bin/chromium"))
VETTA = Path(sys.executable).with_name("vetta")
STRONG = (ROOT / "exercises/event-log-sessionizer/solutions/strong/sessionizer.py").read_text()
# Generous: starting generates the candidate's variant in the sandbox (~10 s here), and grading
# runs 200,000 events through the candidate's code, on two cores shared with other work.
START_MS = 120_000
GRADING_MS = 300_000


class RunningVetta:
    """`vetta up` on a fresh VETTA_HOME; stop() and start() again on the same home and port, as
    an operator restarting the server would."""

    def __init__(self, home: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key
            not in {
                "DATABASE_URL",
                "DJANGO_SETTINGS_MODULE",
                "VETTA_CACHE_URL",
                "CELERY_BROKER_URL",
            }
        }
        self.env.update(VETTA_HOME=str(home / "home"), VETTA_BASE_URL=self.url)
        self.log = home / "vetta-up.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [str(VETTA), "up", "--port", str(self.port)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        # `vetta up` prints this once /healthz answers: poll its log for it, with a deadline.
        deadline = time.monotonic() + 120
        while "Press Ctrl-C to stop." not in self.log.read_text()[offset:]:
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def helper(self, *args: str) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-m", "tests.e2e.candidate_flow_helper", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture
def vetta(tmp_path: Path) -> Iterator[RunningVetta]:
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)")
    from vetta.grading.sandbox import sandbox_available

    require(sandbox_available(), "this host cannot sandbox (vetta.grading.sandbox)")
    running = RunningVetta(tmp_path)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        # Shown by pytest only when the test fails.
        print("\n".join(running.log.read_text().splitlines()[-150:]))


@pytest.fixture
def browser(vetta: RunningVetta) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def start(page: Any) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text("Start when you are ready")
    page.get_by_role("button", name="Start the assessment (45 minutes)").click(timeout=START_MS)
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Your assessment", timeout=START_MS
    )


def type_at_end(page: Any, text: str) -> None:
    page.get_by_role("textbox", name="sessionizer.py (editable)").click()
    page.keyboard.press("Control+End")
    page.keyboard.insert_text(text)


@pytest.mark.timeout(900)
def test_a_candidate_takes_an_assessment_from_the_link_to_a_graded_result(
    vetta: RunningVetta, browser: Any
) -> None:
    from playwright.sync_api import expect

    team = vetta.helper("setup")
    candidate = browser.new_context(base_url=vetta.url, viewport={"width": 1400, "height": 1000})
    candidate.set_default_timeout(20_000)
    page = candidate.new_page()

    # The link explains what happens; the button claims it.
    page.goto(team["link"])
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{team['organisation']} invites you to an assessment"
    )
    page.get_by_role("button", name="Continue to the notice").click()

    # The notice (G5), acknowledged before anything starts.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Before you start: how this assessment works"
    )
    expect(page.get_by_role("heading", name="Event-log sessionizer")).to_be_visible()
    expect(page.get_by_role("link", name="people@acme.example")).to_be_visible()
    page.get_by_role("button", name="I have read this notice").click()

    # A second browser with the same, now used, link is refused.
    intruder = browser.new_context(base_url=vetta.url).new_page()
    response = intruder.goto(team["link"])
    assert response is not None and response.status == 410
    expect(intruder.get_by_role("alert")).to_contain_text("This link has already been used")
    intruder.context.close()

    # Start: the clock (45 minutes) runs on the server from here.
    start(page)
    attempt_id = page.url.split("/")[4]
    expect(page.locator("#countdown")).to_have_text(re.compile(r"^4[45]:\d\d$"))
    # The embedded worker prepares the candidate's own data after the link is claimed; until it
    # is ready the workspace says so, and a reload shows it.
    data_tab = page.get_by_role("tab", name="data/sample_events.jsonl (data, read-only)")
    deadline = time.monotonic() + 120
    while not data_tab.is_visible() and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        page.reload()
    expect(data_tab).to_be_visible()

    # Edit sessionizer.py in CodeMirror: replace the starter with the strong solution.
    editor = page.get_by_role("textbox", name="sessionizer.py (editable)")
    expect(editor).to_contain_text("raise NotImplementedError")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(STRONG)
    expect(editor).to_contain_text("def session_stats")
    expect(editor).not_to_contain_text("NotImplementedError")
    # Highlighted: the keyword `def` sits in a span of its own, styled by the Python mode.
    expect(editor.locator(".cm-line span", has_text=re.compile(r"^def$")).first).to_be_visible()
    expect(page.locator("#save-state")).to_have_text("All work saved")

    # Run the public tests in the sandbox and see them pass.
    page.get_by_role("button", name="Run public tests").click()
    expect(page.locator(".pt-summary")).to_have_text(
        re.compile(r"^(\d+) of \1 public tests passed\.$"), timeout=GRADING_MS
    )
    expect(page.locator(".pt-results .test-fail")).to_have_count(0)

    # Submit, confirm, and watch the status go live to "Graded" with the score.
    page.get_by_role("button", name="Submit this exercise").click()
    dialog = page.get_by_role("dialog", name="Submit Event-log sessionizer?")
    dialog.get_by_role("button", name="Submit", exact=True).click()
    status = page.locator(".exercise-status .status-badge")
    expect(status).to_have_text(re.compile("Queued|Grading|Graded"))
    expect(status).to_have_text("Graded", timeout=GRADING_MS)
    score = re.compile(r"Score: (9[7-9]|100)%")
    expect(page.locator(".feedback .score")).to_have_text(score)
    expect(page.locator(".feedback")).to_contain_text("hidden tests passed")

    # Finish: the results page keeps the graded feedback.
    page.get_by_role("button", name="Finish…").click()
    page.get_by_role("dialog", name="Finish the assessment?").get_by_role(
        "button", name="Finish now"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".result .status-badge")).to_have_text("Graded")
    expect(page.locator(".result .score")).to_have_text(score)
    candidate.close()

    # The hiring manager logs in and sees the graded result.
    team_browser = browser.new_context(base_url=vetta.url).new_page()
    team_browser.goto("/login/")
    team_browser.get_by_label("Username").fill(team["username"])
    team_browser.get_by_label("Password").fill(team["password"])
    team_browser.get_by_role("button", name="Log in").click()
    expect(team_browser.get_by_role("heading", level=1)).to_have_text(team["organisation"])
    # The hiring team's side: the attempt page shows the graded result, hidden tests included.
    team_browser.get_by_role("link", name="Results").first.click()
    team_browser.get_by_role("link", name=re.compile("Ada")).first.click()
    expect(team_browser.locator("#overall-score")).to_contain_text("100%", timeout=30_000)
    exercise = team_browser.locator("article.exercise-result").first
    expect(exercise).to_contain_text("Event-log sessionizer")
    expect(exercise.locator("[data-item-status]")).to_have_text(re.compile("Graded", re.I))
    expect(exercise.locator("table.tests")).to_contain_text("large: 200,000 events")
    expect(exercise.locator("table.tests")).to_contain_text("hidden")
    # And the same numbers through the hiring team's selector, with the manager's permissions.
    seen = vetta.helper("results", attempt_id)
    assert seen["status"] == "finished"
    (item,) = seen["items"]
    assert (item["exercise"], item["status"], item["submission"]) == (
        "event-log-sessionizer",
        "graded",
        1,
    )
    assert 0.97 <= item["score"] <= 1.0


@pytest.mark.timeout(900)
def test_nothing_typed_is_lost_when_the_server_or_the_browser_restarts(
    vetta: RunningVetta, browser: Any
) -> None:
    from playwright.sync_api import expect

    team = vetta.helper("setup")
    context = browser.new_context(base_url=vetta.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(team["link"])
    page.get_by_role("button", name="Continue to the notice").click()
    page.get_by_role("button", name="I have read this notice").click()
    start(page)
    workspace = page.url
    editor = page.get_by_role("textbox", name="sessionizer.py (editable)")
    saved = page.locator("#save-state")

    # The server stops while the candidate types: the page says so, keeps the work, and sends
    # it by itself once the server is back.
    vetta.stop()
    type_at_end(page, "# typed while the server was down\n")
    expect(saved).to_have_text("Offline — will retry; your work is kept in this browser")
    vetta.start()
    expect(saved).to_have_text("All work saved", timeout=60_000)
    page.reload()
    expect(editor).to_contain_text("# typed while the server was down")

    # The connection drops, then the browser is closed and opened again (same profile): the
    # work typed offline is offered back, and saved once restored.
    context.set_offline(True)
    type_at_end(page, "# typed offline before the browser closed\n")
    expect(saved).to_have_text("Offline — will retry; your work is kept in this browser")
    profile = context.storage_state()
    context.close()
    context = browser.new_context(base_url=vetta.url, storage_state=profile)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(workspace)
    editor = page.get_by_role("textbox", name="sessionizer.py (editable)")
    banner = page.locator("#restore-banner")
    # Normally the offline lines never reached the server, and the page offers them back. (A
    # request Chromium still sent while the page closed may have saved them already; then there
    # is nothing to restore. Either way they must not be lost.)
    restore = page.get_by_role("button", name="Restore my unsaved work")
    expect(editor).to_contain_text("# typed while the server was down")
    if restore.is_visible():
        expect(banner).to_contain_text("did not reach the server")
        expect(editor).not_to_contain_text("# typed offline before the browser closed")
        restore.click()
    expect(editor).to_contain_text("# typed offline before the browser closed")
    expect(page.locator("#save-state")).to_have_text("All work saved")
    page.reload()
    expect(banner).to_be_hidden()
    expect(editor).to_contain_text("# typed offline before the browser closed")
    expect(editor).to_contain_text("# typed while the server was down")
    context.close()
