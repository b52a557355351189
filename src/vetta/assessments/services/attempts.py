"""A candidate's timed attempt: the notice, the start, autosaved drafts, uploads, public test
runs, submissions, and the end (by the candidate, or by the deadline).

Candidates are not accounts: they act through the attempt their browser claimed, and audit events
name them by their pseudonym (`candidate:<uuid>`).
"""

from __future__ import annotations

import math
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from vetta.assessments.errors import AssessmentError, AttemptClosed, DraftConflict, RateLimited
from vetta.assessments.models import (
    Attempt,
    AttemptItem,
    AttemptStatus,
    Draft,
    GradingRun,
    RunKind,
    RunStatus,
    Submission,
)
from vetta.assessments.notice import notice_for
from vetta.assessments.services.bank import bank_package
from vetta.assessments.services.grading import attempt_announce_if_graded, grading_run_enqueue
from vetta.governance.services import audit_record
from vetta.grading.contract import SubmittedFile
from vetta.grading.exercises.package import ExercisePackage, read_tree
from vetta.grading.sandbox import safeio
from vetta.orgs.models import EDITOR_ROLES, Membership

MAX_DRAFT_CHARS = 512 * 1024
# Extra time as an accommodation: up to triple time, the most any accommodation policy we know of
# grants for a timed test; more than that is better served by an alternative process.
MIN_TIME_MULTIPLIER, MAX_TIME_MULTIPLIER = 1.0, 3.0


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().get(pk=attempt.pk)


def _require_open(attempt: Attempt) -> None:
    """Precondition of every change a candidate makes: started, not finished, before the
    deadline by the server's clock."""
    if attempt.status != AttemptStatus.IN_PROGRESS or attempt.deadline_at is None:
        if attempt.status == AttemptStatus.FINISHED:
            raise AttemptClosed("This assessment has finished; nothing more can be changed.")
        raise AssessmentError("Start the assessment first.")
    if timezone.now() >= attempt.deadline_at:
        raise AttemptClosed("Time is up: the deadline has passed.")


@transaction.atomic
def notice_acknowledge(*, attempt: Attempt, notice_version: str) -> Attempt:
    attempt = _locked(attempt)
    notice = notice_for(attempt)
    if notice_version != notice.version:
        raise AssessmentError("The notice changed while you were reading it; please read it again.")
    if attempt.status != AttemptStatus.NOTICE:
        return attempt
    attempt.status = AttemptStatus.READY
    attempt.notice_version = notice.version
    attempt.notice_acknowledged_at = timezone.now()
    attempt.save(update_fields=["status", "notice_version", "notice_acknowledged_at"])
    audit_record(
        actor=attempt.candidate.audit_id,
        action="notice.acknowledge",
        subject=attempt.audit_id,
        payload={"notice_version": notice.version},
    )
    return attempt


@transaction.atomic
def attempt_accommodate(*, actor: Membership, attempt: Attempt, time_multiplier: float) -> Attempt:
    """Grants extra time (1.5 = 50% more) as an accommodation. Only before the attempt starts:
    the deadline is fixed when the clock starts, and a running clock is never moved."""
    if attempt.plan.organisation_id != actor.organisation_id:
        raise PermissionDenied("this attempt belongs to another organisation")
    if actor.role not in EDITOR_ROLES:
        raise PermissionDenied("only owners and hiring managers grant accommodations")
    if not (
        math.isfinite(time_multiplier)
        and MIN_TIME_MULTIPLIER <= time_multiplier <= MAX_TIME_MULTIPLIER
    ):
        raise AssessmentError(
            f"the time multiplier must be between {MIN_TIME_MULTIPLIER:g} (no extra time) and "
            f"{MAX_TIME_MULTIPLIER:g} (triple time)"
        )
    # Locked: `attempt_start` reads the multiplier under the same lock when it fixes the deadline.
    attempt = _locked(attempt)
    if attempt.status not in (AttemptStatus.NOTICE, AttemptStatus.READY):
        raise AssessmentError(
            "The candidate has already started: extra time can only be set before the clock starts."
        )
    multiplier = round(time_multiplier, 2)
    previous = attempt.time_multiplier
    attempt.time_multiplier = multiplier
    attempt.save(update_fields=["time_multiplier"])
    audit_record(
        actor=actor.audit_id,
        action="attempt.accommodate",
        subject=attempt.audit_id,
        # Audit payloads hold no floats (canonical JSON): the multipliers as fixed text.
        payload={"time_multiplier": f"{multiplier:.2f}", "previous": f"{previous:.2f}"},
    )
    return attempt


def workspace_of(
    package: ExercisePackage, item: AttemptItem, *, generate: bool = True
) -> tuple[dict[str, bytes], bool]:
    """The candidate's starting workspace (starter files and their variant's public data) and
    whether the variant's data is in it. With `generate=False` nothing slow happens: a variant
    not generated yet is simply left out (pages show "being prepared")."""
    from vetta.grading.engine import workspace_files
    from vetta.grading.exercises.variants import cached_variant, generate_variant

    if package.spec.variants is None:
        return workspace_files(package, None), True
    if generate:
        variant = generate_variant(
            package, item.variant_seed, unsafe_no_sandbox=settings.VETTA_UNSAFE_NO_SANDBOX
        )
    else:
        variant = cached_variant(package, item.variant_seed)
    return workspace_files(package, variant), variant is not None


