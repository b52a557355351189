"""Timed attempts: the notice comes first, the server's clock decides, drafts never overwrite
newer work, and public test runs are rate-limited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from tests.assessments.conftest import World
from vetta.assessments.errors import AssessmentError, AttemptClosed, DraftConflict, RateLimited
from vetta.assessments.models import Attempt, AttemptStatus, GradingRun, RunKind
from vetta.assessments.notice import notice_for
from vetta.assessments.selectors import attempt_for_candidate
from vetta.assessments.services.attempts import (
    attempt_finish,
    attempt_start,
    attempts_expire_due,
    draft_save,
    notice_acknowledge,
    public_tests_request,
    submission_create,
    upload_add,
)
from vetta.governance.models import AuditEvent

pytestmark = pytest.mark.django_db


def started(world: World) -> Attempt:
    attempt = world.claimed_attempt()
    notice_acknowledge(attempt=attempt, notice_version=notice_for(attempt).version)
    return attempt_start(attempt=attempt)


def test_the_notice_says_what_how_who_how_long_and_whom_to_ask(world: World) -> None:
    org = world.manager.organisation
    org.contact_email, org.retention_days = "people@acme.example", 180
    org.save()
    notice = notice_for(world.claimed_attempt())
    assert notice.exercises[0].title == "Tiny adder (test fixture)"
    assert "hidden tests" in notice.exercises[0].how
    assert "hiring team" in notice.viewers and "nothing is rejected automatically" in notice.viewers
    assert (notice.retention_days, notice.contact_email) == (180, "people@acme.example")


def test_an_attempt_cannot_start_before_the_notice_is_acknowledged(world: World) -> None:
    attempt = world.claimed_attempt()
    with pytest.raises(AssessmentError, match="notice"):
        attempt_start(attempt=attempt)
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.NOTICE


def test_acknowledging_a_stale_notice_is_refused(world: World) -> None:
    attempt = world.claimed_attempt()
    with pytest.raises(AssessmentError, match="changed"):
        notice_acknowledge(attempt=attempt, notice_version="0" * 64)


def test_the_acknowledgement_is_an_audit_event_before_any_submission(world: World) -> None:
    attempt = started(world)
    submission_create(item=attempt.items.get())
    actions = list(AuditEvent.objects.order_by("index").values_list("action", flat=True))
    assert actions.index("notice.acknowledge") < actions.index("submission.create")


def test_starting_sets_a_server_side_deadline_and_seeds_the_drafts(world: World) -> None:
    before = timezone.now()
    attempt = started(world)
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.deadline_at - before >= timedelta(minutes=10)
    draft = attempt.items.get().drafts.get()
    assert draft.path == "adder.py" and "def add" in draft.content


def test_nothing_can_be_saved_or_submitted_after_the_deadline(world: World) -> None:
    attempt = started(world)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(seconds=1))
    item = attempt.items.get()
    with pytest.raises(AttemptClosed, match="Time is up"):
        draft_save(item=item, path="adder.py", content="x = 1\n", base_revision=None)
    with pytest.raises(AttemptClosed):
        submission_create(item=item)


def test_a_stale_tab_cannot_overwrite_newer_work(world: World) -> None:
    item = started(world).items.get()
    first = draft_save(item=item, path="adder.py", content="v2", base_revision=1)
    assert first.revision == 2
    with pytest.raises(DraftConflict) as caught:
        draft_save(item=item, path="adder.py", content="old tab", base_revision=1)
    assert caught.value.revision == 2
    assert item.drafts.get().content == "v2"


def test_files_the_exercise_does_not_accept_are_refused(world: World) -> None:
    item = started(world).items.get()
    with pytest.raises(AssessmentError, match=r"accepts adder\.py"):
        draft_save(item=item, path="conftest.py", content="", base_revision=None)
    with pytest.raises(AssessmentError, match="not a valid file name"):
        draft_save(item=item, path="../etc/passwd", content="", base_revision=None)


def test_uploads_are_refused_where_the_exercise_does_not_allow_them(world: World) -> None:
    item = started(world).items.get()
    with pytest.raises(AssessmentError, match="does not accept uploads"):
        upload_add(item=item, filename="adder.py", data=b"x")


def test_public_test_runs_are_rate_limited(world: World, settings: Any) -> None:
    settings.VETTA_PUBLIC_TESTS_PER_WINDOW = 2
    item = started(world).items.get()
    first = public_tests_request(item=item)
    with pytest.raises(RateLimited, match="still going"):
        public_tests_request(item=item)
    GradingRun.objects.filter(pk=first.pk).update(status="done")
    second = public_tests_request(item=item)
    GradingRun.objects.filter(pk=second.pk).update(status="done")
    with pytest.raises(RateLimited, match="2 times per 10 minutes") as caught:
        public_tests_request(item=item)
    assert caught.value.retry_after > 0
    assert first.kind == RunKind.PUBLIC_TESTS and first.files[0]["path"] == "adder.py"


def test_the_deadline_hands_in_unsubmitted_drafts(world: World) -> None:
    attempt = started(world)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(seconds=1))
    assert attempts_expire_due() == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FINISHED
    (submission,) = attempt.items.get().submissions.all()
    assert submission.auto_submitted


def test_finishing_early_closes_the_attempt(world: World) -> None:
    attempt = attempt_finish(attempt=started(world))
    assert attempt.status == AttemptStatus.FINISHED
    with pytest.raises(AttemptClosed):
        submission_create(item=attempt.items.get())


def test_one_candidate_cannot_open_anothers_attempt(world: World) -> None:
    mine = world.claimed_attempt("a@example.org")
    theirs = world.claimed_attempt("b@example.org")
    assert attempt_for_candidate(claimed=[str(mine.public_id)], public_id=mine.public_id) == mine
    with pytest.raises(Http404):
        attempt_for_candidate(claimed=[str(mine.public_id)], public_id=theirs.public_id)


def test_starting_does_not_wait_for_the_variant_a_worker_prepares_it(
    world: World,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VETTA_GRADING_CACHE", str(tmp_path))  # no variant generated before
    from tests.assessments.conftest import REPO_EXERCISES
    from vetta.assessments.services.attempts import attempt_variants_prepare, workspace_of
    from vetta.assessments.services.bank import bank_package, bank_sync
    from vetta.assessments.services.plans import plan_update

    settings.VETTA_EXERCISES_DIR = REPO_EXERCISES
    bank_sync()
    plan_update(actor=world.manager, plan=world.plan, exercise_slugs=["hallucination-evaluator"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        attempt = world.claimed_attempt("var@example.org")
    assert queued, "claiming a link must queue the preparation of its variants"
    item = attempt.items.get()
    item.variant_seed = 987_654_321  # a seed no other test generated
    item.save()
    notice_acknowledge(attempt=attempt, notice_version=notice_for(attempt).version)
    attempt_start(attempt=attempt)
    package = bank_package(item.exercise)
    assert workspace_of(package, item, generate=False)[1] is False
    assert attempt_variants_prepare(attempt=attempt) == 1
    files, complete = workspace_of(package, item, generate=False)
    assert complete and "data/public_sample.jsonl" in files
