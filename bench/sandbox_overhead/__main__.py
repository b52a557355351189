"""Sandbox overhead: sandboxed vs bare runs of the same runtime interpreter, interleaved.

    .venv/bin/python -m bench.sandbox_overhead [--pairs 30]

Workloads: `python -c pass` (the fixed cost of a run) and a 25-test pytest run with plugin
autoload off (a typical hidden-test run). Each pair runs the bare command and the sandboxed one
back to back, alternating which goes first, so drift on a shared machine hits both alike. Times are
end to end, as a grader sees them: from the call to the outcome, including slot, cgroups, /work
tmpfs, bubblewrap, seccomp and teardown.

Targets (docs/sandbox.md): pytest ratio <= 1.10, fixed overhead <= 30 ms, supervisor < 50 MB RSS.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from vetta.grading.sandbox import Limits, NetworkMode, Verdict, run, runtime_python, spawn
from vetta.grading.sandbox.bwrap import sandbox_env
from vetta.grading.sandbox.runtime import require_runtime

LIMITS = Limits(cpu_seconds=30, wall_seconds=60)
MODULE = """
def slugify(text):
    words = "".join(c.lower() if c.isalnum() else " " for c in text).split()
    return "-".join(words)


def mean(values):
    return sum(values) / len(values)
"""
TESTS = (
    "from solution import mean, slugify\n\n"
    + "\n".join(
        f"def test_slugify_{i}():\n    assert slugify('Hello  World {i}!') == 'hello-world-{i}'\n\n"
        f"def test_mean_{i}():\n    assert mean([{i}, {i + 2}]) == {i + 1}\n"
        for i in range(12)
    )
    + "\ndef test_empty_slug():\n    assert slugify('') == ''\n"
)
FILES = {"solution.py": MODULE.encode(), "test_solution.py": TESTS.encode()}
PYTEST = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "test_solution.py"]
PYTEST_ENV = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}


def _bare(args: list[str], env: dict[str, str], work: Path) -> float:
    started = time.perf_counter()
    completed = subprocess.run(
        [runtime_python(), *args], cwd=work, env=env, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"bare run failed: {completed.stdout!r} {completed.stderr!r}")
    return elapsed


def _sandboxed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    outcome = run(["python", *args], files=FILES, env=env, limits=LIMITS)
    elapsed = time.perf_counter() - started
    if outcome.verdict is not Verdict.OK:
        raise SystemExit(f"sandboxed run failed: {outcome}")
    return elapsed


def _pairs(
    name: str, args: list[str], extra: dict[str, str], count: int, work: Path
) -> dict[str, float]:
    env = sandbox_env(runtime=require_runtime(), limits=LIMITS, extra=extra, cwd=str(work))
    env["HOME"] = str(work)
    bare: list[float] = []
    boxed: list[float] = []
    runs: list[tuple[list[float], Callable[[], float]]] = [
        (bare, lambda: _bare(args, env, work)),
        (boxed, lambda: _sandboxed(args, extra)),
    ]
    for _ in range(2):  # warm the page cache and the supervisor (seccomp filter, layout)
        for _, measure in runs:
            measure()
    for index in range(count):
        for results, measure in runs if index % 2 == 0 else reversed(runs):
            results.append(measure())
    bare_median, boxed_median = statistics.median(bare), statistics.median(boxed)
    extra_ms = (boxed_median - bare_median) * 1000
    print(
        f"{name:<26} bare {bare_median * 1000:7.1f} ms   sandboxed {boxed_median * 1000:7.1f} ms"
        f"   ratio {boxed_median / bare_median:5.2f}   (+{extra_ms:.1f} ms, {count} pairs)"
    )
    return {"bare": bare_median, "sandboxed": boxed_median}


def _rss_kib(pid: int | str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _hwm_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _bwrap_monitor_rss_kib() -> int:
    """RSS of bubblewrap's monitor process, the one supervisor process a slot adds."""
    with spawn(["sleep", "30"], network=NetworkMode.NONE, limits=LIMITS) as proc:
        assert proc.alive
        me = str(os.getpid())
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if "\nPPid:\t" + me + "\n" in status and status.startswith("Name:\tbwrap"):
                return _rss_kib(entry.name)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=30, help="interleaved pairs per workload")
    options = parser.parse_args()
    print(f"runtime {require_runtime().real}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="vetta-bench-") as root:
        work = Path(root)
        for name, data in FILES.items():
            (work / name).write_bytes(data)
        fixed = _pairs("python -c pass", ["-c", "pass"], {}, options.pairs, work)
        tests = _pairs("pytest, 25 tests", PYTEST, PYTEST_ENV, options.pairs, work)
    overhead_ms = (fixed["sandboxed"] - fixed["bare"]) * 1000
    ratio = tests["sandboxed"] / tests["bare"]
    supervisor_mib = _hwm_kib() / 1024
    monitor_mib = _bwrap_monitor_rss_kib() / 1024
    print()
    print(f"fixed per-run overhead    {overhead_ms:6.1f} ms      target <= 30 ms")
    print(f"pytest run ratio          {ratio:6.2f}         target <= 1.10")
    print(f"supervisor RSS            {supervisor_mib:6.1f} MiB     target < 50 MB per slot")
    print("  (peak RSS of this Python process, which supervised every run above,")
    print(f"   plus {monitor_mib:.1f} MiB for bubblewrap's monitor process of each running slot)")


if __name__ == "__main__":
    main()
