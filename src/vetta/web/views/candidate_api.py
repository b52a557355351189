"""The small JSON endpoints the candidate's workspace calls: autosave, uploads, public test runs,
submissions, and the status it polls (deadline, and queued / grading / graded per exercise).

Every endpoint finds the attempt through the browser's session (another candidate's attempt is a
404) and is CSRF-protected like any form: the script sends the token in the X-CSRFToken header.
Service errors become answers the script can show as they are:

- AttemptClosed → 409 `{"error", "closed": true}` (the deadline passed or the attempt finished),
- DraftConflict → 409 `{"error", "conflict": true, "revision", "content"}`,
- RateLimited → 429 with Retry-After,
- any other AssessmentError → 400 `{"error"}`; a missing object → 404 `{"error"}`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from vetta.assessments.errors import AssessmentError, AttemptClosed, DraftConflict, RateLimited
from vetta.assessments.models import RunKind
from vetta.assessments.selectors import (
    attempt_item_get,
    grading_run_for_item,
    item_result,
)
from vetta.assessments.services.attempts import (
    MAX_DRAFT_CHARS,
    draft_save,
    public_tests_request,
    submission_create,
    upload_add,
)
from vetta.web.views.candidate_common import (
    candidate_attempt,
    feedback_html,
    item_feedback,
    public_tests_html,
    public_tests_view,
)

# A save carries one file as JSON: its content is capped by the service (MAX_DRAFT_CHARS); the
# body may be larger only by JSON escaping, so anything beyond this is refused unread.
MAX_SAVE_BODY = 6 * MAX_DRAFT_CHARS + 4096
# Uploads are capped per exercise by the service; this bounds what is read at all.
MAX_UPLOAD_BODY = 32 * 1024 * 1024

View = Callable[..., HttpResponse]


def _error(message: str, status: int, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def json_endpoint(view: View) -> View:
    """Maps the service's errors to the JSON answers described in the module docstring."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return _error("Not found.", 404)
        except DraftConflict as exc:
            return _error(str(exc), 409, conflict=True, revision=exc.revision)
        except AttemptClosed as exc:
            return _error(str(exc), 409, closed=True)
        except RateLimited as exc:
            response = _error(str(exc), 429, retry_after=exc.retry_after)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except AssessmentError as exc:
            return _error(str(exc), 400)

    return never_cache(wrapper)


def _too_big(request: HttpRequest, limit: int) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


@require_GET
@json_endpoint
def status(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    """Polled every few seconds: the time left by the server's clock, and each exercise's
    latest submission. Feedback HTML is sent for runs the page does not show yet (`known`)."""
    attempt = candidate_attempt(request, attempt_id)
    known = set(request.GET.get("known", "").split(","))
    items = []
    for item in attempt.items.select_related("exercise"):
        result = item_result(item=item)
        shown = result.run is not None and str(result.run.run_id) in known
        feedback = item_feedback(result, detailed=not shown)
        entry: dict[str, Any] = {
            "id": item.pk,
            "status": feedback.status,
            "label": feedback.label,
            "submission": feedback.submission_number,
            "run": feedback.run_id,
            "score": feedback.score,
        }
        if feedback.status in {"graded", "failed"} and not shown:
            entry["feedback_html"] = feedback_html(feedback, request)
        items.append(entry)
    return JsonResponse(
        {
            "status": attempt.status,
            "seconds_left": attempt.seconds_left(),
            "items": items,
        }
    )


@require_POST
@json_endpoint
def draft(request: HttpRequest, attempt_id: UUID, item_id: int) -> HttpResponse:
    """Autosave of one file: `{"path", "content", "base_revision"}`. Any time the client adds is
    ignored: the server's clock alone decides whether the deadline has passed."""
    if _too_big(request, MAX_SAVE_BODY):
        return _error(f"The file is larger than {MAX_DRAFT_CHARS // 1024} KiB.", 413)
    attempt = candidate_attempt(request, attempt_id)
    item = attempt_item_get(attempt=attempt, item_id=item_id)
    try:
        body = json.loads(request.body)
    except ValueError:
        return _error("The save was not valid JSON.", 400)
    if not isinstance(body, dict):
        return _error("A save needs a file path and its content.", 400)
    path, content, revision = body.get("path"), body.get("content"), body.get("base_revision")
    if not isinstance(path, str) or not isinstance(content, str):
        return _error("A save needs a file path and its content.", 400)
    if revision is not None and (not isinstance(revision, int) or isinstance(revision, bool)):
        return _error("base_revision must be a whole number.", 400)
    try:
        saved = draft_save(item=item, path=path, content=content, base_revision=revision)
    except DraftConflict as exc:
        current = item.drafts.filter(path=path).values_list("content", flat=True).first()
        return _error(str(exc), 409, conflict=True, revision=exc.revision, content=current)
    return JsonResponse({"path": saved.path, "revision": saved.revision})


@require_POST
@json_endpoint
def upload(request: HttpRequest, attempt_id: UUID, item_id: int) -> HttpResponse:
    if _too_big(request, MAX_UPLOAD_BODY):
        return _error("The upload is too large.", 413)
    attempt = candidate_attempt(request, attempt_id)
    item = attempt_item_get(attempt=attempt, item_id=item_id)
    sent = request.FILES.get("file")
    if sent is None:
        return _error("Choose a file to upload.", 400)
    drafts = upload_add(item=item, filename=sent.name or "upload", data=sent.read())
    return JsonResponse(
        {"files": [{"path": d.path, "revision": d.revision, "content": d.content} for d in drafts]}
    )


@require_POST
@json_endpoint
def public_tests_run(request: HttpRequest, attempt_id: UUID, item_id: int) -> HttpResponse:
    attempt = candidate_attempt(request, attempt_id)
    item = attempt_item_get(attempt=attempt, item_id=item_id)
    run = public_tests_request(item=item)
    view = public_tests_view(item, run)
    return JsonResponse(
        {
            "run": str(run.run_id),
            "status": run.status,
            "html": public_tests_html(view, request),
        },
        status=202,
    )


@require_GET
@json_endpoint
def public_tests_status(
    request: HttpRequest, attempt_id: UUID, item_id: int, run_id: UUID
) -> HttpResponse:
    attempt = candidate_attempt(request, attempt_id)
    item = attempt_item_get(attempt=attempt, item_id=item_id)
    run = grading_run_for_item(item=item, run_id=run_id)
    if run.kind != RunKind.PUBLIC_TESTS:
        raise Http404("No such run of the public tests")
    view = public_tests_view(item, run)
    return JsonResponse(
        {"run": str(run.run_id), "status": run.status, "html": public_tests_html(view, request)}
    )


@require_POST
@json_endpoint
def submit(request: HttpRequest, attempt_id: UUID, item_id: int) -> HttpResponse:
    attempt = candidate_attempt(request, attempt_id)
    item = attempt_item_get(attempt=attempt, item_id=item_id)
    submission = submission_create(item=item)
    return JsonResponse({"submission": submission.number, "status": "queued"}, status=201)
