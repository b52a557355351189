"""The candidate's pages, as a candidate's browser uses them: the invitation link, the notice,
the start page, the workspace and the results."""

from __future__ import annotations

import json
import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.web.candidate_world import (
    GRADING_FIXTURES,
    CandidateWorld,
    make_world,
    outcome,
    record,
    text,
)
from vetta.assessments.models import Attempt, AttemptStatus, GradingRun, Invitation, RunStatus
from vetta.assessments.services.attempts import draft_save, submission_create
from vetta.assessments.services.invitations import invitation_revoke
from vetta.governance.models import AuditEvent
from vetta.grading.contract import ResultVerdict
from vetta.web.views.candidate_common import render_markdown

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any) -> CandidateWorld:
    return make_world(
        settings, bank=GRADING_FIXTURES, slug="tiny-adder", contact="people@acme.example"
    )


def url(name: str, attempt: Attempt, *more: Any) -> str:
    return reverse(name, args=[attempt.public_id, *more])


# --- The invitation link ------------------------------------------------------------------------


def test_opening_a_link_explains_what_happens_and_does_not_use_it_up(world: CandidateWorld) -> None:
    link = world.link()
    response = Client().get(link)
    assert response.status_code == 200
    page = text(response)
    assert "Acme invites you to an assessment" in page
    assert "10 minutes" in page and "Continue to the notice" in page
    assert Invitation.objects.get().used_at is None


def test_claiming_a_link_keeps_the_attempt_in_a_cookie_that_outlives_the_link(
    world: CandidateWorld,
) -> None:
    browser = Client()
    response = browser.post(world.link())
    attempt = Attempt.objects.get()
    assert response["Location"] == url("candidate_notice", attempt)
    cookie = browser.cookies["sessionid"]
    lifetime = timedelta(seconds=int(cookie["max-age"]))
    assert lifetime > attempt.invitation.expires_at - timezone.now() + timedelta(minutes=10)
    # After a browser restart (same cookie, new client), the link leads back to the assessment.
    restarted = Client()
    restarted.cookies["sessionid"] = cookie.value
    assert restarted.get(url("candidate_notice", attempt)).status_code == 200


def test_a_used_link_is_refused_in_a_second_browser_with_what_to_do(
    world: CandidateWorld,
) -> None:
    link = world.link()
    first = Client()
    first.post(link)
    second = Client()
    for response in (second.get(link), second.post(link)):
        assert response.status_code == 410
        page = text(response)
        assert "This link has already been used" in page
        assert "people@acme.example" in page
    assert Attempt.objects.count() == 1
    # The browser that claimed it is taken back to its assessment instead.
    again = first.get(link)
    assert again.status_code == 302 and again["Location"].endswith("/notice/")


def test_unknown_links_answer_404_and_expired_or_withdrawn_ones_410(
    world: CandidateWorld,
) -> None:
    unknown = Client().get("/invite/not-a-real-token")
    assert unknown.status_code == 404
    assert "This link is not valid" in text(unknown)

    expired = world.link()
    Invitation.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = Client().post(expired)
    assert response.status_code == 410 and "has expired" in text(response)

    withdrawn = world.link()
    invitation_revoke(actor=world.manager, invitation=Invitation.objects.order_by("-pk").first())
    response = Client().get(withdrawn)
    assert response.status_code == 410 and "withdrawn by the hiring team" in text(response)


# --- Notice and start ---------------------------------------------------------------------------


def test_the_notice_says_what_is_assessed_how_who_sees_it_how_long_and_whom_to_ask(
    world: CandidateWorld,
) -> None:
    browser, attempt = world.claimed()
    page = text(browser.get(url("candidate_notice", attempt)))
    assert "Tiny adder (test fixture)" in page
    assert "hidden tests call your functions" in page
    assert "Python and ML frameworks" in page  # skill areas by name, not by key
    assert "10 minutes" in page
    assert "The hiring team of Acme" in page and "nothing is rejected automatically" in page
    assert f"kept for <strong>{world.manager.organisation.retention_days} days</strong>" in page
    assert "accommodation" in page and "mailto:people@acme.example" in page


