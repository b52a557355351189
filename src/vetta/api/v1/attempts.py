"""`/api/v1/attempts`: candidates' attempts, live, and their results (the hiring team's view:
hidden tests included)."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router

from vetta.api import presenters, schemas
from vetta.api.auth import token_of
from vetta.assessments.selectors import (
    attempt_get_for_organisation,
    attempt_list_for_organisation,
    attempt_results,
)

router = Router(tags=["attempts"])
ERRORS: dict[int, type[schemas.ErrorOut]] = {401: schemas.ErrorOut, 422: schemas.ErrorOut}
NOT_FOUND: dict[int, type[schemas.ErrorOut]] = {404: schemas.ErrorOut}


@router.get("", response={200: schemas.AttemptPage, **ERRORS}, summary="List attempts")
def attempt_list(
    request: HttpRequest, filters: Query[schemas.AttemptFilters]
) -> schemas.AttemptPage:
    attempts = attempt_list_for_organisation(
        organisation_id=token_of(request).organisation_id,
        plan_public_id=filters.plan_id,
        status=filters.status,
    )
    chosen = attempts[filters.offset : filters.offset + filters.limit]
    return schemas.AttemptPage(
        count=attempts.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[presenters.attempt_summary_out(a) for a in chosen],
    )


@router.get(
    "/{attempt_id}",
    response={200: schemas.AttemptOut, **NOT_FOUND, **ERRORS},
    summary="Get an attempt, with each exercise's live status",
)
def attempt_get(request: HttpRequest, attempt_id: UUID) -> schemas.AttemptOut:
    attempt = attempt_get_for_organisation(
        organisation_id=token_of(request).organisation_id, public_id=attempt_id
    )
    return presenters.attempt_out(attempt)


@router.get(
    "/{attempt_id}/results",
    response={200: schemas.ResultsOut, **NOT_FOUND, **ERRORS},
    summary="Get an attempt's results",
    description=(
        "Per exercise: score, verdict, every test (hidden ones too: this is the hiring "
        "team's view), metrics; and the per-skill-area summary against the role profile."
    ),
)
def attempt_results_get(request: HttpRequest, attempt_id: UUID) -> schemas.ResultsOut:
    attempt = attempt_get_for_organisation(
        organisation_id=token_of(request).organisation_id, public_id=attempt_id
    )
    return presenters.results_out(attempt_results(attempt=attempt))
