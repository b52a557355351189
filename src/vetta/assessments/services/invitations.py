"""Invitations: single-use, expiring links sent by e-mail, one at a time or from a CSV file."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from vetta.assessments.errors import AssessmentError, DuplicateInvitation, InvitationInvalid
from vetta.assessments.models import (
    AssessmentPlan,
    Attempt,
    AttemptItem,
    Candidate,
    Invitation,
)
from vetta.governance.services import audit_record
from vetta.orgs.models import EDITOR_ROLES, Membership

MAX_BULK_ROWS = 1000
MAX_DAYS = 90


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return f"{settings.VETTA_BASE_URL}/invite/{token}"


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    url: str  # holds the secret token: shown once, e-mailed, never stored


class Inviter(Protocol):
    """Who invites: a `Membership`, or an actor scoped to one organisation that was given the
    right to invite when it was created, such as an API token (`vetta.integrations`)."""

    @property
    def organisation_id(self) -> int: ...

    @property
    def audit_id(self) -> str: ...


def _require_editor(actor: Inviter, plan: AssessmentPlan) -> None:
    if plan.organisation_id != actor.organisation_id:
        raise PermissionDenied("this plan belongs to another organisation")
    if isinstance(actor, Membership) and actor.role not in EDITOR_ROLES:
        raise PermissionDenied("only owners and hiring managers invite candidates")


def _clean_email(email: str) -> str:
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise AssessmentError(f"{email!r} is not a valid e-mail address") from None
    return email.lower()


def _send(invitation: Invitation, url: str) -> None:
    plan = invitation.plan
    context = {
        "candidate": invitation.candidate,
        "organisation": plan.organisation,
        "plan": plan,
        "url": url,
        "expires_at": invitation.expires_at,
        "minutes": plan.total_minutes,
    }
    send_mail(
        subject=f"{plan.organisation.name} invites you to a Vetta assessment",
        message=render_to_string("assessments/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.candidate.email],
    )
    Invitation.objects.filter(pk=invitation.pk).update(email_sent_at=timezone.now())


def _issue(
    *, actor: Inviter, plan: AssessmentPlan, candidate: Candidate, days: int, send: bool
) -> IssuedInvitation:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        plan=plan,
        candidate=candidate,
        token_digest=token_digest(token),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=actor if isinstance(actor, Membership) else None,
    )
    url = invitation_url(token)
    audit_record(
        actor=actor.audit_id,
        action="invitation.create",
        subject=invitation.audit_id,
        payload={"plan": plan.audit_id, "candidate": candidate.audit_id, "days": days},
    )
    if send:
        # After commit: a rolled-back invitation must not reach anyone's inbox. Robust: a mail
        # server that is down must not lose the committed invitation's link (the caller still
        # gets it, and `email_sent_at` stays empty so people can see it was not sent).
        transaction.on_commit(lambda: _send(invitation, url), robust=True)
    return IssuedInvitation(invitation=invitation, url=url)


def _days(expires_in_days: int | None) -> int:
    days = settings.VETTA_INVITATION_DAYS if expires_in_days is None else expires_in_days
    if not 1 <= days <= MAX_DAYS:
        raise AssessmentError(f"links can stay valid between 1 and {MAX_DAYS} days")
    return days


@transaction.atomic
def invitation_create(
    *,
    actor: Inviter,
    plan: AssessmentPlan,
    email: str,
    name: str = "",
    expires_in_days: int | None = None,
    send_email: bool = True,
) -> IssuedInvitation:
    _require_editor(actor, plan)
    if not plan.items.exists():
        raise AssessmentError("this plan has no exercises yet")
    email = _clean_email(email)
    days = _days(expires_in_days)
    candidate, created = Candidate.objects.get_or_create(
        organisation=plan.organisation, email=email, defaults={"name": name.strip()[:120]}
    )
    if not created and name.strip() and not candidate.name:
        candidate.name = name.strip()[:120]
        candidate.save(update_fields=["name"])
    pending = Invitation.objects.filter(
        plan=plan,
        candidate=candidate,
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise DuplicateInvitation(f"{email} already has a pending invitation to this plan")
    return _issue(actor=actor, plan=plan, candidate=candidate, days=days, send=send_email)


@dataclass
class BulkRow:
    line: int
    email: str
    status: str  # invited / skipped / error
    message: str = ""
    invitation: Invitation | None = None


@dataclass
class BulkReport:
    rows: list[BulkRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def invitation_bulk_create(
    *, actor: Membership, plan: AssessmentPlan, csv_text: str, expires_in_days: int | None = None
) -> BulkReport:
    """One invitation per CSV row (columns `email` and optionally `name`); every row gets a line
    in the report, and a bad row never stops the others."""
    _require_editor(actor, plan)
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "email" not in headers:
        raise AssessmentError("the CSV needs a header row with an `email` column (and `name`)")
    reader.fieldnames = headers
    report = BulkReport()
    seen: set[str] = set()
    for row in reader:
        number = reader.line_num  # the file's own line, blank lines counted
        if len(report.rows) >= MAX_BULK_ROWS:
            raise AssessmentError(f"at most {MAX_BULK_ROWS} rows per file")
        raw = (row.get("email") or "").strip()
        if not raw and not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # a blank line
        try:
            email = _clean_email(raw)
        except AssessmentError as exc:
            report.rows.append(BulkRow(number, raw, "error", str(exc)))
            continue
        if email in seen:
            report.rows.append(BulkRow(number, email, "skipped", "repeated in this file"))
            continue
        seen.add(email)
        try:
            issued = invitation_create(
                actor=actor,
                plan=plan,
                email=email,
                name=(row.get("name") or "").strip(),
                expires_in_days=expires_in_days,
            )
        except AssessmentError as exc:
            status = "skipped" if "already has" in str(exc) else "error"
            report.rows.append(BulkRow(number, email, status, str(exc)))
            continue
        report.rows.append(BulkRow(number, email, "invited", invitation=issued.invitation))
    return report


@transaction.atomic
def invitation_resend(*, actor: Membership, invitation: Invitation) -> IssuedInvitation:
    """A fresh link for the same candidate and plan; the old link stops working. A candidate who
    already started keeps their attempt: the new link leads back to it."""
    _require_editor(actor, invitation.plan)
    token = secrets.token_urlsafe(32)
    invitation.token_digest = token_digest(token)
    invitation.expires_at = max(
        invitation.expires_at, timezone.now() + timedelta(days=settings.VETTA_INVITATION_DAYS)
    )
    invitation.used_at = None
    invitation.revoked_at = None
    invitation.email_sent_at = None  # set again once the new link's e-mail is out
    invitation.save(
        update_fields=["token_digest", "expires_at", "used_at", "revoked_at", "email_sent_at"]
    )
    url = invitation_url(token)
    audit_record(
        actor=actor.audit_id, action="invitation.resend", subject=invitation.audit_id, payload={}
    )
    transaction.on_commit(lambda: _send(invitation, url), robust=True)
    return IssuedInvitation(invitation=invitation, url=url)


@transaction.atomic
def invitation_revoke(*, actor: Membership, invitation: Invitation) -> Invitation:
    _require_editor(actor, invitation.plan)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor.audit_id, action="invitation.revoke", subject=invitation.audit_id, payload={}
    )
    return invitation


def _prepare(attempt_id: int) -> None:
    from vetta.assessments.tasks import prepare_attempt_task

    prepare_attempt_task.delay(attempt_id)


def _variant_seed(attempt: Attempt, slug: str) -> int:
    # Per candidate and exercise, stable, and not guessable from anything the candidate sees.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{attempt.public_id}:{slug}".encode())
    return int.from_bytes(digest.digest()[:4], "big")


def invitation_refusal(invitation: Invitation | None) -> str | None:
    """Why a link cannot be claimed, in words for the candidate; None when it can. The page
    behind a link shows this before anyone presses a button, and the claim enforces it."""
    if invitation is None:
        return "This link is not valid. Check that you copied all of it."
    if invitation.revoked_at is not None:
        return "This invitation was withdrawn by the hiring team."
    if invitation.used_at is not None:
        return (
            "This link has already been used. If you lost access to your assessment, ask the "
            "hiring team to send you a new link."
        )
    if invitation.expires_at <= timezone.now():
        return (
            "This invitation has expired. Ask the hiring team for a new one if you still want "
            "to take part."
        )
    return None


@transaction.atomic
def invitation_claim(*, token: str) -> Attempt:
    """Opens the attempt behind a link, once. The link is used up by this call; the browser
    that claimed it keeps access through its session."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("plan", "candidate")
        .filter(token_digest=token_digest(token))
        .first()
    )
    refusal = invitation_refusal(invitation)
    if refusal is not None or invitation is None:
        raise InvitationInvalid(refusal)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    attempt = Attempt.objects.filter(invitation=invitation).first()
    if attempt is None:
        attempt = Attempt.objects.create(
            invitation=invitation, candidate=invitation.candidate, plan=invitation.plan
        )
        for item in invitation.plan.items.select_related("exercise"):
            AttemptItem.objects.create(
                attempt=attempt,
                exercise=item.exercise,
                position=item.position,
                weight=item.weight,
                variant_seed=_variant_seed(attempt, item.exercise.slug),
            )
        attempt_id = attempt.pk
        # Each candidate's data is generated by a worker while they read the notice.
        transaction.on_commit(lambda: _prepare(attempt_id))
    audit_record(
        actor=invitation.candidate.audit_id,
        action="invitation.claim",
        subject=invitation.audit_id,
        payload={"attempt": attempt.audit_id},
    )
    return attempt
