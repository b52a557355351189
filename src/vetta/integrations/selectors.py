"""Reads of tokens, endpoints and deliveries, for the CLI and the admin (operators)."""

from __future__ import annotations

from django.db.models import QuerySet

from vetta.integrations.errors import IntegrationError
from vetta.integrations.models import ApiToken, WebhookDelivery, WebhookEndpoint
from vetta.orgs.models import Organisation


def organisation_get_by_slug(*, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        known = ", ".join(Organisation.objects.values_list("slug", flat=True)[:20]) or "none"
        raise IntegrationError(f"no organisation has the slug {slug!r} (known: {known})")
    return organisation


def api_token_list(*, organisation: Organisation | None = None) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("organisation")
    if organisation is not None:
        tokens = tokens.filter(organisation=organisation)
    return tokens.order_by("organisation__slug", "id")


def api_token_get(*, id: int) -> ApiToken:
    token = ApiToken.objects.select_related("organisation").filter(pk=id).first()
    if token is None:
        raise IntegrationError(f"no API token has the id {id}")
    return token


def webhook_endpoint_list(*, organisation: Organisation | None = None) -> QuerySet[WebhookEndpoint]:
    endpoints = WebhookEndpoint.objects.select_related("organisation")
    if organisation is not None:
        endpoints = endpoints.filter(organisation=organisation)
    return endpoints.order_by("organisation__slug", "id")


def webhook_endpoint_get(*, id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_related("organisation").filter(pk=id).first()
    if endpoint is None:
        raise IntegrationError(f"no webhook endpoint has the id {id}")
    return endpoint


def webhook_delivery_latest(*, endpoint: WebhookEndpoint) -> WebhookDelivery | None:
    return endpoint.deliveries.order_by("-created_at", "-id").first()
