"""Errors of API tokens and webhooks; each message is written for the operator who reads it."""

from __future__ import annotations


class IntegrationError(Exception):
    """A rule of API tokens or webhook endpoints was broken."""


class UnsafeWebhookUrl(IntegrationError):
    """The URL is not http(s), or it points at a private, loopback or otherwise internal address
    (server-side request forgery guard)."""
