"""The HTTP API, mounted at /api/. Each version is its own NinjaAPI with its own OpenAPI
document: /api/v1/openapi.json, browsable at /api/v1/docs."""

from __future__ import annotations

from django.urls import URLResolver, path

from vetta.api.v1 import api as v1

urlpatterns: list[URLResolver] = [path("v1/", v1.urls)]
