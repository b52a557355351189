"""Hiring-team pages: plans, invitations, attempts and results, organisation settings.

Every name starts with `hiring_` and every path with `plans/`, `invitations/`, `results/` or
`organisation/settings/`, so the candidate pages (mounted first) cannot shadow them.
"""

from __future__ import annotations

from django.urls import URLPattern, path

from vetta.web.views import hiring_attempts, hiring_invitations, hiring_plans, hiring_settings

urlpatterns: list[URLPattern] = [
    path("plans/", hiring_plans.plan_list, name="hiring_plan_list"),
    path("plans/new/", hiring_plans.plan_new, name="hiring_plan_new"),
    path("plans/<uuid:plan_id>/", hiring_plans.plan_detail, name="hiring_plan_detail"),
    path("plans/<uuid:plan_id>/settings/", hiring_plans.plan_settings, name="hiring_plan_settings"),
    path(
        "plans/<uuid:plan_id>/exercises/",
        hiring_plans.plan_exercises,
        name="hiring_plan_exercises",
    ),
    path("plans/<uuid:plan_id>/invite/", hiring_invitations.invite, name="hiring_invite"),
    path(
        "plans/<uuid:plan_id>/invite/csv/",
        hiring_invitations.invite_bulk,
        name="hiring_invite_bulk",
    ),
    path(
        "invitations/<uuid:invitation_id>/resend/",
        hiring_invitations.resend,
        name="hiring_invitation_resend",
    ),
    path(
        "invitations/<uuid:invitation_id>/revoke/",
        hiring_invitations.revoke,
        name="hiring_invitation_revoke",
    ),
    path("results/", hiring_attempts.attempt_list, name="hiring_attempt_list"),
    path(
        "results/<uuid:attempt_id>/",
        hiring_attempts.attempt_detail,
        name="hiring_attempt_detail",
    ),
    path(
        "results/<uuid:attempt_id>/status.json",
        hiring_attempts.attempt_status,
        name="hiring_attempt_status",
    ),
    path(
        "results/<uuid:attempt_id>/accommodation/",
        hiring_attempts.attempt_accommodation,
        name="hiring_attempt_accommodation",
    ),
    path(
        "organisation/settings/",
        hiring_settings.organisation_settings,
        name="hiring_organisation_settings",
    ),
]
