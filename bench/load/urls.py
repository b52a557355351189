"""The whole site, plus the benchmark's candidate endpoints under /bench/."""

from bench.load import views
from django.urls import include, path

urlpatterns = [
    path("bench/session/<uuid:public_id>", views.session_claim),
    path("bench/attempt/<uuid:public_id>/draft", views.draft_autosave),
    path("bench/attempt/<uuid:public_id>/status", views.attempt_status),
    path("bench/attempt/<uuid:public_id>/submit", views.submit),
    path("", include("vetta.config.urls")),
]
