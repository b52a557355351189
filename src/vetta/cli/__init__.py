"""The `vetta` command line: one entry point, one sub-command group per area.

Commands only parse arguments, call one service or grading function, and render the answer.
Commands that need the database set Django up lazily, so `vetta grade` and `vetta sandbox` work
without a database or any Django import.
"""

from __future__ import annotations

import typer

from vetta.cli import audit, catalog, exercise, integrations, sandbox, server

app = typer.Typer(
    name="vetta",
    help="Vetta: pre-vet AI engineers on real, sandboxed work samples.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(exercise.app, name="exercise")
app.add_typer(audit.app, name="audit")
app.add_typer(catalog.app, name="catalog")
app.add_typer(integrations.api_token_app, name="api-token")
app.add_typer(integrations.webhook_app, name="webhook")
exercise.register_top_level(app)
server.register_top_level(app)


def main() -> None:
    app()
