"""`vetta api-token ...` and `vetta webhook ...`: how other systems talk to Vetta.

Commands run as the operator of the machine (the system actor in the audit trail). Secrets are
printed once, on creation, and never again.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vetta.cli._django import setup_django

api_token_app = typer.Typer(
    help="Create, list and revoke organisation-scoped API tokens.", no_args_is_help=True
)
webhook_app = typer.Typer(
    help="Register, list and remove webhook endpoints of an organisation.", no_args_is_help=True
)
console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

OrganisationOption = Annotated[
    str, typer.Option("--organisation", help="The organisation's slug (see the admin).")
]
OrganisationFilter = Annotated[
    str | None, typer.Option("--organisation", help="Only this organisation's (slug).")
]


def _fail(message: object) -> typer.Exit:
    err.print(f"[red]error:[/] {message}")
    return typer.Exit(1)


def _when(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value is not None else "—"


@api_token_app.command("create")
def token_create(
    organisation: OrganisationOption,
    name: Annotated[str, typer.Option("--name", help="Who or what uses it, e.g. 'ATS sync'.")],
) -> None:
    """Create a token and print its secret, once: Vetta keeps only a digest of it."""
    setup_django()
    from vetta.integrations.errors import IntegrationError
    from vetta.integrations.selectors import organisation_get_by_slug
    from vetta.integrations.services.tokens import api_token_create

    try:
        issued = api_token_create(
            organisation=organisation_get_by_slug(slug=organisation), name=name
        )
    except IntegrationError as exc:
        raise _fail(exc) from None
    console.print(
        f"Created API token [bold]{issued.token.pk}[/] ({issued.token.name}) for "
        f"{issued.token.organisation.slug}. Its secret, shown this once:"
    )
    # Alone on its line and unstyled, so scripts can take the last line.
    print(issued.secret)  # noqa: T201


@api_token_app.command("list")
def token_list(organisation: OrganisationFilter = None) -> None:
    """List tokens: id, organisation, name, prefix, last use, and whether revoked."""
    setup_django()
    from vetta.integrations.errors import IntegrationError
    from vetta.integrations.selectors import api_token_list, organisation_get_by_slug

    try:
        org = organisation_get_by_slug(slug=organisation) if organisation else None
    except IntegrationError as exc:
        raise _fail(exc) from None
    table = Table(title="API tokens")
    for column in ("id", "organisation", "name", "prefix", "created", "last used", "revoked"):
        table.add_column(column)
    for token in api_token_list(organisation=org):
        table.add_row(
            str(token.pk),
            token.organisation.slug,
            token.name,
            f"{token.prefix}…",
            _when(token.created_at),
            _when(token.last_used_at),
            _when(token.revoked_at),
        )
    console.print(table)


@api_token_app.command("revoke")
def token_revoke(
    id: Annotated[int, typer.Argument(help="The token's id, from `vetta api-token list`.")],
) -> None:
    """Revoke a token: requests with it are refused (401) from now on."""
    setup_django()
    from vetta.integrations.errors import IntegrationError
    from vetta.integrations.selectors import api_token_get
    from vetta.integrations.services.tokens import api_token_revoke

    try:
        token = api_token_revoke(token=api_token_get(id=id))
    except IntegrationError as exc:
        raise _fail(exc) from None
    console.print(f"Revoked API token {token.pk} ({token.name}) of {token.organisation.slug}.")


@webhook_app.command("add")
def webhook_add(
    organisation: OrganisationOption,
    url: Annotated[str, typer.Option("--url", help="Where to POST events (http or https).")],
    event: Annotated[
        list[str] | None,
        typer.Option("--event", help="An event to send; repeat for several (default: all)."),
    ] = None,
    description: Annotated[str, typer.Option(help="A note for people.")] = "",
) -> None:
    """Register an endpoint and print its signing secret, once."""
    setup_django()
    from vetta.integrations.errors import IntegrationError
    from vetta.integrations.selectors import organisation_get_by_slug
    from vetta.integrations.services.webhooks import webhook_endpoint_add

    try:
        issued = webhook_endpoint_add(
            organisation=organisation_get_by_slug(slug=organisation),
            url=url,
            events=event,
            description=description,
        )
    except IntegrationError as exc:
        raise _fail(exc) from None
    endpoint = issued.endpoint
    console.print(
        f"Registered webhook [bold]{endpoint.pk}[/] for {endpoint.organisation.slug}: "
        f"{endpoint.url} ({', '.join(endpoint.events)}). Its signing secret, shown this once:"
    )
    print(issued.secret)  # noqa: T201


@webhook_app.command("list")
def webhook_list(organisation: OrganisationFilter = None) -> None:
    """List endpoints with their events and their latest delivery."""
    setup_django()
    from vetta.integrations.errors import IntegrationError
    from vetta.integrations.selectors import (
        organisation_get_by_slug,
        webhook_delivery_latest,
        webhook_endpoint_list,
    )

    try:
        org = organisation_get_by_slug(slug=organisation) if organisation else None
    except IntegrationError as exc:
        raise _fail(exc) from None
    title = f"Webhook endpoints of {org.slug}" if org else "Webhook endpoints"
    table = Table(title=title)
    columns = ["id", "url", "events", "active", "latest delivery"]
    if org is None:
        columns.insert(1, "organisation")
    for column in columns:
        # A URL or an event name cut over two lines cannot be copied.
        table.add_column(column, no_wrap=column in {"url", "events"})
    for endpoint in webhook_endpoint_list(organisation=org):
        latest = webhook_delivery_latest(endpoint=endpoint)
        last = (
            f"{latest.status} after {latest.attempts} request(s), {_when(latest.created_at)}"
            if latest is not None
            else "—"
        )
        cells = [str(endpoint.pk), endpoint.url, "\n".join(endpoint.events)]
        cells += ["yes" if endpoint.active else "no", last]
        if org is None:
            cells.insert(1, endpoint.organisation.slug)
        table.add_row(*cells)
    console.print(table)


@webhook_app.command("remove")
def webhook_remove(
    id: Annotated[int, typer.Argument(help="The endpoint's id, from `vetta webhook list`.")],
) -> None:
    """Remove an endpoint and its delivery history; nothing more is sent to it."""
    setup_django()
    from vetta.integrations.errors import IntegrationError
    from vetta.integrations.selectors import webhook_endpoint_get
    from vetta.integrations.services.webhooks import webhook_endpoint_remove

    try:
        endpoint = webhook_endpoint_get(id=id)
        url = endpoint.url
        webhook_endpoint_remove(endpoint=endpoint)
    except IntegrationError as exc:
        raise _fail(exc) from None
    console.print(f"Removed webhook {id} ({url}).")
