"""Stand-ins for the candidate UI's JSON endpoints (built in parallel, not merged yet).

They do what a candidate's browser makes the server do while it works: find the attempt through
the attempts its session claimed (`attempt_for_candidate`), autosave a draft (`draft_save`,
with its revision check), read the live status of each exercise (`item_result`), submit
(`submission_create`). Once the candidate UI is merged, point bench/load/__main__.py's
requests at its endpoints instead.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from vetta.assessments.errors import AssessmentError, DraftConflict
from vetta.assessments.models import Attempt
from vetta.assessments.selectors import attempt_for_candidate, attempt_item_get, item_result
from vetta.assessments.services.attempts import draft_save, submission_create

CLAIMED = "bench_claimed_attempts"


def _attempt(request: HttpRequest, public_id: Any) -> Attempt:
    return attempt_for_candidate(claimed=request.session.get(CLAIMED, []), public_id=public_id)


@csrf_exempt
@require_POST
def session_claim(request: HttpRequest, public_id: Any) -> JsonResponse:
    """Set-up only: this browser session now holds the attempt, as after following its link."""
    request.session[CLAIMED] = [str(public_id)]
    return JsonResponse({"ok": True})


@csrf_exempt
@require_POST
def draft_autosave(request: HttpRequest, public_id: Any) -> JsonResponse:
    attempt = _attempt(request, public_id)
    body = json.loads(request.body)
    item = attempt_item_get(attempt=attempt, item_id=int(body["item"]))
    try:
        draft = draft_save(
            item=item,
            path=body["path"],
            content=body["content"],
            base_revision=body.get("base_revision"),
        )
    except DraftConflict as exc:
        return JsonResponse({"error": str(exc), "revision": exc.revision}, status=409)
    except AssessmentError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"revision": draft.revision})


@require_GET
def attempt_status(request: HttpRequest, public_id: Any) -> JsonResponse:
    attempt = _attempt(request, public_id)
    items = [item_result(item=item) for item in attempt.items.all()]
    return JsonResponse(
        {
            "status": attempt.status,
            "seconds_left": attempt.seconds_left(),
            "items": [{"id": r.item.pk, "status": r.status, "score": r.score} for r in items],
        }
    )


@csrf_exempt
@require_POST
def submit(request: HttpRequest, public_id: Any) -> JsonResponse:
    attempt = _attempt(request, public_id)
    item = attempt_item_get(attempt=attempt, item_id=int(json.loads(request.body)["item"]))
    try:
        submission = submission_create(item=item)
    except AssessmentError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"submission": str(submission.public_id)}, status=201)
