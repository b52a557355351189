"""Grading overhead: each exercise's strong solution graded end to end in the sandbox vs the same
grading with the sandbox off (the bare run of the same work), interleaved, medians.

    .venv/bin/python -m bench.grading [--repeat 7] [EXERCISE_DIR ...]

Ratios are measured side by side in one run because these machines are shared and noisy. The
variant cache is warmed first, so both sides do exactly the same work but for the sandbox.
Target for unit_tests exercises: sandboxed <= 1.25 x bare.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from pathlib import Path

from vetta.grading.engine import GradeOptions, grade, request_for
from vetta.grading.exercises.package import load_package
from vetta.grading.exercises.submission import read_submission
from vetta.grading.exercises.variants import generate_variant

REPO = Path(__file__).resolve().parents[2]


def _time_grade(package_root: Path, *, unsafe: bool) -> tuple[float, float]:
    package = load_package(package_root)
    strong = next(s for s in package.solutions() if s.band == "strong")
    files, _ = read_submission(strong.path, package)
    request = request_for(package, files, run_id="bench")
    started = time.perf_counter()
    result = grade(package, request, GradeOptions(unsafe_no_sandbox=unsafe))
    elapsed = time.perf_counter() - started
    if not result.gradable:
        raise SystemExit(f"{package.slug}: grading failed: {result.summary}")
    return elapsed, result.score


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("exercises", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=7, help="interleaved pairs per exercise")
    args = parser.parse_args()
    # Unsafe mode logs a loud warning on every run; the comparison is the point here.
    logging.getLogger("vetta.grading.sandbox.unsafe").setLevel(logging.ERROR)
    roots = args.exercises or sorted(p.parent for p in (REPO / "exercises").glob("*/exercise.yaml"))
    print(f"{'exercise':28} {'kind':18} {'bare s':>8} {'sandbox s':>10} {'ratio':>6}  scores")
    for root in roots:
        package = load_package(root)
        seed = package.spec.variants.default_seed if package.spec.variants else 0
        generate_variant(package, seed)  # warm the cache: both sides then do the same work
        bare: list[float] = []
        boxed: list[float] = []
        scores: set[float] = set()
        _time_grade(root, unsafe=False)  # warm imports and page cache
        for _ in range(args.repeat):
            for unsafe, sink in ((True, bare), (False, boxed)):
                elapsed, score = _time_grade(root, unsafe=unsafe)
                sink.append(elapsed)
                scores.add(round(score, 6))
        b, s = statistics.median(bare), statistics.median(boxed)
        print(
            f"{package.slug:28} {package.spec.grader.kind:18} {b:8.3f} {s:10.3f} {s / b:6.2f}  "
            f"{sorted(scores)}"
        )


if __name__ == "__main__":
    main()
