"""Malformed exercise packages are rejected with an error naming the file and the field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vetta.cli import app
from vetta.grading.config import OperatorBounds
from vetta.grading.exercises.errors import PackageError, PackageInvalid
from vetta.grading.exercises.package import check_package, load_package

Edit = Callable[[Path, Callable[[dict], None]], None]


def errors_of(root: Path, bounds: OperatorBounds | None = None) -> list[PackageError]:
    package, errors = check_package(root, bounds)
    assert package is None, "expected the package to be rejected"
    return errors


def the_error(errors: list[PackageError], file: str, field: str = "") -> PackageError:
    matches = [e for e in errors if e.file == file and (not field or e.field == field)]
    assert matches, f"no error for {file} {field}; got: {[str(e) for e in errors]}"
    return matches[0]


def test_the_fixture_package_is_valid(tiny_package: Path) -> None:
    package = load_package(tiny_package)
    assert package.slug == "tiny-adder"
    assert [s.name for s in package.solutions()] == ["strong", "partial", "wrong", "cheating"]


def test_a_missing_exercise_yaml_is_named(tiny_package: Path) -> None:
    (tiny_package / "exercise.yaml").unlink()
    error = the_error(errors_of(tiny_package), "exercise.yaml")
    assert "missing" in error.message


def test_bad_yaml_is_reported_with_its_line(tiny_package: Path) -> None:
    (tiny_package / "exercise.yaml").write_text("slug: tiny-adder\ntitle: [unclosed\n")
    error = the_error(errors_of(tiny_package), "exercise.yaml")
    assert "not valid YAML" in error.message and "line" in error.message


def test_a_yaml_list_instead_of_a_mapping_is_refused(tiny_package: Path) -> None:
    (tiny_package / "exercise.yaml").write_text("- just\n- a list\n")
    assert "mapping" in the_error(errors_of(tiny_package), "exercise.yaml").message


def test_an_unknown_skill_area_is_named(tiny_package: Path, edit_spec: Edit) -> None:
    edit_spec(tiny_package, lambda d: d["skill_areas"].update({"astrology": 0.5}))
    error = the_error(errors_of(tiny_package), "exercise.yaml", "skill_areas")
    assert "astrology" in error.message and "python_ml_frameworks" in error.message


def test_an_unknown_field_is_named(tiny_package: Path, edit_spec: Edit) -> None:
    edit_spec(tiny_package, lambda d: d.update({"difficultly": "easy"}))
    the_error(errors_of(tiny_package), "exercise.yaml", "difficultly")


def test_a_bad_size_is_named(tiny_package: Path, edit_spec: Edit) -> None:
    edit_spec(tiny_package, lambda d: d["limits"]["default"].update({"memory": "lots"}))
    error = the_error(errors_of(tiny_package), "exercise.yaml", "limits.default.memory")
    assert "256M" in error.message


def test_limits_above_the_operators_bounds_are_refused(tiny_package: Path, edit_spec: Edit) -> None:
    edit_spec(tiny_package, lambda d: d["limits"]["default"].update({"memory": "64G"}))
    bounds = OperatorBounds(
        max_memory=8 * 1024**3,
        max_cpu_seconds=900,
        max_wall_seconds=1800,
        max_pids=1024,
        max_cpu_quota=4,
    )
    error = the_error(errors_of(tiny_package, bounds), "exercise.yaml", "limits.default.memory")
    assert "64G" in error.message and "VETTA_MAX_MEMORY" in error.message


def test_a_wall_limit_too_short_for_the_cpu_budget_is_refused(
    tiny_package: Path, edit_spec: Edit
) -> None:
    edit_spec(tiny_package, lambda d: d["limits"]["default"].update({"wall_seconds": 1}))
    the_error(errors_of(tiny_package), "exercise.yaml", "limits.default.wall_seconds")


def test_a_band_directory_without_a_range_is_refused(tiny_package: Path) -> None:
    shutil.copytree(tiny_package / "solutions" / "strong", tiny_package / "solutions" / "heroic")
    error = the_error(errors_of(tiny_package), "solutions/heroic")
    assert "no score range" in error.message


def test_a_band_without_a_range_is_refused(tiny_package: Path, edit_spec: Edit) -> None:
    edit_spec(tiny_package, lambda d: d["solutions"].pop("cheating"))
    error = the_error(errors_of(tiny_package), "exercise.yaml", "solutions")
    assert "cheating" in error.message


def test_an_empty_score_range_is_refused(tiny_package: Path, edit_spec: Edit) -> None:
    edit_spec(tiny_package, lambda d: d["solutions"]["wrong"].update({"score": [0.5, 0.1]}))
    the_error(errors_of(tiny_package), "exercise.yaml", "solutions.wrong")


def test_a_missing_band_directory_is_named(tiny_package: Path) -> None:
    shutil.rmtree(tiny_package / "solutions" / "partial")
    the_error(errors_of(tiny_package), "solutions/partial")


def test_a_missing_statement_is_named(tiny_package: Path) -> None:
    (tiny_package / "statement.md").unlink()
    the_error(errors_of(tiny_package), "statement.md")


def test_a_slug_that_differs_from_the_directory_is_refused(
    tiny_package: Path, edit_spec: Edit
) -> None:
    edit_spec(tiny_package, lambda d: d.update({"slug": "other-name"}))
    the_error(errors_of(tiny_package), "exercise.yaml", "slug")


def test_grader_configuration_errors_name_the_config_field(
    tiny_package: Path, edit_spec: Edit
) -> None:
    edit_spec(tiny_package, lambda d: d["grader"]["config"].update({"modul": "x"}))
    the_error(errors_of(tiny_package), "exercise.yaml", "grader.config.modul")


def test_a_group_with_an_undefined_limits_profile_is_named(
    tiny_package: Path, edit_spec: Edit
) -> None:
    edit_spec(
        tiny_package, lambda d: d["grader"]["config"]["groups"]["spin"].update({"limits": "huge"})
    )
    the_error(errors_of(tiny_package), "exercise.yaml", "grader.config.groups.spin.limits")


def test_a_missing_cases_file_is_named(tiny_package: Path) -> None:
    (tiny_package / "hidden" / "cases.json").unlink()
    the_error(errors_of(tiny_package), "hidden/cases.json")


def test_an_unknown_grader_kind_is_named(tiny_package: Path, edit_spec: Edit) -> None:
    edit_spec(tiny_package, lambda d: d["grader"].update({"kind": "vibes"}))
    the_error(errors_of(tiny_package), "exercise.yaml", "grader.kind")


def test_load_package_raises_with_every_error(tiny_package: Path, edit_spec: Edit) -> None:
    edit_spec(tiny_package, lambda d: d.update({"slug": "other-name", "time_limit_minutes": 1}))
    with pytest.raises(PackageInvalid) as caught:
        load_package(tiny_package)
    assert {e.field for e in caught.value.errors} >= {"time_limit_minutes"}


def test_the_validate_command_lists_errors_and_fails(tiny_package: Path, edit_spec: Edit) -> None:
    edit_spec(tiny_package, lambda d: d["skill_areas"].update({"astrology": 0.5}))
    result = CliRunner().invoke(app, ["exercise", "validate", str(tiny_package)])
    assert result.exit_code == 1
    assert "skill_areas" in result.output and "astrology" in result.output


@pytest.mark.sandbox
def test_a_crashing_variant_generator_is_reported_with_its_traceback(
    tiny_package: Path, edit_spec: Edit
) -> None:
    (tiny_package / "hidden" / "gen.py").write_text("raise RuntimeError('table missing')\n")
    edit_spec(tiny_package, lambda d: d.update({"variants": {"generator": "hidden/gen.py"}}))
    result = CliRunner().invoke(app, ["exercise", "validate", str(tiny_package)])
    assert result.exit_code == 1
    assert "hidden/gen.py" in result.output and "table missing" in result.output


@pytest.mark.sandbox
def test_a_nondeterministic_variant_generator_is_refused(
    tiny_package: Path, edit_spec: Edit
) -> None:
    (tiny_package / "hidden" / "gen.py").write_text(
        "import os, sys\nout = sys.argv[sys.argv.index('--out') + 1]\n"
        "os.makedirs(out + '/hidden', exist_ok=True)\n"
        "open(out + '/hidden/x.bin', 'wb').write(os.urandom(8))\n"
    )
    edit_spec(tiny_package, lambda d: d.update({"variants": {"generator": "hidden/gen.py"}}))
    result = CliRunner().invoke(app, ["exercise", "validate", str(tiny_package)])
    assert result.exit_code == 1
    assert "different files" in result.output
