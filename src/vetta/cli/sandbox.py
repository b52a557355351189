"""`vetta sandbox ...`: build the grader runtime, check the host, run a command in the sandbox.

Commands parse, call one function of `vetta.grading.sandbox`, and render. Exit codes: 0 success,
1 the command failed inside the sandbox (any verdict but ok), 2 bad usage, 3 the sandbox itself
failed or cannot work on this host.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vetta.grading.sandbox.types import NetworkMode

app = typer.Typer(
    help="Build, check and use the sandbox that runs candidate code (docs/sandbox.md).",
    no_args_is_help=True,
)
console = Console()
err_console = Console(stderr=True)
EXIT_FAILED = 1
EXIT_SANDBOX = 3
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)(i?[bB])?\s*$")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
# Never copied into /work by `vetta sandbox run`: large, private or machine-specific.
SKIPPED_DIRS = {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache"}


def parse_size(text: str) -> int:
    """'256M' -> bytes. Accepts a number with an optional K, M or G suffix (powers of 1024)."""
    match = _SIZE.match(text)
    if match is None:
        raise typer.BadParameter(
            f"{text!r} is not a size: use a number with an optional K, M or G suffix, e.g. 256M"
        )
    value = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if value < 1:
        raise typer.BadParameter(f"{text!r} must be at least 1 byte")
    return int(value)


@app.command()
def setup(
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing when the runtime is current.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even if the runtime looks current.")
    ] = False,
) -> None:
    """Build the grader runtime (a world-readable Python with numpy, pandas, scikit-learn, torch
    CPU, pytest, fastapi) at /opt/vetta/runtime or $VETTA_SANDBOX_RUNTIME.

    Idempotent: keyed by a hash of the requirement list, a second run takes about a second.
    """
    from vetta.grading.sandbox.errors import SandboxError
    from vetta.grading.sandbox.runtime import runtime_is_current, setup_runtime

    if not force and runtime_is_current():
        if not quiet:
            console.print("[green]The grader runtime is current.[/green]")
        return
    say = console.print if not quiet else (lambda _msg: None)
    console.print("Building the grader runtime (a few minutes the first time)...")
    started = time.monotonic()
    try:
        info = setup_runtime(force=force, say=say)
    except SandboxError as error:
        err_console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(EXIT_SANDBOX) from None
    console.print(
        f"[green]Runtime ready[/green] at {info.link} -> {info.real.name} "
        f"in {time.monotonic() - started:.0f} s"
    )


@app.command()
def check(
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Report what works on this host (bubblewrap, user namespaces, cgroups, seccomp, runtime)
    and make one real sandboxed run. Exits 3 with the reason when this host cannot sandbox."""
    from vetta.grading.sandbox.selfcheck import self_check

    report = self_check()
    if as_json:
        items = [vars(item) for item in report.items]
        console.print_json(json.dumps({"ok": report.ok, "items": items}))
    else:
        table = Table(title="Vetta sandbox check", show_lines=False)
        table.add_column("check")
        table.add_column("")
        table.add_column("detail", overflow="fold")
        for item in report.items:
            mark = "[green]ok[/green]" if item.ok else "[red]FAIL[/red]"
            table.add_row(item.name, mark, item.detail)
        console.print(table)
        style = "green" if report.ok else "red"
        console.print(f"[{style}]{report.summary()}[/{style}]")
    if not report.ok:
        raise typer.Exit(EXIT_SANDBOX)


def _directory_files(root: Path, limit: int) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    for directory, subdirs, names in os.walk(root):  # never follows symlinked directories
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS)
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue  # symlinks are not followed: they could point anywhere on this machine
            try:
                data = path.read_bytes()
            except OSError:
                continue  # vanished or unreadable: the sandbox could not have used it either
            total += len(data)
            if total > limit:
                raise typer.BadParameter(
                    f"the files under {root} pass the {limit}-byte /work size; raise "
                    "--work-size or run from a smaller directory",
                    param_hint="--work-size",
                )
            files[path.relative_to(root).as_posix()] = data
    return files


