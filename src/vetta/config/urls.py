"""URL routes. Each app owns its own `urls.py`; this file only mounts them."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("vetta.api.urls")),
    path("", include("vetta.web.urls")),
]
