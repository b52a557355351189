from django.urls import path

from vetta.web import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
