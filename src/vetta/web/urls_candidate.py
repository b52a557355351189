"""Candidate pages: invitation link, notice, timed attempt, feedback. Owned by the candidate UI."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
