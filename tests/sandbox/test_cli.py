"""`vetta sandbox setup|check|run`, and the unsafe authoring mode."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from vetta.cli import app
from vetta.cli.sandbox import parse_size
from vetta.grading.sandbox import Bind, Limits, Verdict, run, spawn
from vetta.grading.sandbox.config import config

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("256M", 256 << 20),
        ("2G", 2 << 30),
        ("512k", 512 << 10),
        ("1.5G", 3 << 29),
        ("100", 100),
        ("64MiB", 64 << 20),
    ],
)
def test_sizes_parse(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["12Q", "", "-1M", "M", "0"])
def test_bad_sizes_are_refused_with_a_clear_message(text: str) -> None:
    with pytest.raises(typer.BadParameter, match=r"size|at least"):
        parse_size(text)


def test_run_refuses_a_bad_memory_value_without_a_traceback() -> None:
    result = runner.invoke(app, ["sandbox", "run", "--memory", "12Q", "--", "true"])
    assert result.exit_code == 2
    assert "'12Q' is not a size" in result.output


@pytest.mark.sandbox
@pytest.mark.usefixtures("sandbox")
def test_run_copies_the_current_directory_and_prints_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "main.py").write_text("import os; print(sorted(os.listdir('.')))\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("secret")
    (tmp_path / "link").symlink_to("/etc/passwd")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        ["sandbox", "run", "--json", "--memory", "128M", "--cpu", "2", "--", "python", "main.py"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["verdict"] == "ok"
    assert data["stdout"] == "['main.py']\n"  # no .git, no symlink


@pytest.mark.sandbox
@pytest.mark.usefixtures("sandbox")
def test_run_exits_1_and_shows_the_verdict_when_the_command_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["sandbox", "run", "--wall", "0.5", "--", "sleep", "10"])
    assert result.exit_code == 1
    assert "wall_time" in result.output


@pytest.mark.sandbox
@pytest.mark.usefixtures("sandbox")
def test_check_reports_every_part_and_exits_0_here() -> None:
    result = runner.invoke(app, ["sandbox", "check", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    names = [item["name"] for item in report["items"]]
    for part in ("bubblewrap", "user namespaces", "cgroups", "seccomp", "runtime", "sandboxed run"):
        assert part in names
    assert report["ok"] is True


def test_check_exits_3_with_the_reason_on_a_host_that_cannot_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VETTA_SANDBOX_RUNTIME", "/nonexistent/runtime")
    config.cache_clear()
    try:
        result = runner.invoke(app, ["sandbox", "check"])
        as_json = runner.invoke(app, ["sandbox", "check", "--json"])
    finally:
        monkeypatch.undo()
        config.cache_clear()
    assert result.exit_code == 3
    assert "this host cannot sandbox candidate code: runtime failed" in result.output
    report = json.loads(as_json.output)
    runtime = next(item for item in report["items"] if item["name"] == "runtime")
    assert runtime["ok"] is False and "vetta sandbox setup" in runtime["detail"]


@pytest.mark.sandbox
@pytest.mark.usefixtures("sandbox")
def test_setup_is_idempotent_when_the_runtime_is_current() -> None:
    result = runner.invoke(app, ["sandbox", "setup", "--quiet"])
    assert result.exit_code == 0
    assert result.output == ""


def test_every_sandbox_command_and_option_has_help() -> None:
    for command in ("setup", "check", "run"):
        result = runner.invoke(app, ["sandbox", command, "--help"])
        assert result.exit_code == 0
        assert "[default" in result.output or command != "run"
    run_help = runner.invoke(app, ["sandbox", "run", "--help"]).output
    for option in ("--memory", "--cpu", "--wall", "--pids", "--network", "--json", "--unsafe"):
        assert option in run_help


def test_unsafe_mode_warns_loudly_every_time_and_maps_sandbox_paths(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    harness = tmp_path / "harness"
    harness.mkdir()
    (harness / "shim.py").write_text("import sys; print(open('in.txt').read(), sys.argv[1])\n")
    caplog.set_level(logging.WARNING, logger="vetta.grading.sandbox")
    for _ in range(2):
        outcome = run(
            ["python", "/harness/shim.py", "/work/arg"],
            files={"in.txt": b"hello"},
            binds=[Bind(harness, "/harness")],
            unsafe_no_sandbox=True,
        )
        assert outcome.verdict is Verdict.OK, outcome
        assert outcome.stdout.decode().startswith("hello ")
        assert "UNSAFE" in outcome.message
    warnings = [r for r in caplog.records if "WITHOUT the sandbox" in r.getMessage()]
    assert len(warnings) == 2 and all(r.levelno == logging.WARNING for r in warnings)


def test_unsafe_mode_by_environment_still_enforces_the_wall_clock(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("VETTA_UNSAFE_NO_SANDBOX", "1")
    config.cache_clear()
    caplog.set_level(logging.WARNING, logger="vetta.grading.sandbox")
    try:
        outcome = run(["sleep", "30"], limits=Limits(wall_seconds=0.5))
        with spawn(["sleep", "30"], limits=Limits(wall_seconds=10)) as proc:
            assert proc.alive
        stopped = proc.stop()
    finally:
        monkeypatch.undo()
        config.cache_clear()
    assert outcome.verdict is Verdict.WALL_TIME
    assert stopped.verdict is Verdict.OK
    assert any("WITHOUT the sandbox" in r.getMessage() for r in caplog.records)
