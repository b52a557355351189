"""`vetta audit ...`: check and read the tamper-evident audit trail."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vetta.cli._django import setup_django

app = typer.Typer(help="Check and read the tamper-evident audit trail.", no_args_is_help=True)
console = Console(highlight=False)


@app.command("verify")
def verify() -> None:
    """Walk the hash chain; exit 1 and name the first bad event if any row was changed."""
    setup_django()
    from vetta.governance.services import audit_verify

    with console.status("Verifying the audit trail"):
        report = audit_verify()
    if report.ok:
        console.print(
            f"[green]✓ Audit trail intact:[/] {report.checked} events, "
            f"head #{report.head_index} {report.head_hash[:16]}…"
        )
        return
    console.print(
        f"[bold red]✗ Audit trail broken at event #{report.first_bad_index}:[/] {report.problem}"
    )
    before = "1 event" if report.checked == 1 else f"{report.checked} events"
    console.print(f"  {before} before it verified.")
    raise typer.Exit(1)


@app.command("show")
def show(
    limit: Annotated[int, typer.Option(min=1, max=10000, help="How many events to list.")] = 20,
    subject: Annotated[
        str | None, typer.Option(help="Only events about this subject, e.g. profile:12.")
    ] = None,
) -> None:
    """List the most recent audit events, newest first."""
    setup_django()
    from vetta.governance.selectors import audit_event_list

    table = Table(title="Audit events")
    for column in ("#", "time (UTC)", "actor", "action", "subject", "hash"):
        table.add_column(column)
    for event in audit_event_list(subject=subject, limit=limit):
        table.add_row(
            str(event.index),
            f"{event.created_at:%Y-%m-%d %H:%M:%S}",
            event.actor,
            event.action,
            event.subject,
            event.hash[:12],
        )
    console.print(table)
