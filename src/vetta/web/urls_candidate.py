"""Candidate pages: invitation link, notice, timed attempt, feedback. Owned by the candidate UI."""

from __future__ import annotations

from django.urls import URLPattern, path

from vetta.web.views import candidate, candidate_api

_A = "assessment/<uuid:attempt_id>/"
_X = _A + "exercises/<int:item_id>/"

urlpatterns: list[URLPattern] = [
    path("invite/<str:token>", candidate.invitation_open, name="invitation_open"),
    path(_A, candidate.attempt_home, name="candidate_attempt"),
    path(_A + "notice/", candidate.notice, name="candidate_notice"),
    path(_A + "start/", candidate.start, name="candidate_start"),
    path(_A + "work/", candidate.workspace, name="candidate_workspace"),
    path(_A + "results/", candidate.results, name="candidate_results"),
    path(_A + "finish/", candidate.finish, name="candidate_finish"),
    path(_X + "regrade/", candidate.regrade, name="candidate_regrade"),
    # JSON endpoints of the workspace.
    path(_A + "status.json", candidate_api.status, name="candidate_status"),
    path(_X + "drafts/", candidate_api.draft, name="candidate_draft_save"),
    path(_X + "uploads/", candidate_api.upload, name="candidate_upload"),
    path(_X + "public-tests/", candidate_api.public_tests_run, name="candidate_public_tests"),
    path(
        _X + "public-tests/<uuid:run_id>/",
        candidate_api.public_tests_status,
        name="candidate_public_tests_status",
    ),
    path(_X + "submissions/", candidate_api.submit, name="candidate_submit"),
]
