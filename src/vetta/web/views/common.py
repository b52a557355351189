"""What several views need: the member the request acts as."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from vetta.orgs.models import Membership
from vetta.orgs.selectors import membership_get_current

SESSION_ORGANISATION = "vetta_organisation_id"


def current_membership(request: HttpRequest) -> Membership | None:
    chosen = request.session.get(SESSION_ORGANISATION)
    return membership_get_current(
        user=request.user, organisation_id=chosen if isinstance(chosen, int) else None
    )


def require_membership(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    if membership is None:
        raise PermissionDenied("you are not a member of any organisation")
    return membership


def authenticated_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("log in first")
    return user