def test_the_workspace_and_the_start_refuse_to_open_before_the_notice_is_acknowledged(
    world: CandidateWorld,
) -> None:
    browser, attempt = world.claimed()
    for response in (
        browser.get(url("candidate_workspace", attempt)),
        browser.get(url("candidate_start", attempt)),
        browser.post(url("candidate_start", attempt)),
    ):
        assert response.status_code == 302
        assert response["Location"] == url("candidate_notice", attempt)
    assert Attempt.objects.get().status == AttemptStatus.NOTICE
    assert not AuditEvent.objects.filter(action="attempt.start").exists()


def test_acknowledging_a_notice_that_changed_meanwhile_asks_to_read_it_again(
    world: CandidateWorld,
) -> None:
    browser, attempt = world.claimed()
    response = browser.post(
        url("candidate_notice", attempt), {"notice_version": "0" * 64}, follow=True
    )
    assert "The notice changed while you were reading it" in text(response)
    assert Attempt.objects.get().status == AttemptStatus.NOTICE


def test_acknowledge_then_start_opens_the_workspace_with_statement_and_files(
    world: CandidateWorld,
) -> None:
    browser, attempt = world.claimed()
    page = browser.get(url("candidate_notice", attempt)).content.decode()
    version = re.search(r'name="notice_version" value="([0-9a-f]{64})"', page)
    assert version is not None
    response = browser.post(url("candidate_notice", attempt), {"notice_version": version[1]})
    assert response["Location"] == url("candidate_start", attempt)
    start_page = text(browser.get(url("candidate_start", attempt)))
    assert "Start the assessment (10 minutes)" in start_page

    response = browser.post(url("candidate_start", attempt))
    assert response["Location"] == url("candidate_workspace", attempt)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    cookie_lifetime = timedelta(seconds=int(browser.cookies["sessionid"]["max-age"]))
    assert timezone.now() + cookie_lifetime > attempt.deadline_at + timedelta(days=1)

    workspace = browser.get(url("candidate_workspace", attempt))
    assert workspace.status_code == 200
    html = workspace.content.decode()
    # The statement, rendered from Markdown, its headings under the page's h1 and h2.
    assert "<h3>Tiny adder</h3>" in html and html.count("<h1") == 1
    item = attempt.items.get()
    data = re.search(
        rf'<script id="exercise-data-{item.pk}" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    assert data is not None
    files = json.loads(data[1])
    assert [f["path"] for f in files["editable"]] == ["adder.py"]
    assert "def add(a, b)" in files["editable"][0]["content"]
    assert files["editable"][0]["revision"] == 1
    assert "vendor/codemirror/vetta-editor.js" in html


def test_statements_show_raw_html_as_text_never_as_markup() -> None:
    rendered = render_markdown("# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))")
    assert "<h1>Title</h1>" in rendered
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert 'href="javascript:' not in rendered


# --- Isolation between candidates ---------------------------------------------------------------


def test_another_candidates_attempt_answers_404_on_every_page(world: CandidateWorld) -> None:
    _, theirs = world.started()
    mine, _ = world.started()
    item = theirs.items.get()
    for name in (
        "candidate_attempt",
        "candidate_notice",
        "candidate_start",
        "candidate_workspace",
        "candidate_results",
    ):
        assert mine.get(url(name, theirs)).status_code == 404, name
    assert mine.post(url("candidate_finish", theirs)).status_code == 404
    assert mine.post(url("candidate_regrade", theirs, item.pk)).status_code == 404
    assert Client().get(url("candidate_workspace", theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AttemptStatus.IN_PROGRESS


# --- Results ------------------------------------------------------------------------------------


def graded_run(world: CandidateWorld, **fields: Any) -> tuple[Client, Attempt, GradingRun]:
    browser, attempt = world.started()
    item = attempt.items.get()
    draft_save(
        item=item, path="adder.py", content="def add(a, b):\n    return a + b\n", base_revision=None
    )
    run = submission_create(item=item).runs.get()
    return browser, attempt, record(run, **fields)


def test_results_show_public_tests_in_full_and_hidden_tests_only_in_aggregate(
    world: CandidateWorld,
) -> None:
    browser, attempt, _ = graded_run(
        world,
        tests=[
            outcome("test_add_example", passed=True, visible=True),
            outcome("test_mean_example", passed=False, visible=True, message="assert 2 == 2.5"),
            outcome("hidden_big_numbers", passed=True, visible=False),
            outcome("hidden_empty_list", passed=False, visible=False, message="mean([]) SECRET-7"),
        ],
        stdout="hidden run printed SECRET-OUT",
    )
    page = text(browser.get(url("candidate_results", attempt)))
    assert "Score: <strong>75%</strong>" in page
    assert "test_mean_example" in page and "assert 2 == 2.5" in page
    assert "1 of 2 hidden tests passed." in page
    assert "SECRET-7" not in page and "SECRET-OUT" not in page
    assert "hidden_empty_list" not in page  # tiny-adder's policy: hidden tests in aggregate only


def test_a_platform_failure_offers_a_free_regrade(world: CandidateWorld) -> None:
    browser, attempt, run = graded_run(
        world,
        gradable=False,
        verdict=ResultVerdict.GRADER_ERROR,
        score=0.0,
        summary="Grading failed for a reason on the platform's side: OSError",
    )
    assert run.status == RunStatus.FAILED
    page = text(browser.get(url("candidate_results", attempt)))
    assert "Grading failed on our side" in page
    assert "Grade submission 1 again, for free" in page
    item = attempt.items.get()
    response = browser.post(url("candidate_regrade", attempt, item.pk))
    assert response.status_code == 302
    latest = GradingRun.objects.filter(submission=run.submission).order_by("-queued_at").first()
    assert latest is not None and latest.pk != run.pk and latest.status == RunStatus.QUEUED
    assert AuditEvent.objects.filter(action="submission.regrade").count() == 1


def test_finishing_hands_in_the_drafts_and_shows_the_results(world: CandidateWorld) -> None:
    browser, attempt = world.started()
    response = browser.post(url("candidate_finish", attempt), follow=True)
    assert response.redirect_chain[-1][0] == url("candidate_results", attempt)
    page = text(response)
    assert "You have finished" in page and "Queued" in page
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FINISHED
    assert attempt.items.get().submissions.get().auto_submitted
    # The attempt's address now leads to the results, and the workspace is closed.
    assert browser.get(url("candidate_workspace", attempt))["Location"] == url(
        "candidate_results", attempt
    )


def test_the_workspace_shows_read_only_files_capped_and_nothing_hidden(
    settings: Any, tmp_path: Path
) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(GRADING_FIXTURES / "tiny-adder", bank / "tiny-adder")
    rows = "".join(f"{n},{n * n}\n" for n in range(20_000))  # ~200 KB of sample data
    (bank / "tiny-adder/starter/data").mkdir()
    (bank / "tiny-adder/starter/data/squares.csv").write_text(rows)
    world = make_world(settings, bank=bank, slug="tiny-adder")
    browser, attempt = world.started()
    html = browser.get(url("candidate_workspace", attempt)).content.decode()
    item = attempt.items.get()
    data = re.search(
        rf'<script id="exercise-data-{item.pk}" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    assert data is not None
    (shown,) = json.loads(data[1])["readOnly"]
    assert (shown["path"], shown["kind"], shown["truncated"]) == (
        "data/squares.csv",
        "starter",
        True,
    )
    assert shown["size"] == len(rows)
    assert len(shown["content"]) <= 64 * 1024 and shown["content"].endswith("\n")
    assert rows.startswith(shown["content"])
    hidden = (bank / "tiny-adder/hidden/cases.json").read_text()
    assert "cases.json" not in html and hidden[:40] not in html
