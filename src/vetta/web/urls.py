from django.contrib.auth import views as auth_views
from django.urls import include, path

from vetta.web.forms import LoginForm
from vetta.web.views import dashboard, health, profiles

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", include("vetta.web.urls_candidate")),
    path("", include("vetta.web.urls_hiring")),
    path("", dashboard.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("organisation/switch/", dashboard.organisation_switch, name="organisation_switch"),
    path("roles/", profiles.profile_list, name="profile_list"),
    path("roles/<int:id>/", profiles.profile_detail, name="profile_detail"),
    path("roles/<int:id>/derive/", profiles.profile_derive, name="profile_derive"),
    path("roles/<int:id>/edit/", profiles.profile_edit, name="profile_edit"),
    path("roles/<int:id>/job-description/", profiles.job_description, name="job_description"),
    path(
        "roles/<int:id>/job-description.md",
        profiles.job_description_download,
        name="job_description_download",
    ),
]
