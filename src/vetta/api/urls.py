"""The HTTP API, mounted at /api/. Each version is its own NinjaAPI with its own OpenAPI
document: /api/v1/openapi.json, browsable at /api/v1/docs."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, path, re_path

from vetta.api.v1 import api as v1


def unknown_endpoint(request: HttpRequest, rest: str = "") -> JsonResponse:
    """A JSON 404 for any other path under /api/, as clients of a JSON API expect."""
    return JsonResponse(
        {"code": "not_found", "detail": "No such API endpoint; see /api/v1/openapi.json."},
        status=404,
    )


urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", v1.urls),
    re_path(r"^(?P<rest>.*)$", unknown_endpoint),
]
