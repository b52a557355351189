"""Authentication backend that enforces login throttling on every login path (site and admin)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from vetta.orgs.services import login_failure_record, login_failures_clear, login_throttle_status


def client_address(request: HttpRequest | None) -> str:
    """The peer address. Behind a reverse proxy, set it from X-Forwarded-For in the proxy layer."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        address = client_address(request)
        if login_throttle_status(account=username, client_address=address).locked:
            # PermissionDenied stops Django from trying other backends; nothing is counted, so
            # a locked account unlocks on time even if someone keeps trying.
            raise PermissionDenied("too many attempts")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failure_record(account=username, client_address=address)
        else:
            login_failures_clear(account=username)
        return user
