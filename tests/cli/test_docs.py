"""Every `vetta` command has help text and is documented in docs/cli.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from vetta.cli import app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def commands(group: Any, prefix: str = "vetta") -> dict[str, Any]:
    """Every command under the root, sub-apps included, whoever registered them.

    Duck-typed (a group has ``commands``) because Typer may use its own copy of click.
    """
    found: dict[str, Any] = {}
    for name, command in getattr(group, "commands", {}).items():
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            found.update(commands(command, path))
        else:
            found[path] = command
    return found


ALL = commands(typer.main.get_command(app))


def documented() -> set[str]:
    headings = re.findall(r"^#{2,4} `(vetta[^`]*)`", DOCS.read_text(), flags=re.MULTILINE)
    return {heading.strip() for heading in headings}


def test_the_foundation_s_commands_are_found() -> None:
    assert {
        "vetta serve",
        "vetta up",
        "vetta createadmin",
        "vetta audit verify",
        "vetta catalog show",
        "vetta catalog export",
    } <= set(ALL)


def test_every_command_has_a_heading_in_docs_cli_md() -> None:
    missing = sorted(set(ALL) - documented())
    assert missing == [], f"document these in docs/cli.md as '## `<command>`': {missing}"


def test_docs_cli_md_documents_no_command_that_does_not_exist() -> None:
    assert sorted(documented() - set(ALL)) == []


def test_every_command_has_help_text() -> None:
    for path, command in ALL.items():
        assert (command.help or "").strip(), f"{path} has no help text"


def test_every_option_of_the_foundation_s_commands_has_help_text() -> None:
    ours = ("vetta serve", "vetta up", "vetta createadmin", "vetta audit ", "vetta catalog ")
    for path, command in ALL.items():
        if not path.startswith(ours):
            continue
        for parameter in command.params:
            if parameter.param_type_name == "option" and parameter.name != "help":
                assert (parameter.help or "").strip(), f"{path} {parameter.opts} has no help"