def attempt_variants_prepare(*, attempt: Attempt) -> int:
    """Generates the variants of an attempt's exercises ahead of need (run by a worker after
    the link is claimed), so that starting, pages and the first public test run are quick.
    Returns how many were generated now."""
    made = 0
    for item in attempt.items.select_related("exercise"):
        package = bank_package(item.exercise)
        if package.spec.variants is not None and not workspace_of(package, item, generate=False)[1]:
            workspace_of(package, item)
            made += 1
    return made


@transaction.atomic
def attempt_start(*, attempt: Attempt) -> Attempt:
    """Starts the clock. The deadline is the server's now plus the plan's time (times any
    accommodation); the browser only displays it."""
    attempt = _locked(attempt)
    if attempt.status == AttemptStatus.NOTICE:
        raise AssessmentError("Read and acknowledge the notice before you start.")
    if attempt.status != AttemptStatus.READY:
        return attempt
    items = list(attempt.items.select_related("exercise"))
    for item in items:
        package = bank_package(item.exercise)
        # Editable files come from the starter; the variant's data is not needed to start the
        # clock (a worker prepares it after the link is claimed).
        for path, content in sorted(package.starter_files().items()):
            if package.is_editable(path):
                Draft.objects.get_or_create(
                    item=item, path=path, defaults={"content": content.decode("utf-8", "replace")}
                )
    minutes = round(sum(i.exercise.time_limit_minutes for i in items) * attempt.time_multiplier)
    now = timezone.now()
    attempt.status = AttemptStatus.IN_PROGRESS
    attempt.started_at = now
    attempt.deadline_at = now + timedelta(minutes=minutes)
    attempt.save(update_fields=["status", "started_at", "deadline_at"])
    audit_record(
        actor=attempt.candidate.audit_id,
        action="attempt.start",
        subject=attempt.audit_id,
        payload={"deadline": attempt.deadline_at.isoformat(), "minutes": minutes},
    )
    return attempt


def _check_path(package: ExercisePackage, path: str) -> str:
    try:
        path = SubmittedFile.of(path, b"").path
    except ValueError:
        raise AssessmentError(f"{path!r} is not a valid file name") from None
    if not package.is_editable(path):
        raise AssessmentError(
            f"{path} cannot be saved: this exercise accepts "
            + ", ".join(package.spec.files.editable)
        )
    return path


@transaction.atomic
def draft_save(*, item: AttemptItem, path: str, content: str, base_revision: int | None) -> Draft:
    """Autosave. `base_revision` is the revision the editor started from; a save based on an
    older one is refused so that a stale tab cannot overwrite newer work."""
    attempt = _locked(item.attempt)
    _require_open(attempt)
    package = bank_package(item.exercise)
    path = _check_path(package, path)
    if len(content) > MAX_DRAFT_CHARS:
        raise AssessmentError(f"{path} is larger than {MAX_DRAFT_CHARS // 1024} KiB")
    draft = Draft.objects.select_for_update().filter(item=item, path=path).first()
    if draft is None:
        return Draft.objects.create(item=item, path=path, content=content)
    if base_revision is not None and base_revision != draft.revision:
        raise DraftConflict(
            f"{path} was saved from another window (revision {draft.revision}); reload it",
            draft.revision,
        )
    if draft.content != content:
        draft.content = content
        draft.revision += 1
        draft.save(update_fields=["content", "revision", "updated_at"])
    return draft


@transaction.atomic
def upload_add(*, item: AttemptItem, filename: str, data: bytes) -> list[Draft]:
    """A file, or an archive extracted safely, added to the drafts where the exercise allows."""
    attempt = _locked(item.attempt)
    _require_open(attempt)
    package = bank_package(item.exercise)
    uploads = package.spec.files.uploads
    if uploads is None:
        raise AssessmentError("This exercise does not accept uploads; edit the files instead.")
    if len(data) > uploads.max_bytes:
        raise AssessmentError(f"The upload is larger than {uploads.max_bytes // 1024} KiB.")
    name = Path(filename).name
    archive = name.endswith((".zip", ".tar.gz", ".tgz", ".tar"))
    if archive and not uploads.archives:
        raise AssessmentError("This exercise accepts single files, not archives.")
    if archive:
        with tempfile.TemporaryDirectory(prefix="vetta-upload-") as scratch:
            try:
                safeio.extract_archive(
                    data,
                    scratch,
                    max_total_bytes=package.spec.files.max_submission_bytes,
                    max_files=200,
                    max_ratio=100,
                )
            except safeio.ArchiveError as exc:
                raise AssessmentError(f"The archive was refused: {exc}") from None
            files = read_tree(Path(scratch))
    else:
        if not any(name.endswith(ext) for ext in uploads.allowed_extensions):
            raise AssessmentError("Accepted file types: " + ", ".join(uploads.allowed_extensions))
        files = {name: data}
    drafts = []
    for name, content in sorted(files.items()):
        path = _check_path(package, name)
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise AssessmentError(f"{path} is not UTF-8 text") from None
        drafts.append(draft_save(item=item, path=path, content=text, base_revision=None))
    return drafts


