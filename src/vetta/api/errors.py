"""One mapping from domain errors to HTTP answers, the same for every endpoint.

| error | status | code |
|---|---|---|
| missing, unknown or revoked token | 401 | unauthorized |
| PermissionDenied | 403 | forbidden |
| Http404 (incl. another organisation's object) | 404 | not_found |
| DuplicateInvitation, DraftConflict, AttemptClosed | 409 | conflict |
| InvitationInvalid | 410 | gone |
| request body too large | 413 | too_large |
| schema validation (body, query, path) | 422 | invalid_request |
| other AssessmentError / IntegrationError (a business rule) | 400 | rule_broken |
| RateLimited | 429 | rate_limited (with Retry-After) |
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from vetta.assessments.errors import (
    AssessmentError,
    AttemptClosed,
    DraftConflict,
    DuplicateInvitation,
    InvitationInvalid,
    RateLimited,
)
from vetta.integrations.errors import IntegrationError
from vetta.integrations.services.tokens import TokenRejected

# Requests of this API are small JSON documents; 64 KiB is generous, and much less than Django's
# own 2.5 MiB limit, so a big body is refused before anyone parses it.
MAX_BODY_BYTES = 64 * 1024


def error(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


def _unauthorized(api: NinjaAPI, request: HttpRequest, detail: str) -> HttpResponse:
    response = error(api, request, status=401, code="unauthorized", detail=detail)
    response["WWW-Authenticate"] = 'Bearer realm="vetta"'
    return response


def _clean(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # ninja's entries may carry the input and exception objects ("ctx"): keep what is JSON.
    return [
        {
            "loc": [str(p) for p in e.get("loc", [])],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]


def install(api: NinjaAPI) -> None:
    def handler(exc_class: type[Exception]) -> Callable[[Callable[..., HttpResponse]], Any]:
        def register(fn: Callable[[HttpRequest, Any], HttpResponse]) -> Any:
            api.add_exception_handler(exc_class, fn)
            return fn

        return register

    @handler(TokenRejected)
    def token_rejected(request: HttpRequest, exc: TokenRejected) -> HttpResponse:
        return _unauthorized(api, request, str(exc))

    @handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _unauthorized(
            api, request, "Send an API token: 'Authorization: Bearer vt_…' (see docs/api.md)."
        )

    @handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {400: "bad_request", 413: "too_large", 429: "rate_limited"}
        code = codes.get(exc.status_code, "error")
        return error(api, request, status=exc.status_code, code=code, detail=str(exc))

    @handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error(
            api,
            request,
            status=422,
            code="invalid_request",
            detail="The request does not match the API's schema; see `errors`.",
            errors=_clean(list(exc.errors)),
        )

    @handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error(api, request, status=404, code="not_found", detail=str(exc) or "Not found")

    @handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error(api, request, status=403, code="forbidden", detail=str(exc) or "Not allowed")

    @handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error(
            api,
            request,
            status=413,
            code="too_large",
            detail=f"At most {MAX_BODY_BYTES} bytes per body.",
        )

    @handler(AssessmentError)
    def rule_broken(request: HttpRequest, exc: AssessmentError) -> HttpResponse:
        if isinstance(exc, RateLimited):
            response = error(api, request, status=429, code="rate_limited", detail=str(exc))
            response["Retry-After"] = str(exc.retry_after)
            return response
        if isinstance(exc, DuplicateInvitation | DraftConflict | AttemptClosed):
            return error(api, request, status=409, code="conflict", detail=str(exc))
        if isinstance(exc, InvitationInvalid):
            return error(api, request, status=410, code="gone", detail=str(exc))
        return error(api, request, status=400, code="rule_broken", detail=str(exc))

    @handler(IntegrationError)
    def integration_rule(request: HttpRequest, exc: IntegrationError) -> HttpResponse:
        return error(api, request, status=400, code="rule_broken", detail=str(exc))


def body_size_cap(api: NinjaAPI) -> Callable[[Callable[..., HttpResponse]], Any]:
    """A view-mode decorator (it runs before ninja parses anything) that answers 413 for a body
    announced larger than MAX_BODY_BYTES; Django's own limit still guards bodies sent without a
    Content-Length."""

    def decorate(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(run)
        def capped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            raw = request.META.get("CONTENT_LENGTH") or "0"
            if not raw.isdigit():
                return error(
                    api,
                    request,
                    status=400,
                    code="bad_request",
                    detail="Content-Length is not a number.",
                )
            if int(raw) > MAX_BODY_BYTES:
                return error(
                    api,
                    request,
                    status=413,
                    code="too_large",
                    detail=f"At most {MAX_BODY_BYTES} bytes per body.",
                )
            return run(request, *args, **kwargs)

        return capped

    return decorate
