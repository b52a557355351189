"""Django admin for operators: tokens and endpoints are created through the audited services, and
their secrets are shown once, on the page that follows the creation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from vetta.integrations import delivery as http
from vetta.integrations.errors import IntegrationError
from vetta.integrations.models import (
    ApiToken,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from vetta.integrations.services.tokens import api_token_create, api_token_revoke
from vetta.integrations.services.webhooks import webhook_endpoint_add, webhook_endpoint_remove

_SECRET = "_vetta_issued_secret"  # noqa: S105  # an attribute name, not a secret


def _operator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _secret_page(request: HttpRequest, obj: Any, what: str) -> HttpResponse:
    return TemplateResponse(
        request,
        "integrations/admin/secret_once.html",
        {
            "title": f"Copy the {what} now",
            "object": obj,
            "what": what,
            "secret": getattr(request, _SECRET),
            "opts": obj._meta,
            "site_header": admin.site.site_header,
            "has_permission": True,
        },
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "organisation", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["organisation"]
    search_fields = ["name", "prefix", "organisation__name"]
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return ["organisation", "name"]
        return ["organisation", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return []
        return ["organisation", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the audit trail names the token

    def save_model(
        self, request: HttpRequest, obj: ApiToken, form: forms.ModelForm[ApiToken], change: bool
    ) -> None:
        if change:
            return
        issued = api_token_create(
            organisation=obj.organisation, name=obj.name, actor=_operator(request)
        )
        obj.pk = issued.token.pk
        setattr(request, _SECRET, issued.secret)

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        return _secret_page(request, obj, "API token")

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            api_token_revoke(token=token, actor=_operator(request))
        self.message_user(request, f"Revoked {queryset.count()} token(s).", messages.SUCCESS)


class WebhookEndpointForm(forms.ModelForm[WebhookEndpoint]):
    # A plain text field: the guard checks the scheme, no scheme is assumed for the operator.
    url = forms.CharField(max_length=500, label="URL")
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["organisation", "url", "events", "description", "active"]

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"])
        if self.instance.pk is None:
            try:
                http.check_url(url, allow_private=settings.VETTA_WEBHOOK_ALLOW_PRIVATE)
            except IntegrationError as exc:
                raise forms.ValidationError(str(exc)) from None
        return url


class DeliveryInline(admin.TabularInline[WebhookDelivery, WebhookEndpoint]):
    model = WebhookDelivery
    fields = ("event_type", "event_id", "status", "attempts", "last_status_code", "last_error")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin[WebhookEndpoint]):
    form = WebhookEndpointForm
    list_display = ["url", "organisation", "active", "created_at"]
    list_filter = ["organisation", "active"]
    inlines = [DeliveryInline]

    def get_readonly_fields(self, request: HttpRequest, obj: WebhookEndpoint | None = None) -> Any:
        # The URL is checked by the guard when added; to change it, add a new endpoint.
        return ["organisation", "url"] if obj is not None else []

    def save_model(
        self,
        request: HttpRequest,
        obj: WebhookEndpoint,
        form: forms.ModelForm[WebhookEndpoint],
        change: bool,
    ) -> None:
        if change:
            obj.save(update_fields=["events", "description", "active"])
            return
        issued = webhook_endpoint_add(
            organisation=obj.organisation,
            url=obj.url,
            events=obj.events,
            description=obj.description,
            actor=_operator(request),
        )
        obj.pk = issued.endpoint.pk
        setattr(request, _SECRET, issued.secret)

    def response_add(
        self, request: HttpRequest, obj: WebhookEndpoint, post_url_continue: str | None = None
    ) -> HttpResponse:
        return _secret_page(request, obj, "webhook signing secret")

    def delete_model(self, request: HttpRequest, obj: WebhookEndpoint) -> None:
        webhook_endpoint_remove(endpoint=obj, actor=_operator(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            self.delete_model(request, endpoint)


class AttemptInline(admin.TabularInline[WebhookAttempt, WebhookDelivery]):
    model = WebhookAttempt
    fields = ("number", "started_at", "duration_ms", "status_code", "error")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = ["event_type", "endpoint", "status", "attempts", "created_at"]
    list_filter = ["status", "event_type"]
    readonly_fields = (
        "endpoint",
        "event_id",
        "event_type",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "created_at",
        "finished_at",
        "body",
    )
    fields = readonly_fields
    inlines = [AttemptInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
