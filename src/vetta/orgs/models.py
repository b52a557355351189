"""Organisations (hiring teams, talent networks) and their members."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_id(self) -> str:
        return f"organisation:{self.pk}"


class MembershipRole(models.TextChoices):
    OWNER = "owner", "Owner"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    INTERVIEWER = "interviewer", "Interviewer"


# Roles that may change role profiles and, later, assessment plans.
EDITOR_ROLES = frozenset({MembershipRole.OWNER, MembershipRole.HIRING_MANAGER})


class Membership(models.Model):
    """A user's place in one organisation.

    ``public_id`` is the member's stable pseudonym: audit events name ``member:<public_id>``, never
    the user's name or e-mail, so erasing the person keeps the audit trail verifiable.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=MembershipRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_org"),
            models.CheckConstraint(
                condition=models.Q(role__in=MembershipRole.values), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.organisation}"

    @property
    def audit_id(self) -> str:
        return f"member:{self.public_id}"

    @property
    def can_edit_profiles(self) -> bool:
        return self.role in EDITOR_ROLES


class LoginFailure(models.Model):
    """One failed login, kept only for the throttling window.

    Account and address are keyed HMAC digests, not the typed username or the IP address: the
    table answers "how many recent failures for this key" and nothing more (privacy by design).
    Stored in the database so every web process and every machine sees the same count.
    """

    account_digest = models.CharField(max_length=64, db_index=True)
    address_digest = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"login failure at {self.created_at:%Y-%m-%d %H:%M:%S}"
