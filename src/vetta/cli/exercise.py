"""`vetta exercise ...` and `vetta grade`: exercise authoring and local grading, no database."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vetta.grading.contract import GradingResult, ResultVerdict
from vetta.grading.engine import GradeOptions, grade, request_for
from vetta.grading.exercises.docs import exercise_format_markdown, exercise_json_schema
from vetta.grading.exercises.errors import PackageError
from vetta.grading.exercises.package import check_package
from vetta.grading.exercises.selftest import check_solutions
from vetta.grading.exercises.submission import read_submission
from vetta.grading.exercises.variants import VariantError, generate_variant

app = typer.Typer(
    help="Author exercise packages: validate them, grade their reference solutions, export "
    "the format's schema.",
    no_args_is_help=True,
)
out = Console()
err = Console(stderr=True)

Unsafe = Annotated[
    bool,
    typer.Option(
        "--unsafe-no-sandbox",
        help="Run code WITHOUT the sandbox, for local exercise authoring on a machine that "
        "cannot sandbox. Never use it on candidates' code.",
    ),
]


def _warn_unsafe(unsafe: bool) -> None:
    if unsafe:
        err.print(
            "[bold red]WARNING: --unsafe-no-sandbox: code runs unconfined on this machine. "
            "Only for your own exercise material.[/]"
        )


class _Progress:
    """A status line that shows what grading is doing; silent when output is not a terminal."""

    def __init__(self, console: Console, enabled: bool) -> None:
        self.console = console
        self.enabled = enabled and console.is_terminal
        self.status = console.status("starting", spinner="dots") if self.enabled else None

    def __enter__(self) -> _Progress:
        if self.status is not None:
            self.status.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.__exit__(None, None, None)

    def __call__(self, message: str) -> None:
        if self.status is not None:
            self.status.update(message)
        elif self.enabled:
            self.console.print(f"[dim]… {message}[/]")


@app.command("validate")
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Exercise package directories.")],
    generate: Annotated[
        bool,
        typer.Option(
            "--generate/--no-generate",
            help="Also run each variant generator twice with its default seed and check it "
            "succeeds and writes the same bytes both times.",
        ),
    ] = True,
    unsafe_no_sandbox: Unsafe = False,
) -> None:
    """Check exercise packages: every error names its file and field."""
    _warn_unsafe(unsafe_no_sandbox)
    failed = 0
    for path in paths:
        package, errors = check_package(path)
        if package is not None and generate and package.spec.variants is not None:
            seed = package.spec.variants.default_seed
            try:
                digests = []
                for _attempt in range(2):
                    variant = generate_variant(
                        package, seed, unsafe_no_sandbox=unsafe_no_sandbox, use_cache=False
                    )
                    digests.append(variant.digest() if variant else "")
                if digests[0] != digests[1]:
                    errors.append(
                        _generator_error(
                            package.spec.variants.generator,
                            f"seed {seed} gave different files on two runs",
                        )
                    )
            except VariantError as exc:
                errors.append(_generator_error(exc.file, exc.message))
        if errors:
            failed += 1
            err.print(f"[bold red]✗ {path}[/] — {len(errors)} error(s)")
            for error in errors:
                where = f"{error.file}" + (f" [bold]{error.field}[/]" if error.field else "")
                err.print(f"  • {where}: {error.message}", highlight=False)
        else:
            assert package is not None
            out.print(f"[green]✓ {path}[/] {package.slug} {package.version}")
    if failed:
        raise typer.Exit(1)


def _generator_error(file: str, message: str) -> PackageError:
    return PackageError(file, "variants.generator", message)


@app.command("test")
def test(
    paths: Annotated[list[Path], typer.Argument(help="Exercise package directories.")],
    seed: Annotated[
        int | None, typer.Option(help="Variant seed (default: the package's default seed).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
    unsafe_no_sandbox: Unsafe = False,
) -> None:
    """Grade every reference solution in the sandbox; fail if any lands outside its band."""
    _warn_unsafe(unsafe_no_sandbox)
    failures = 0
    report: list[dict[str, object]] = []
    for path in paths:
        package, errors = check_package(path)
        if package is None:
            failures += 1
            err.print(f"[bold red]✗ {path}[/]: invalid package (run `vetta exercise validate`)")
            for error in errors:
                err.print(f"  • {error}", highlight=False)
            continue
        with _Progress(err, not as_json) as progress:
            checks = check_solutions(
                package,
                GradeOptions(unsafe_no_sandbox=unsafe_no_sandbox, progress=progress),
                seed=seed,
            )
        table = Table(title=f"{package.slug} {package.version}")
        for column in ("solution", "range", "score", "verdict", "time", ""):
            table.add_column(column)
        for check in checks:
            failures += not check.ok
            report.append(
                {
                    "exercise": package.slug,
                    "solution": check.solution.name,
                    "range": [check.low, check.high],
                    "score": check.result.score,
                    "verdict": check.result.verdict.value,
                    "ok": check.ok,
                    "problem": check.problem,
                }
            )
            table.add_row(
                check.solution.name,
                f"[{check.low:g}, {check.high:g}]",
                f"{check.result.score:.3f}",
                check.result.verdict.value,
                f"{check.result.timings.wall_seconds:.1f}s",
                "[green]ok[/]" if check.ok else f"[red]{check.problem}[/]",
            )
        if not as_json:
            out.print(table)
    if as_json:
        out.print_json(json.dumps(report))
    if failures:
        err.print(f"[bold red]{failures} problem(s)[/]")
        raise typer.Exit(1)


@app.command("schema")
def schema(
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print docs/exercise-format.md instead of JSON.")
    ] = False,
) -> None:
    """Print the JSON Schema of exercise.yaml (or the Markdown reference built from it)."""
    if markdown:
        sys.stdout.write(exercise_format_markdown())
    else:
        sys.stdout.write(json.dumps(exercise_json_schema(), indent=2) + "\n")


def _render_result(result: GradingResult, *, show_hidden: bool) -> None:
    colour = {"ok": "green", "wrong": "yellow", "grader_error": "magenta"}.get(
        result.verdict.value, "red"
    )
    out.print(
        f"[bold]{result.exercise.slug}[/] {result.exercise.version} · variant "
        f"{result.variant_seed} · verdict [{colour}]{result.verdict.value}[/] · score "
        f"[bold]{result.score:.3f}[/] ({result.points:g}/{result.max_points:g} points)"
    )
    if result.tests:
        table = Table(show_lines=False)
        for column in ("test", "group", "points", "result"):
            table.add_column(column)
        for t in result.tests:
            if not t.visible and not show_hidden:
                continue
            table.add_row(
                t.name + ("" if t.visible else " [dim](hidden)[/]"),
                t.group,
                f"{t.points:g}/{t.max_points:g}",
                ("[green]✓[/] " if t.passed else "[red]✗[/] ") + t.message,
            )
        out.print(table)
        hidden = [t for t in result.tests if not t.visible]
        if hidden and not show_hidden:
            out.print(
                f"hidden tests: {sum(t.passed for t in hidden)} of {len(hidden)} passed "
                "([dim]--show-hidden to list them[/])"
            )
    if result.metrics:
        metrics = Table("metric", "value")
        for name, value in result.metrics.items():
            metrics.add_row(name, f"{value:.4f}")
        out.print(metrics)
    if result.summary:
        out.print(result.summary)


def register_top_level(root: typer.Typer) -> None:
    """Adds `vetta grade` to the root command."""

    @root.command("grade")
    def grade_command(
        exercise: Annotated[Path, typer.Option(help="The exercise package directory.")],
        submission: Annotated[
            Path, typer.Option(help="A directory, a single file, or a .zip/.tar.gz archive.")
        ],
        variant: Annotated[
            int | None, typer.Option(help="Variant seed (default: the package's default seed).")
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the GradingResult as JSON.")
        ] = False,
        show_hidden: Annotated[
            bool, typer.Option(help="List hidden tests too (an author's view).")
        ] = False,
        unsafe_no_sandbox: Unsafe = False,
    ) -> None:
        """Grade a submission locally, in the sandbox, with no database."""
        _warn_unsafe(unsafe_no_sandbox)
        package, errors = check_package(exercise)
        if package is None:
            err.print(f"[bold red]{exercise} is not a valid exercise package:[/]")
            for error in errors:
                err.print(f"  • {error}", highlight=False)
            raise typer.Exit(2)
        try:
            files, ignored = read_submission(submission, package)
        except (OSError, ValueError) as exc:
            err.print(f"[bold red]cannot read the submission:[/] {exc}")
            raise typer.Exit(2) from None
        if ignored:
            err.print(f"[yellow]ignored (not accepted by this exercise):[/] {', '.join(ignored)}")
        if not files:
            err.print(
                "[bold red]nothing to grade:[/] no file matches "
                + ", ".join(package.spec.files.editable)
            )
            raise typer.Exit(2)
        request = request_for(package, files, run_id=uuid.uuid4().hex, seed=variant)
        with _Progress(err, not as_json) as progress:
            result = grade(
                package,
                request,
                GradeOptions(unsafe_no_sandbox=unsafe_no_sandbox, progress=progress),
            )
        if as_json:
            sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        else:
            _render_result(result, show_hidden=show_hidden)
        if result.verdict is ResultVerdict.GRADER_ERROR:
            raise typer.Exit(1)
