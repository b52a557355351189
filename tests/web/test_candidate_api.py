"""The workspace's JSON endpoints: autosave with conflict detection, the server-side deadline,
public test runs and their rate limit, submissions and their live status, uploads, CSRF."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.web.candidate_world import (
    GRADING_FIXTURES,
    WEB_FIXTURES,
    CandidateWorld,
    make_world,
    outcome,
    record,
)
from vetta.assessments.models import Attempt, GradingRun, RunKind
from vetta.assessments.services.attempts import MAX_DRAFT_CHARS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any) -> CandidateWorld:
    return make_world(settings, bank=GRADING_FIXTURES, slug="tiny-adder")


def endpoint(name: str, attempt: Attempt, *more: Any) -> str:
    return reverse(name, args=[attempt.public_id, *more])


def save(browser: Client, attempt: Attempt, body: dict[str, Any], **extra: Any) -> Any:
    item = attempt.items.get()
    return browser.post(
        endpoint("candidate_draft_save", attempt, item.pk),
        json.dumps(body),
        content_type="application/json",
        **extra,
    )


def status(browser: Client, attempt: Attempt, known: str = "") -> dict[str, Any]:
    response = browser.get(endpoint("candidate_status", attempt), {"known": known})
    assert response.status_code == 200
    return dict(response.json())


# --- Autosave -----------------------------------------------------------------------------------


def test_autosave_returns_the_new_revision_and_a_stale_one_gets_409_with_the_current(
    world: CandidateWorld,
) -> None:
    browser, attempt = world.started()
    first = save(browser, attempt, {"path": "adder.py", "content": "A = 1\n", "base_revision": 1})
    assert first.status_code == 200 and first.json() == {"path": "adder.py", "revision": 2}
    # Another window still based on revision 1 must not overwrite revision 2.
    stale = save(browser, attempt, {"path": "adder.py", "content": "B = 2\n", "base_revision": 1})
    assert stale.status_code == 409
    assert stale.json()["conflict"] is True
    assert stale.json()["revision"] == 2 and stale.json()["content"] == "A = 1\n"
    assert attempt.items.get().drafts.get().content == "A = 1\n"


def test_a_save_after_the_deadline_is_refused_whatever_time_the_client_sends(
    world: CandidateWorld,
) -> None:
    browser, attempt = world.started()
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(seconds=1))
    earlier = (timezone.now() - timedelta(hours=1)).isoformat()
    response = save(
        browser,
        attempt,
        {
            "path": "adder.py",
            "content": "late = True\n",
            "base_revision": 1,
            "client_time": earlier,
        },
        HTTP_DATE="Mon, 01 Jan 2024 00:00:00 GMT",
    )
    assert response.status_code == 409
    assert response.json() == {"error": "Time is up: the deadline has passed.", "closed": True}
    assert "late" not in attempt.items.get().drafts.get().content
    item = attempt.items.get()
    submit = browser.post(endpoint("candidate_submit", attempt, item.pk))
    assert submit.status_code == 409 and submit.json()["closed"] is True
    assert status(browser, attempt)["seconds_left"] == 0


def test_saves_beyond_the_size_cap_are_refused_with_a_clear_message(
    world: CandidateWorld,
) -> None:
    browser, attempt = world.started()
    too_big = "x" * (MAX_DRAFT_CHARS + 1)
    response = save(browser, attempt, {"path": "adder.py", "content": too_big, "base_revision": 1})
    assert response.status_code == 400
    assert response.json()["error"] == "adder.py is larger than 512 KiB"
    huge = save(browser, attempt, {"path": "adder.py", "content": too_big * 7, "base_revision": 1})
    assert huge.status_code == 413
    assert attempt.items.get().drafts.get().revision == 1


def test_only_the_exercises_editable_files_can_be_saved(world: CandidateWorld) -> None:
    browser, attempt = world.started()
    for path in ("hidden/cases.json", "../adder.py", "notes.txt"):
        response = save(browser, attempt, {"path": path, "content": "x", "base_revision": None})
        assert response.status_code == 400, path
        assert "error" in response.json()


# --- Public tests -------------------------------------------------------------------------------


def test_public_tests_run_then_show_each_test_with_its_message(world: CandidateWorld) -> None:
    browser, attempt = world.started()
    item = attempt.items.get()
    response = browser.post(endpoint("candidate_public_tests", attempt, item.pk))
    assert response.status_code == 202
    run_id = response.json()["run"]
    assert "Running the public tests" in response.json()["html"]
    run = GradingRun.objects.get(run_id=run_id)
    assert run.kind == RunKind.PUBLIC_TESTS
    record(
        run,
        verdict="wrong",
        score=0.5,
        summary="1 of 2 public tests passed.",
        tests=[
            outcome("test_add", passed=True, visible=True, message="passed"),
            outcome("test_mean", passed=False, visible=True, message="assert 1.0 == 1.5"),
        ],
    )
    answer = browser.get(endpoint("candidate_public_tests_status", attempt, item.pk, run_id))
    assert answer.status_code == 200 and answer.json()["status"] == "done"
    html = re.sub(r"\s+", " ", answer.json()["html"])
    assert "1 of 2 public tests passed." in html
    assert 'Passed</span> <code class="test-name">test_add' in html
    assert 'Failed</span> <code class="test-name">test_mean' in html
    assert "assert 1.0 == 1.5" in html


def test_running_public_tests_too_often_answers_429_with_retry_after(
    world: CandidateWorld, settings: Any
) -> None:
    settings.VETTA_PUBLIC_TESTS_PER_WINDOW = 1
    browser, attempt = world.started()
    item = attempt.items.get()
    run_url = endpoint("candidate_public_tests", attempt, item.pk)
    first = browser.post(run_url)
    assert first.status_code == 202
    still_going = browser.post(run_url)
    assert still_going.status_code == 429
    assert still_going["Retry-After"] == "5"
    assert "still going" in still_going.json()["error"]
    record(GradingRun.objects.get(run_id=first.json()["run"]))
    limited = browser.post(run_url)
    assert limited.status_code == 429
    assert 500 < int(limited["Retry-After"]) <= 601
    assert limited.json()["error"].startswith("You can run the public tests 1 times per 10 minutes")
    assert GradingRun.objects.filter(kind=RunKind.PUBLIC_TESTS).count() == 1


# --- Submissions and their live status ----------------------------------------------------------


def test_a_submission_shows_queued_then_graded_with_its_score_and_feedback(
    world: CandidateWorld,
) -> None:
    browser, attempt = world.started()
    item = attempt.items.get()
    before = status(browser, attempt)
    assert before["status"] == "in_progress" and 590 <= before["seconds_left"] <= 600
    assert before["items"][0]["status"] == "not_submitted"

    response = browser.post(endpoint("candidate_submit", attempt, item.pk))
    assert response.status_code == 201 and response.json()["submission"] == 1
    queued = status(browser, attempt)["items"][0]
    assert (queued["status"], queued["label"]) == ("queued", "Queued")
    assert "feedback_html" not in queued

    run = record(GradingRun.objects.get(kind=RunKind.GRADE))
    graded = status(browser, attempt)["items"][0]
    assert (graded["status"], graded["label"], graded["score"]) == ("graded", "Graded", 0.75)
    assert "Score: <strong>75%</strong>" in graded["feedback_html"]
    # Once the page shows that run's feedback, polling stops sending it.
    again = status(browser, attempt, known=str(run.run_id))["items"][0]
    assert "feedback_html" not in again


def test_submitting_an_exercise_of_another_candidate_answers_404(world: CandidateWorld) -> None:
    _, theirs = world.started()
    mine, _ = world.started()
    item = theirs.items.get()
    for name in ("candidate_submit", "candidate_public_tests", "candidate_upload"):
        assert mine.post(endpoint(name, theirs, item.pk)).status_code == 404, name
    assert (
        save(mine, theirs, {"path": "adder.py", "content": "", "base_revision": 1}).status_code
        == 404
    )
    assert mine.get(endpoint("candidate_status", theirs)).status_code == 404
    assert not item.submissions.exists() and not item.runs.exists()
    assert item.drafts.get().revision == 1


# --- Uploads ------------------------------------------------------------------------------------


def test_uploads_add_files_where_the_exercise_allows_them(settings: Any) -> None:
    world = make_world(settings, bank=WEB_FIXTURES, slug="upload-adder")
    browser, attempt = world.started()
    item = attempt.items.get()
    upload_url = endpoint("candidate_upload", attempt, item.pk)
    source = io.BytesIO(b"def add(a, b):\n    return a + b\n")
    source.name = "adder.py"
    response = browser.post(upload_url, {"file": source})
    assert response.status_code == 200
    assert response.json()["files"][0]["path"] == "adder.py"
    assert item.drafts.get(path="adder.py").content.endswith("return a + b\n")

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("helpers.py", "TWO = 2\n")
    archive.seek(0)
    archive.name = "work.zip"
    response = browser.post(upload_url, {"file": archive})
    assert response.status_code == 200
    assert [f["path"] for f in response.json()["files"]] == ["helpers.py"]

    text_file = io.BytesIO(b"notes")
    text_file.name = "notes.txt"
    refused = browser.post(upload_url, {"file": text_file})
    assert refused.status_code == 400 and refused.json()["error"] == "Accepted file types: .py"


def test_uploads_are_refused_where_the_exercise_does_not_allow_them(
    world: CandidateWorld,
) -> None:
    browser, attempt = world.started()
    item = attempt.items.get()
    source = io.BytesIO(b"def add(a, b): return a + b\n")
    source.name = "adder.py"
    response = browser.post(endpoint("candidate_upload", attempt, item.pk), {"file": source})
    assert response.status_code == 400
    assert "does not accept uploads" in response.json()["error"]


# --- CSRF ---------------------------------------------------------------------------------------


def test_every_post_needs_the_csrf_token(world: CandidateWorld) -> None:
    browser = Client(enforce_csrf_checks=True)
    link = world.link()
    assert browser.post(link).status_code == 403  # no token: the link is not used up
    page = browser.get(link).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    claimed = browser.post(link, {"csrfmiddlewaretoken": token[1]})
    assert claimed.status_code == 302
    attempt = Attempt.objects.get()
    notice = browser.get(endpoint("candidate_notice", attempt)).content.decode()
    version = re.search(r'name="notice_version" value="([0-9a-f]{64})"', notice)
    assert version is not None
    assert (
        browser.post(
            endpoint("candidate_notice", attempt), {"notice_version": version[1]}
        ).status_code
        == 403
    )
    ok = {"csrfmiddlewaretoken": token[1]}
    browser.post(endpoint("candidate_notice", attempt), {"notice_version": version[1], **ok})
    browser.post(endpoint("candidate_start", attempt), ok)
    body = {"path": "adder.py", "content": "x = 1\n", "base_revision": 1}
    assert save(browser, attempt, body).status_code == 403
    csrf = browser.cookies["csrftoken"].value
    assert save(browser, attempt, body, HTTP_X_CSRFTOKEN=csrf).status_code == 200
    item = attempt.items.get()
    assert browser.post(endpoint("candidate_submit", attempt, item.pk)).status_code == 403
    assert not item.submissions.exists()
