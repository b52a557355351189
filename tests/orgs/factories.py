"""Builders for the foundation's tests: users, organisations, members, the loaded catalog."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import User

from vetta.catalog.models import RoleProfile
from vetta.catalog.services import catalog_load
from vetta.orgs.models import Membership, MembershipRole, Organisation
from vetta.orgs.services import membership_add, organisation_create

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_user(username: str | None = None, *, password: str = PASSWORD, **extra: object) -> User:
    username = username or f"user{next(_numbers)}"
    return User.objects.create_user(
        username=username, email=f"{username}@example.org", password=password, **extra
    )


def make_organisation(name: str = "Acme", *, owner: User | None = None) -> Organisation:
    return organisation_create(name=name, owner=owner or make_user())


def make_member(
    organisation: Organisation,
    role: str = MembershipRole.HIRING_MANAGER,
    *,
    user: User | None = None,
) -> Membership:
    return membership_add(
        actor=None, organisation=organisation, user=user or make_user(), role=role
    )


def owner_of(organisation: Organisation) -> Membership:
    return organisation.memberships.get(role=MembershipRole.OWNER)


def builtin(key: str) -> RoleProfile:
    """A built-in role profile; loads the catalog first if none is loaded yet."""
    if not RoleProfile.objects.filter(organisation__isnull=True).exists():
        catalog_load()
    return RoleProfile.objects.get(builtin_key=key)
