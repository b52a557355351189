"""API tokens: created and revoked by an organisation's owner or an operator, checked on every
API request."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from vetta.governance.services import audit_record
from vetta.integrations.errors import IntegrationError
from vetta.integrations.models import ApiToken
from vetta.orgs.models import MembershipRole, Organisation
from vetta.orgs.services import Actor, actor_audit_id, actor_require

TOKEN_PREFIX = "vt_"  # noqa: S105  # the public prefix of every token
# token_urlsafe(32) gives 43 characters; anything much longer is not one of ours, and is not
# worth hashing.
MAX_TOKEN_CHARS = 64
# Writing last_used_at on every request would turn each read into a write; a minute is precise
# enough to tell whether a token is still in use.
LAST_USED_PRECISION = timedelta(seconds=60)


class TokenRejected(IntegrationError):
    """The presented token is unknown or revoked; the message says which, for the client."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, organisation: Organisation, name: str, actor: Actor = None) -> IssuedToken:
    """A new token for `organisation`. Only owners (and operators, and the `vetta` command)
    create tokens: a token may invite candidates and read every result of the organisation."""
    actor_require(actor, organisation=organisation, roles={MembershipRole.OWNER})
    name = " ".join(name.split())
    if not name:
        raise IntegrationError("give the token a name that says who uses it, e.g. 'ATS sync'")
    if len(name) > 120:
        raise IntegrationError("a token's name has at most 120 characters")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
    )
    audit_record(
        actor=actor_audit_id(actor),
        action="api_token.create",
        subject=token.audit_id,
        payload={"organisation": organisation.audit_id},
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Actor = None) -> ApiToken:
    """Stops the token from working at once; revoking a revoked token changes nothing."""
    actor_require(actor, organisation=token.organisation, roles={MembershipRole.OWNER})
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor_audit_id(actor),
        action="api_token.revoke",
        subject=token.audit_id,
        payload={"organisation": token.organisation.audit_id},
    )
    return token


def api_token_authenticate(*, secret: str) -> ApiToken:
    """The active token whose secret this is, with its last use noted; TokenRejected otherwise.

    Only digests are compared, in the database: the secret itself is never stored or logged.
    """
    secret = secret.strip()
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_TOKEN_CHARS:
        raise TokenRejected("Unknown API token. Tokens look like 'vt_…'.")
    token = (
        ApiToken.objects.select_related("organisation").filter(digest=token_digest(secret)).first()
    )
    if token is None:
        raise TokenRejected("Unknown API token.")
    if token.revoked_at is not None:
        raise TokenRejected("This API token was revoked.")
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
