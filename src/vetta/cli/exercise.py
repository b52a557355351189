"""`vetta exercise ...` and `vetta grade`: exercise authoring and local grading, no database."""

from __future__ import annotations

import typer

app = typer.Typer(help="Validate and test exercise packages.", no_args_is_help=True)


def register_top_level(root: typer.Typer) -> None:
    """Adds `vetta grade` to the root command."""
