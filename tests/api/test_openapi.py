"""The served OpenAPI document is valid, describes every endpoint and its errors, and its docs
page loads nothing from outside Vetta."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("get", "/api/v1/plans"),
    ("get", "/api/v1/plans/{plan_id}"),
    ("post", "/api/v1/invitations"),
    ("get", "/api/v1/invitations"),
    ("get", "/api/v1/invitations/{invitation_id}"),
    ("get", "/api/v1/attempts"),
    ("get", "/api/v1/attempts/{attempt_id}"),
    ("get", "/api/v1/attempts/{attempt_id}/results"),
}


@pytest.fixture
def document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data: dict[str, Any] = response.json()
    return data


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Vetta API"


def test_the_document_lists_every_endpoint_and_no_other(document: dict[str, Any]) -> None:
    assert set(operations(document)) == ENDPOINTS


def test_every_endpoint_requires_a_bearer_token_and_documents_its_json_errors(
    document: dict[str, Any],
) -> None:
    schemes = document["components"]["securitySchemes"]
    assert list(schemes.values()) == [{"type": "http", "scheme": "bearer"}]
    (scheme,) = schemes
    for key, operation in operations(document).items():
        assert operation["security"] == [{scheme: []}], key
        for status in ("401", "422"):
            error = operation["responses"][status]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorOut"}, (key, status)
        if "{" in key[1] or key[0] == "post":
            assert "404" in operation["responses"], key


def test_lists_document_their_pagination_and_filters(document: dict[str, Any]) -> None:
    ops = operations(document)
    for path, filters in (
        ("/api/v1/plans", set()),
        ("/api/v1/invitations", {"plan_id", "status"}),
        ("/api/v1/attempts", {"plan_id", "status"}),
    ):
        names = {p["name"] for p in ops[("get", path)]["parameters"]}
        assert names == {"limit", "offset"} | filters, path


def test_the_docs_page_loads_only_vetta_s_own_assets(world: Any) -> None:
    client = Client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the docs page references no assets at all"
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", html)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        served = client.get(asset)
        served.close()  # a file response: close the file
        assert served.status_code == 200, asset
    assert '"validatorUrl": null' in html  # Swagger UI's badge would call swagger.io
