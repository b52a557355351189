"""Version 1 of the HTTP API: `/api/v1/`, described by `/api/v1/openapi.json`."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from vetta.api import errors
from vetta.api.auth import ApiTokenAuth
from vetta.api.v1 import attempts, invitations, plans

api = NinjaAPI(
    title="Vetta API",
    version="1",
    description=(
        "Create invitations and read attempts and results of one organisation. Authenticate "
        "with `Authorization: Bearer vt_…` (create a token with `vetta api-token create`). "
        "Errors are JSON: `{code, detail, errors?}`. See docs/api.md."
    ),
    auth=ApiTokenAuth(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS): no CDN. The online
    # validator badge would call out to swagger.io, so it is off.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.install(api)
api.add_decorator(errors.body_size_cap(api), mode="view")
api.add_router("/plans", plans.router)
api.add_router("/invitations", invitations.router)
api.add_router("/attempts", attempts.router)
