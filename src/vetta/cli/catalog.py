"""`vetta catalog ...`: the skill matrix and built-in role profiles (versioned data)."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.table import Table

from vetta.catalog.schema import CatalogFile, CatalogFileError, catalog_file_read

app = typer.Typer(
    help="Show, export and load the role catalog (skill areas and built-in role profiles).",
    no_args_is_help=True,
)
console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

FileOption = Annotated[
    Path | None,
    typer.Option(
        "--file", help="A catalog file to use instead of the built-in one.", dir_okay=False
    ),
]

_STYLE = {"required": "bold", "preferred": "", "not_needed": "dim"}


class ExportFormat(enum.StrEnum):
    JSON = "json"
    YAML = "yaml"


def _read(path: Path | None) -> CatalogFile:
    try:
        return catalog_file_read(path)
    except CatalogFileError as exc:
        err.print(f"[red]error:[/] {exc.source} is invalid:")
        for field, message in exc.errors.items():
            err.print(f"  [bold]{field}[/]: {message}")
        raise typer.Exit(1) from None


@app.command("show")
def show(file: FileOption = None) -> None:
    """Print the skill matrix: each skill area's level in each built-in role profile."""
    catalog = _read(file)
    table = Table(title=f"Role catalog, version {catalog.version}")
    table.add_column("skill area", no_wrap=True)
    for profile in catalog.role_profiles:
        table.add_column(profile.role_context.value)
    table.add_column("assessed by")
    for area in catalog.skill_areas:
        cells = []
        for profile in catalog.role_profiles:
            level = profile.requirements[area.key].value
            cells.append(f"[{_STYLE[level]}]{level}[/]" if _STYLE[level] else level)
        name = area.key + (" (baseline)" if area.baseline else "")
        table.add_row(name, *cells, "\n".join(m.value for m in area.assessed_by))
    console.print(table)


@app.command("export")
def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", help="Output format.")
    ] = ExportFormat.JSON,
    file: FileOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Export the catalog as JSON or YAML (the same schema as the catalog file)."""
    data = _read(file).model_dump(mode="json")
    if format is ExportFormat.JSON:
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@app.command("load")
def load(file: FileOption = None) -> None:
    """Load the catalog into the database; idempotent (`vetta up` does this for you)."""
    _read(file)
    from vetta.cli._django import setup_django

    setup_django()
    from vetta.catalog.services import CatalogError, catalog_load

    try:
        report = catalog_load(path=file)
    except CatalogError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    if report.changed:
        console.print(
            f"Loaded catalog version {report.version}: {report.created} created, "
            f"{report.updated} updated."
        )
    else:
        console.print(f"Catalog version {report.version} already loaded; nothing changed.")
