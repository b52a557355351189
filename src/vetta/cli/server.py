"""`vetta serve`, `vetta up`, `vetta createadmin`, `vetta worker`."""

from __future__ import annotations

import typer


def register_top_level(root: typer.Typer) -> None:
    """Adds the server commands to the root command."""