def _snapshot(item: AttemptItem) -> list[dict[str, str]]:
    return [
        SubmittedFile.of(d.path, d.content.encode("utf-8")).model_dump()
        for d in item.drafts.order_by("path")
    ]


@transaction.atomic
def public_tests_request(*, item: AttemptItem) -> GradingRun:
    """Queues a run of the public tests on the current drafts, within the rate limit."""
    attempt = _locked(item.attempt)
    _require_open(attempt)
    runs = GradingRun.objects.filter(item=item, kind=RunKind.PUBLIC_TESTS)
    if runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
        raise RateLimited("Your previous run of the public tests is still going.", retry_after=5)
    window = timedelta(seconds=settings.VETTA_PUBLIC_TESTS_WINDOW_SECONDS)
    recent = list(
        runs.filter(queued_at__gte=timezone.now() - window)
        .order_by("queued_at")
        .values_list("queued_at", flat=True)
    )
    if len(recent) >= settings.VETTA_PUBLIC_TESTS_PER_WINDOW:
        retry = int((recent[0] + window - timezone.now()).total_seconds()) + 1
        raise RateLimited(
            f"You can run the public tests {settings.VETTA_PUBLIC_TESTS_PER_WINDOW} times per "
            f"{settings.VETTA_PUBLIC_TESTS_WINDOW_SECONDS // 60} minutes; try again in "
            f"{max(1, retry // 60)} minute(s).",
            retry_after=retry,
        )
    run = GradingRun.objects.create(item=item, kind=RunKind.PUBLIC_TESTS, files=_snapshot(item))
    grading_run_enqueue(run)
    return run


def _submit(item: AttemptItem, *, auto: bool) -> Submission:
    number = (
        item.submissions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    submission = Submission.objects.create(
        item=item, number=number, files=_snapshot(item), auto_submitted=auto
    )
    run = GradingRun.objects.create(item=item, kind=RunKind.GRADE, submission=submission)
    audit_record(
        actor="system" if auto else item.attempt.candidate.audit_id,
        action="submission.create",
        subject=submission.audit_id,
        payload={
            "attempt": item.attempt.audit_id,
            "exercise": f"{item.exercise.slug}@{item.exercise.version}",
            "number": number,
            "auto": auto,
            "run": run.audit_id,
        },
    )
    grading_run_enqueue(run)
    return submission


@transaction.atomic
def submission_create(*, item: AttemptItem) -> Submission:
    """Hands in the current drafts of one exercise and queues their grading. Later submissions
    replace earlier ones; the latest graded one counts."""
    attempt = _locked(item.attempt)
    _require_open(attempt)
    if not item.drafts.exists():
        raise AssessmentError("There is nothing to submit yet.")
    return _submit(item, auto=False)


@transaction.atomic
def attempt_finish(*, attempt: Attempt) -> Attempt:
    """The candidate is done: exercises with drafts but no submission are handed in as they are."""
    attempt = _locked(attempt)
    if attempt.status == AttemptStatus.FINISHED:
        return attempt
    _require_open(attempt)
    return _close(attempt, actor=attempt.candidate.audit_id)


def _close(attempt: Attempt, *, actor: str) -> Attempt:
    for item in attempt.items.select_related("exercise"):
        if not item.submissions.exists() and item.drafts.exists():
            _submit(item, auto=True)
    attempt.status = AttemptStatus.FINISHED
    attempt.finished_at = timezone.now()
    attempt.save(update_fields=["status", "finished_at"])
    audit_record(actor=actor, action="attempt.finish", subject=attempt.audit_id, payload={})
    # Every exercise may already be graded (or none handed in): then no result recorded later
    # would announce the graded attempt, so the end does.
    attempt_id = attempt.pk
    transaction.on_commit(lambda: attempt_announce_if_graded(attempt_id))
    return attempt


def attempts_expire_due() -> int:
    """Closes attempts whose deadline has passed (run periodically); returns how many."""
    closed = 0
    due = Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, deadline_at__lte=timezone.now())
    for attempt_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
            if attempt.status == AttemptStatus.IN_PROGRESS:
                _close(attempt, actor="system")
                closed += 1
    return closed


@transaction.atomic
def submission_regrade(*, submission: Submission) -> GradingRun:
    """Grades a submission again, free of any penalty, when its last grading failed for the
    platform's reasons. Allowed after the deadline: the work was handed in before it."""
    latest = submission.runs.order_by("-queued_at").first()
    if latest is not None and latest.status != RunStatus.FAILED:
        raise AssessmentError("This submission's grading did not fail; there is nothing to redo.")
    run = GradingRun.objects.create(item=submission.item, kind=RunKind.GRADE, submission=submission)
    audit_record(
        actor=submission.item.attempt.candidate.audit_id,
        action="submission.regrade",
        subject=submission.audit_id,
        payload={"run": run.audit_id},
    )
    grading_run_enqueue(run)
    return run
