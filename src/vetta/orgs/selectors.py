"""Permission-checked reads of organisations and memberships.

Isolation rule: a user sees only the organisations they are a member of; anything else answers
404, so the existence of another organisation's objects is not revealed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from vetta.orgs.models import Membership, Organisation


def membership_list_for_user(*, user: Any) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def membership_get_current(*, user: Any, organisation_id: int | None = None) -> Membership | None:
    """The membership the user is working in: the chosen organisation's, else their first."""
    memberships = membership_list_for_user(user=user)
    if organisation_id is not None:
        chosen = memberships.filter(organisation_id=organisation_id).first()
        if chosen is not None:
            return chosen
    return memberships.first()


def organisation_get(*, user: Any, id: int) -> Organisation:
    membership = membership_list_for_user(user=user).filter(organisation_id=id).first()
    if membership is None:
        raise Http404("No such organisation")
    return membership.organisation


def membership_get(*, user: Any, id: int) -> Membership:
    """A membership of one of the user's organisations."""
    organisations = membership_list_for_user(user=user).values("organisation_id")
    membership = (
        Membership.objects.filter(id=id, organisation_id__in=organisations)
        .select_related("organisation", "user")
        .first()
    )
    if membership is None:
        raise Http404("No such member")
    return membership


def membership_list_for_organisation(*, user: Any, organisation_id: int) -> QuerySet[Membership]:
    organisation = organisation_get(user=user, id=organisation_id)
    return organisation.memberships.select_related("user").order_by("role", "user__username")
