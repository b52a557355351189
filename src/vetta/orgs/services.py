"""Organisations, memberships, accounts and login throttling.

Actors: a ``Membership`` acts inside its organisation with its role's rights; an operator (a Django
superuser, e.g. in the admin) may act in any organisation; ``None`` is the system itself (the
``vetta`` command run by whoever operates the machine).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from vetta.governance.services import audit_record
from vetta.orgs.models import LoginFailure, Membership, MembershipRole, Organisation

Actor = Membership | User | None


class OrgsError(Exception):
    """A change to organisations or memberships breaks a rule; the message says which."""


def actor_audit_id(actor: Actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, Membership):
        return actor.audit_id
    return f"operator:{actor.pk}"


def actor_require(
    actor: Actor, *, organisation: Organisation, roles: Collection[str] = MembershipRole.values
) -> None:
    """Raises PermissionDenied unless ``actor`` may act in ``organisation`` in one of ``roles``."""
    if actor is None:
        return
    if isinstance(actor, Membership):
        if actor.organisation_id == organisation.pk and actor.role in roles:
            return
        raise PermissionDenied("your role in this organisation does not allow this")
    if actor.is_active and actor.is_superuser:
        return
    raise PermissionDenied("only operators may do this")


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "organisation"
    slug, counter = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def organisation_create(*, name: str, owner: User, actor: Actor = None) -> Organisation:
    """Creates an organisation with ``owner`` as its first owner."""
    name = name.strip()
    if not name:
        raise OrgsError("an organisation needs a name")
    if isinstance(actor, Membership):
        raise PermissionDenied("only operators may create organisations")
    organisation = Organisation.objects.create(name=name, slug=_unique_slug(name))
    audit_record(
        actor=actor_audit_id(actor),
        action="organisation.create",
        subject=organisation.audit_id,
        payload={},
    )
    membership_add(actor=actor, organisation=organisation, user=owner, role=MembershipRole.OWNER)
    return organisation


# Candidates' data is kept at least long enough for a decision and a contest of it, and at most
# ten years (GDPR minimisation: a limit, not a shelf life). The audit log is kept apart (G8).
MIN_RETENTION_DAYS, MAX_RETENTION_DAYS = 30, 3650


@transaction.atomic
def organisation_settings_update(
    *, actor: Actor, organisation: Organisation, contact_email: str, retention_days: int
) -> Organisation:
    """The contact for alternative processes and accommodations, and how long candidates' data is
    kept; both are shown in the candidate notice (G5), so only owners change them."""
    actor_require(actor, organisation=organisation, roles=[MembershipRole.OWNER])
    contact_email = contact_email.strip()
    try:
        validate_email(contact_email)
    except ValidationError:
        raise OrgsError(
            "give an e-mail address where candidates can ask for an alternative process or an "
            "accommodation"
        ) from None
    if not MIN_RETENTION_DAYS <= retention_days <= MAX_RETENTION_DAYS:
        raise OrgsError(
            f"keep candidates' data between {MIN_RETENTION_DAYS} and {MAX_RETENTION_DAYS} days"
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = {
        name: value
        for name, value in (("contact_email", contact_email), ("retention_days", retention_days))
        if getattr(organisation, name) != value
    }
    if not changed:
        return organisation
    for name, value in changed.items():
        setattr(organisation, name, value)
    organisation.save(update_fields=list(changed))
    audit_record(
        actor=actor_audit_id(actor),
        action="organisation.settings_update",
        subject=organisation.audit_id,
        # The address is the organisation's, not a person's pseudonym; the log records that it
        # changed, not what it is.
        payload={
            "changed": sorted(changed),
            "retention_days": organisation.retention_days,
        },
    )
    return organisation


@transaction.atomic
def membership_add(
    *, actor: Actor, organisation: Organisation, user: User, role: str
) -> Membership:
    actor_require(actor, organisation=organisation, roles=[MembershipRole.OWNER])
    if role not in MembershipRole.values:
        raise OrgsError(f"role {role!r} is not one of {', '.join(MembershipRole.values)}")
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise OrgsError("this user is already a member of the organisation")
    membership = Membership.objects.create(organisation=organisation, user=user, role=role)
    audit_record(
        actor=actor_audit_id(actor),
        action="membership.add",
        subject=membership.audit_id,
        payload={"organisation": organisation.audit_id, "role": role},
    )
    return membership


def _owners_left(membership: Membership) -> int:
    return (
        Membership.objects.filter(
            organisation_id=membership.organisation_id, role=MembershipRole.OWNER
        )
        .exclude(pk=membership.pk)
        .count()
    )


@transaction.atomic
def membership_role_change(*, actor: Actor, membership: Membership, role: str) -> Membership:
    actor_require(actor, organisation=membership.organisation, roles=[MembershipRole.OWNER])
    if role not in MembershipRole.values:
        raise OrgsError(f"role {role!r} is not one of {', '.join(MembershipRole.values)}")
    # Re-read under lock: two owners demoting each other at once must not leave none.
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    if current.role == role:
        return current
    if current.role == MembershipRole.OWNER and _owners_left(current) == 0:
        raise OrgsError("an organisation must keep at least one owner")
    previous = current.role
    current.role = role
    current.save(update_fields=["role"])
    audit_record(
        actor=actor_audit_id(actor),
        action="membership.role_change",
        subject=current.audit_id,
        payload={"organisation": current.organisation.audit_id, "from": previous, "to": role},
    )
    return current


@transaction.atomic
def membership_remove(*, actor: Actor, membership: Membership) -> None:
    actor_require(actor, organisation=membership.organisation, roles=[MembershipRole.OWNER])
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    if current.role == MembershipRole.OWNER and _owners_left(current) == 0:
        raise OrgsError("an organisation must keep at least one owner")
    audit_record(
        actor=actor_audit_id(actor),
        action="membership.remove",
        subject=current.audit_id,
        payload={"organisation": current.organisation.audit_id, "role": current.role},
    )
    current.delete()


@transaction.atomic
def admin_account_create(
    *, username: str, email: str, password: str, organisation_name: str | None = None
) -> User:
    """Creates an operator account (Django superuser) after checking the password's strength.

    With ``organisation_name``, the account also becomes an owner of that organisation, which is
    created if it does not exist: how a fresh installation gets its first organisation.
    """
    username = username.strip()
    if not username:
        raise OrgsError("a username is required")
    if User.objects.filter(username=username).exists():
        raise OrgsError(f"an account named {username!r} already exists")
    user = User(username=username, email=email, is_staff=True, is_superuser=True)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise OrgsError(" ".join(exc.messages)) from None
    user.set_password(password)
    user.save()
    if organisation_name:
        organisation = Organisation.objects.filter(name=organisation_name.strip()).first()
        if organisation is None:
            organisation_create(name=organisation_name, owner=user)
        else:
            membership_add(
                actor=None, organisation=organisation, user=user, role=MembershipRole.OWNER
            )
    return user


@dataclass(frozen=True)
class DemoSetup:
    organisation: Organisation
    username: str
    password: str | None  # None when the stored password no longer works (it was changed)
    password_file: Path
    created: bool


DEMO_ORGANISATION = "Demo organisation"
DEMO_ADMIN = "admin"


@transaction.atomic
def demo_setup(*, password_file: Path) -> DemoSetup:
    """Makes sure a demo organisation and its admin account exist; idempotent.

    On the first run a random password is generated and written to ``password_file`` (mode 0600);
    later runs read it back so ``vetta up`` can print the same credentials every time.
    """
    user = User.objects.filter(username=DEMO_ADMIN).first()
    created = user is None
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User(username=DEMO_ADMIN, email="admin@localhost", is_staff=True, is_superuser=True)
        user.set_password(password)
        user.save()
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.touch(mode=0o600)
        password_file.write_text(f"{DEMO_ADMIN}\n{password}\n")
    else:
        stored = password_file.read_text().split() if password_file.exists() else []
        password = stored[1] if len(stored) == 2 else ""
    organisation = Organisation.objects.filter(name=DEMO_ORGANISATION).first()
    if organisation is None:
        organisation = organisation_create(name=DEMO_ORGANISATION, owner=user)
    elif not Membership.objects.filter(organisation=organisation, user=user).exists():
        membership_add(actor=None, organisation=organisation, user=user, role=MembershipRole.OWNER)
    return DemoSetup(
        organisation=organisation,
        username=DEMO_ADMIN,
        password=password if password and user.check_password(password) else None,
        password_file=password_file,
        created=created,
    )


# --- Login throttling ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThrottleStatus:
    locked: bool
    retry_after_seconds: int = 0

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))

    @property
    def message(self) -> str:
        minutes = self.retry_after_minutes
        unit = "minute" if minutes == 1 else "minutes"
        return f"Too many attempts, try again in {minutes} {unit}."


def _key(kind: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _account_key(account: str) -> str:
    return _key("account", account.strip().casefold())


def _status(digests: list[tuple[str, str, int]]) -> ThrottleStatus:
    window = timedelta(seconds=settings.VETTA_LOGIN_WINDOW_SECONDS)
    now = timezone.now()
    since = now - window
    longest = 0
    for field, digest, limit in digests:
        moments = list(
            LoginFailure.objects.filter(**{field: digest}, created_at__gte=since)
            .order_by("created_at")
            .values_list("created_at", flat=True)
        )
        if len(moments) >= limit:
            # Locked until enough failures age out of the window to fall below the limit.
            unlock_at = moments[len(moments) - limit] + window
            longest = max(longest, math.ceil((unlock_at - now).total_seconds()))
    return ThrottleStatus(locked=longest > 0, retry_after_seconds=longest)


def _digests(account: str, client_address: str) -> list[tuple[str, str, int]]:
    digests = [("account_digest", _account_key(account), settings.VETTA_LOGIN_MAX_FAILURES)]
    if client_address:
        digests.append(
            (
                "address_digest",
                _key("address", client_address),
                settings.VETTA_LOGIN_MAX_FAILURES_PER_ADDRESS,
            )
        )
    return digests


def login_throttle_status(*, account: str, client_address: str) -> ThrottleStatus:
    """Whether logins for this account or from this client address are locked, and how long."""
    return _status(_digests(account, client_address))


@transaction.atomic
def login_failure_record(*, account: str, client_address: str) -> ThrottleStatus:
    """Counts one failed login and answers the throttle status that follows from it."""
    now = timezone.now()
    # Old rows are useless to the count; dropping them here keeps the table window-sized.
    LoginFailure.objects.filter(
        created_at__lt=now - timedelta(seconds=settings.VETTA_LOGIN_WINDOW_SECONDS)
    ).delete()
    LoginFailure.objects.create(
        account_digest=_account_key(account),
        address_digest=_key("address", client_address) if client_address else "",
        created_at=now,
    )
    return login_throttle_status(account=account, client_address=client_address)


def login_failures_clear(*, account: str) -> None:
    """A successful login forgets the account's failures (not the address's)."""
    LoginFailure.objects.filter(account_digest=_account_key(account)).delete()
