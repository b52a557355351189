"""Request and response schemas of the HTTP API (v1). Field names are the API's contract:
change them only with a new version."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

InvitationStatus = Literal["pending", "used", "expired", "revoked"]
AttemptStatus = Literal["notice", "ready", "in_progress", "finished"]
ItemStatus = Literal["not_submitted", "queued", "grading", "graded", "failed"]


def _plain_text(value: str) -> str:
    # Control characters (NUL above all: PostgreSQL refuses it) and lone surrogates cannot be
    # stored; refusing them here turns a database error into a 422 that names the field.
    if any(unicodedata.category(c) in {"Cc", "Cs"} for c in value):
        raise ValueError("must not contain control characters")
    return value


class ErrorOut(Schema):
    """Every 4xx answer: a machine-readable `code` and a sentence for people."""

    code: str = Field(examples=["not_found"])
    detail: str = Field(examples=["No such attempt"])
    errors: list[dict[str, object]] | None = Field(
        None, description="For `invalid_request`: each field's problem (loc, msg, type)."
    )


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=200, description="Items per page.")
    offset: int = Field(0, ge=0, le=1_000_000, description="Items to skip.")


class _Page(Schema):
    count: int = Field(description="Items matching the filters, all pages together.")
    limit: int
    offset: int


# Plans ---------------------------------------------------------------------------------------


class RoleProfileOut(Schema):
    id: int
    name: str
    role_context: str


class ExerciseOut(Schema):
    slug: str
    version: str
    title: str
    method: str
    time_limit_minutes: int
    skill_areas: dict[str, float]


class PlanItemOut(Schema):
    position: int
    weight: float
    exercise: ExerciseOut


class PlanOut(Schema):
    id: UUID
    name: str
    role_profile: RoleProfileOut
    time_budget_minutes: int
    total_minutes: int
    items: list[PlanItemOut]
    created_at: datetime
    updated_at: datetime


class PlanPage(_Page):
    items: list[PlanOut]


# Invitations ---------------------------------------------------------------------------------


class InvitationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    plan_id: UUID
    email: str = Field(min_length=3, max_length=254, json_schema_extra={"format": "email"})
    name: str = Field("", max_length=120, pattern=r"^[^\x00-\x1f\x7f]*$")
    expires_in_days: int | None = Field(
        None, ge=1, le=90, description="Days the link stays valid (default: the server's)."
    )
    send_email: bool = Field(True, description="E-mail the link to the candidate.")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = _plain_text(value).strip()
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("is not a valid e-mail address") from None
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _plain_text(value)


class InvitationFilters(PageParams):
    plan_id: UUID | None = None
    status: InvitationStatus | None = None


class CandidateOut(Schema):
    id: UUID = Field(description="The candidate's pseudonymous id, as in webhooks.")
    email: str
    name: str


class InvitationOut(Schema):
    id: UUID
    plan_id: UUID
    candidate: CandidateOut
    status: InvitationStatus
    expires_at: datetime
    created_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None
    email_sent_at: datetime | None
    attempt_id: UUID | None = Field(description="Set once the candidate opened the link.")


class InvitationCreatedOut(InvitationOut):
    url: str = Field(description="The candidate's link. Shown once: Vetta keeps only its hash.")


class InvitationPage(_Page):
    items: list[InvitationOut]


# Attempts and results ------------------------------------------------------------------------


class AttemptFilters(PageParams):
    plan_id: UUID | None = None
    status: AttemptStatus | None = None


class ExerciseRefOut(Schema):
    slug: str
    version: str
    title: str


class AttemptItemOut(Schema):
    position: int
    exercise: ExerciseRefOut
    weight: float
    status: ItemStatus = Field(description="Live: not_submitted, queued, grading, graded, failed.")
    submissions: int
    score: float | None


class AttemptSummaryOut(Schema):
    id: UUID
    plan_id: UUID
    invitation_id: UUID
    candidate: CandidateOut
    status: AttemptStatus
    claimed_at: datetime
    started_at: datetime | None
    deadline_at: datetime | None
    finished_at: datetime | None


class AttemptOut(AttemptSummaryOut):
    notice_acknowledged_at: datetime | None
    time_multiplier: float
    seconds_left: int | None = Field(description="By the server's clock; null before the start.")
    items: list[AttemptItemOut]


class AttemptPage(_Page):
    items: list[AttemptSummaryOut]


class TestOut(Schema):
    name: str
    points: float
    max_points: float
    visible: bool = Field(description="False for hidden tests (never shown to the candidate).")
    passed: bool
    message: str
    group: str


class ItemResultOut(Schema):
    position: int
    exercise: ExerciseRefOut
    weight: float
    status: ItemStatus
    submission_number: int | None
    submitted_at: datetime | None
    auto_submitted: bool | None
    graded_at: datetime | None
    score: float | None
    verdict: str | None
    points: float | None
    max_points: float | None
    summary: str
    failure: str = Field(description="Why grading failed on the platform's side, if it did.")
    tests: list[TestOut]
    metrics: dict[str, float | None] = Field(description="null where a metric is undefined.")


class SkillEvidenceOut(Schema):
    exercise: str
    weight: float
    score: float | None


class SkillOut(Schema):
    skill_area: str
    level: str
    score: float | None = Field(description="Weighted by each exercise's weight for the area.")
    evidence: list[SkillEvidenceOut]


class ResultsOut(Schema):
    attempt_id: UUID
    status: AttemptStatus
    overall_score: float | None
    items: list[ItemResultOut]
    skills: list[SkillOut]
