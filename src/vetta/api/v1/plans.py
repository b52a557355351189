"""`/api/v1/plans`: the organisation's assessment plans."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router

from vetta.api import presenters, schemas
from vetta.api.auth import token_of
from vetta.assessments.selectors import plan_get_for_organisation, plan_list_for_organisation

router = Router(tags=["plans"])
ERRORS: dict[int, type[schemas.ErrorOut]] = {401: schemas.ErrorOut, 422: schemas.ErrorOut}


@router.get("", response={200: schemas.PlanPage, **ERRORS}, summary="List plans")
def plan_list(request: HttpRequest, page: Query[schemas.PageParams]) -> schemas.PlanPage:
    plans = plan_list_for_organisation(organisation_id=token_of(request).organisation_id)
    chosen = plans[page.offset : page.offset + page.limit]
    return schemas.PlanPage(
        count=plans.count(),
        limit=page.limit,
        offset=page.offset,
        items=[presenters.plan_out(p) for p in chosen],
    )


@router.get(
    "/{plan_id}",
    response={200: schemas.PlanOut, 404: schemas.ErrorOut, **ERRORS},
    summary="Get a plan",
)
def plan_get(request: HttpRequest, plan_id: UUID) -> schemas.PlanOut:
    plan = plan_get_for_organisation(
        organisation_id=token_of(request).organisation_id, public_id=plan_id
    )
    return presenters.plan_out(plan)