def _render(outcome: object, as_json: bool) -> None:
    from vetta.grading.sandbox.types import MiB, Outcome

    assert isinstance(outcome, Outcome)
    if as_json:
        data = {
            "verdict": outcome.verdict.value,
            "exit_code": outcome.exit_code,
            "signal": outcome.signal,
            "cpu_seconds": round(outcome.cpu_seconds, 4),
            "wall_seconds": round(outcome.wall_seconds, 4),
            "peak_memory_bytes": outcome.peak_memory_bytes,
            "stdout": outcome.stdout.decode("utf-8", "replace"),
            "stderr": outcome.stderr.decode("utf-8", "replace"),
            "stdout_truncated": outcome.stdout_truncated,
            "stderr_truncated": outcome.stderr_truncated,
            "message": outcome.message,
        }
        print(json.dumps(data, indent=2))  # noqa: T201 - plain JSON on stdout for scripts
        return
    for name, stream, cut in (
        ("stdout", outcome.stdout, outcome.stdout_truncated),
        ("stderr", outcome.stderr, outcome.stderr_truncated),
    ):
        if stream:
            note = " (truncated)" if cut else ""
            console.rule(f"{name}{note}")
            console.print(stream.decode("utf-8", "replace"), markup=False, highlight=False)
    table = Table(title="Sandbox outcome", show_header=False)
    style = "green" if outcome.ok else "red"
    table.add_row("verdict", f"[{style}]{outcome.verdict.value}[/{style}]")
    table.add_row("exit code", str(outcome.exit_code))
    table.add_row("signal", str(outcome.signal))
    table.add_row("CPU", f"{outcome.cpu_seconds:.3f} s")
    table.add_row("wall", f"{outcome.wall_seconds:.3f} s")
    table.add_row("peak memory", f"{outcome.peak_memory_bytes / MiB:.1f} MiB")
    if outcome.message:
        table.add_row("message", outcome.message)
    console.print(table)


@app.command(
    "run",
    context_settings={"allow_interspersed_args": False},
)
def run_command(
    command: Annotated[
        list[str], typer.Argument(help="The command and its arguments, after `--`.")
    ],
    *,
    memory: Annotated[
        str, typer.Option(help="Memory limit (cgroup, no swap), e.g. 256M or 2G.")
    ] = "256M",
    cpu: Annotated[float, typer.Option(min=0.01, help="Total CPU seconds of all processes.")] = 5.0,
    wall: Annotated[float, typer.Option(min=0.01, help="Wall-clock seconds.")] = 10.0,
    pids: Annotated[int, typer.Option(min=1, help="Most processes and threads at once.")] = 64,
    cores: Annotated[
        float, typer.Option(min=0.01, help="CPU quota in cores (sets OMP_NUM_THREADS too).")
    ] = 1.0,
    work_size: Annotated[str, typer.Option(help="Size of the writable /work tmpfs.")] = "64M",
    network: Annotated[
        NetworkMode,
        typer.Option(help="none: no network; loopback: a private namespace with only lo."),
    ] = NetworkMode.NONE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
    unsafe_no_sandbox: Annotated[
        bool,
        typer.Option(
            "--unsafe-no-sandbox",
            help="Run WITHOUT isolation (exercise authoring only; never with candidate code).",
        ),
    ] = False,
) -> None:
    """Run CMD in the sandbox with the runtime on PATH and a copy of the current directory in
    /work (.git, .venv, __pycache__, node_modules and symlinks are skipped), then print the
    outcome. Example: vetta sandbox run --memory 512M --cpu 2 -- python train.py
    """
    from vetta.grading.sandbox import Limits, run

    limits = Limits(
        memory_bytes=parse_size(memory),
        cpu_seconds=cpu,
        wall_seconds=wall,
        pids=pids,
        cpu_quota=cores,
        work_bytes=parse_size(work_size),
    )
    if unsafe_no_sandbox:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    files = _directory_files(Path.cwd(), limits.work_bytes)
    try:
        outcome = run(
            command,
            limits=limits,
            files=files,
            network=network,
            unsafe_no_sandbox=unsafe_no_sandbox,
        )
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    _render(outcome, as_json)
    if outcome.verdict.value == "sandbox_error":
        raise typer.Exit(EXIT_SANDBOX)
    if not outcome.ok:
        raise typer.Exit(EXIT_FAILED)
