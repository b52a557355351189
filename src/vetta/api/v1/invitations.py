"""`/api/v1/invitations`: invite candidates to a plan, and follow the invitations."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Status

from vetta.api import presenters, schemas
from vetta.api.auth import token_of
from vetta.assessments.selectors import (
    invitation_get_for_organisation,
    invitation_list_for_organisation,
    plan_get_for_organisation,
)
from vetta.assessments.services.invitations import invitation_create

router = Router(tags=["invitations"])
ERRORS: dict[int, type[schemas.ErrorOut]] = {401: schemas.ErrorOut, 422: schemas.ErrorOut}


@router.post(
    "",
    response={
        201: schemas.InvitationCreatedOut,
        400: schemas.ErrorOut,
        404: schemas.ErrorOut,
        409: schemas.ErrorOut,
        413: schemas.ErrorOut,
        **ERRORS,
    },
    summary="Invite a candidate",
    description=(
        "Creates a single-use, expiring link to the plan and (unless `send_email` is false) "
        "e-mails it. The `url` is in this answer only. 409 if the candidate already has a "
        "pending invitation to the plan; 400 if the plan has no exercises."
    ),
)
def invitation_post(
    request: HttpRequest, body: schemas.InvitationIn
) -> Status[schemas.InvitationCreatedOut]:
    token = token_of(request)
    plan = plan_get_for_organisation(organisation_id=token.organisation_id, public_id=body.plan_id)
    issued = invitation_create(
        actor=token,
        plan=plan,
        email=body.email,
        name=body.name,
        expires_in_days=body.expires_in_days,
        send_email=body.send_email,
    )
    fields = presenters.invitation_fields(issued.invitation)
    return Status(201, schemas.InvitationCreatedOut(**fields, url=issued.url))


@router.get("", response={200: schemas.InvitationPage, **ERRORS}, summary="List invitations")
def invitation_list(
    request: HttpRequest, filters: Query[schemas.InvitationFilters]
) -> schemas.InvitationPage:
    invitations = invitation_list_for_organisation(
        organisation_id=token_of(request).organisation_id,
        plan_public_id=filters.plan_id,
        status=filters.status,
    ).select_related("attempt")
    chosen = invitations[filters.offset : filters.offset + filters.limit]
    return schemas.InvitationPage(
        count=invitations.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[presenters.invitation_out(i) for i in chosen],
    )


@router.get(
    "/{invitation_id}",
    response={200: schemas.InvitationOut, 404: schemas.ErrorOut, **ERRORS},
    summary="Get an invitation",
)
def invitation_get(request: HttpRequest, invitation_id: UUID) -> schemas.InvitationOut:
    invitation = invitation_get_for_organisation(
        organisation_id=token_of(request).organisation_id, public_id=invitation_id
    )
    return presenters.invitation_out(invitation)
