"""Bearer-token authentication: `Authorization: Bearer vt_…`, one organisation per token."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from vetta.integrations.models import ApiToken
from vetta.integrations.services.tokens import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """Raises TokenRejected (401 with the reason) for an unknown or revoked token; a missing
    header gives ninja's AuthenticationError (401 too)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        return api_token_authenticate(secret=token)


def token_of(request: HttpRequest) -> ApiToken:
    token = getattr(request, "auth", None)
    assert isinstance(token, ApiToken), "the endpoint must require ApiTokenAuth"
    return token
