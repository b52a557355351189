"""The exercise bank as the platform knows it, assessment plans, candidates, invitations, timed
attempts, autosaved drafts, submissions and grading runs."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils import timezone

from vetta.catalog.models import RoleProfile
from vetta.orgs.models import Membership, Organisation


class BankExercise(models.Model):
    """One version of an exercise package from the bank (`exercises/<slug>/`), synced by
    `bank_sync`. Grading always loads the package from disk by slug and version."""

    slug = models.SlugField(max_length=64)
    version = models.CharField(max_length=32)
    title = models.CharField(max_length=120)
    summary = models.TextField()
    method = models.CharField(max_length=40)
    difficulty = models.CharField(max_length=10)
    time_limit_minutes = models.PositiveIntegerField()
    skill_areas = models.JSONField(default=dict)  # {skill area: weight}
    role_contexts = models.JSONField(default=list)
    grader_kind = models.CharField(max_length=40)
    rubric_parts = models.JSONField(default=list)
    package_digest = models.CharField(max_length=64)
    # False once the package disappears from the bank: plans keep it, new plans cannot pick it.
    available = models.BooleanField(default=True)
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug", "version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="one_row_per_exercise_version")
        ]

    def __str__(self) -> str:
        return f"{self.slug} {self.version}"


class AssessmentPlan(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessment_plans"
    )
    role_profile = models.ForeignKey(RoleProfile, on_delete=models.PROTECT, related_name="plans")
    name = models.CharField(max_length=120)
    time_budget_minutes = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_id(self) -> str:
        return f"plan:{self.public_id}"

    @property
    def total_minutes(self) -> int:
        return sum(item.exercise.time_limit_minutes for item in self.items.all())


class PlanItem(models.Model):
    plan = models.ForeignKey(AssessmentPlan, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(BankExercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    weight = models.FloatField(default=1.0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "exercise"], name="exercise_once_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.exercise}"


class Candidate(models.Model):
    """A person invited by one organisation. `public_id` is their pseudonym in the audit log."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="candidates"
    )
    email = models.EmailField()
    name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="candidate_once_per_org")
        ]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def audit_id(self) -> str:
        return f"candidate:{self.public_id}"


class Invitation(models.Model):
    """A single-use, expiring link. Only the SHA-256 of its token is stored, so a database leak
    gives no working links."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(AssessmentPlan, on_delete=models.PROTECT, related_name="invitations")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="invitations")
    token_digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.public_id}"

    @property
    def audit_id(self) -> str:
        return f"invitation:{self.public_id}"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.used_at:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class AttemptStatus(models.TextChoices):
    NOTICE = "notice", "Waiting for the notice to be acknowledged"
    READY = "ready", "Ready to start"
    IN_PROGRESS = "in_progress", "In progress"
    FINISHED = "finished", "Finished"


class Attempt(models.Model):
    """A candidate's timed session on a plan. The deadline is fixed on the server when the
    attempt starts; the client's clock is never consulted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="attempt")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="attempts")
    plan = models.ForeignKey(AssessmentPlan, on_delete=models.PROTECT, related_name="attempts")
    status = models.CharField(
        max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.NOTICE
    )
    # Extra time granted as an accommodation (1.5 = 50% more), set by the hiring team.
    time_multiplier = models.FloatField(default=1.0)
    claimed_at = models.DateTimeField(default=timezone.now)
    notice_version = models.CharField(max_length=64, blank=True)
    notice_acknowledged_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AttemptStatus.values), name="attempt_status_known"
            )
        ]

    def __str__(self) -> str:
        return f"attempt {self.public_id}"

    @property
    def audit_id(self) -> str:
        return f"attempt:{self.public_id}"

    def seconds_left(self, now: Any = None) -> int | None:
        if self.deadline_at is None:
            return None
        now = now or timezone.now()
        return max(0, int((self.deadline_at - now).total_seconds()))


class AttemptItem(models.Model):
    """One exercise of an attempt, with the candidate's own variant of its data."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(BankExercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    weight = models.FloatField(default=1.0)
    variant_seed = models.BigIntegerField()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "exercise"], name="exercise_once_per_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.exercise}"


class Draft(models.Model):
    """An autosaved file of the candidate's workspace; `revision` rises with every save so a
    stale tab cannot overwrite newer work."""

    item = models.ForeignKey(AttemptItem, on_delete=models.CASCADE, related_name="drafts")
    path = models.CharField(max_length=255)
    content = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["item", "path"], name="one_draft_per_path")]

    def __str__(self) -> str:
        return self.path


class Submission(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(AttemptItem, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField()
    # [{"path": ..., "content_b64": ...}], as in the grading contract.
    files = models.JSONField(default=list)
    auto_submitted = models.BooleanField(default=False)  # the deadline submitted the last draft
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="submission_number_unique")
        ]

    def __str__(self) -> str:
        return f"submission {self.number} of {self.item}"

    @property
    def audit_id(self) -> str:
        return f"submission:{self.public_id}"


class RunKind(models.TextChoices):
    GRADE = "grade", "Grading"
    PUBLIC_TESTS = "public_tests", "Public tests"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Grading"
    DONE = "done", "Graded"
    FAILED = "failed", "Failed on the platform's side"


class GradingRun(models.Model):
    """One sandboxed grading of a submission (or one run of the public tests on a snapshot of
    the drafts). Workers claim a run with a conditional UPDATE and record its result with another
    that names their claim, so a redelivered or reaped message never records twice."""

    run_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=RunKind.choices, default=RunKind.GRADE)
    item = models.ForeignKey(AttemptItem, on_delete=models.CASCADE, related_name="runs")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="runs"
    )
    # Public-test runs grade a snapshot of the drafts, kept here (same shape as Submission.files).
    files = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    claim = models.UUIDField(null=True, blank=True)
    # Who holds (or last held) the claim: "host:pid" of the grading process, for operators
    # tracing a run to a machine and for the scale-out tests.
    worker = models.CharField(max_length=255, blank=True)
    deliveries = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)  # GradingResult, as JSON
    score = models.FloatField(null=True, blank=True)
    verdict = models.CharField(max_length=20, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-queued_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="run_status_heartbeat")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values), name="run_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind=RunKind.PUBLIC_TESTS) | models.Q(submission__isnull=False),
                name="grading_runs_have_a_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.run_id} ({self.status})"

    @property
    def audit_id(self) -> str:
        return f"run:{self.run_id}"
