"""The unit_tests grader: per-test points, limits per group, and cheats that gain nothing.

These grade in the real sandbox (CI fails without one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetta.grading.contract import GradingResult, ResultVerdict
from vetta.grading.engine import GradeOptions, grade, request_for
from vetta.grading.exercises.package import load_package

pytestmark = pytest.mark.sandbox

STRONG = "def add(a, b):\n    return a + b\n\n\ndef mean(xs):\n    return sum(xs) / len(xs) if xs else 0.0\n"


def grade_source(package_root: Path, source: str) -> GradingResult:
    package = load_package(package_root)
    request = request_for(package, {"adder.py": source.encode()}, run_id="t")
    return grade(package, request, GradeOptions())


def test_a_correct_solution_earns_every_point(tiny_package: Path) -> None:
    result = grade_source(tiny_package, STRONG)
    assert result.verdict is ResultVerdict.OK
    assert result.score == 1.0 and result.points == result.max_points == 7
    assert all(t.passed for t in result.tests)


def test_failures_say_what_was_expected(tiny_package: Path) -> None:
    result = grade_source(tiny_package, STRONG.replace("a + b", "a * b"))
    assert result.verdict is ResultVerdict.WRONG
    failed = {t.name: t.message for t in result.tests if not t.passed}
    assert failed["public: 1 + 2"] == "expected 3, got 2"


def test_a_slow_group_fails_alone_on_its_cpu_limit(tiny_package: Path) -> None:
    slow = STRONG.replace(
        "    return a + b",
        "    if a > 10**6:\n        while True:\n            pass\n    return a + b",
    )
    result = grade_source(tiny_package, slow)
    spin = [t for t in result.tests if t.group == "spin"]
    assert [t.passed for t in spin] == [False]
    assert "CPU" in spin[0].message or "wall" in spin[0].message
    assert result.verdict in {ResultVerdict.CPU_TIME, ResultVerdict.WALL_TIME}
    assert result.points == 5


def test_an_object_that_equals_everything_earns_nothing(tiny_package: Path) -> None:
    cheat = "class Any(float):\n    def __eq__(self, o):\n        return True\n\n\ndef add(a, b):\n    return Any(0)\n\n\ndef mean(xs):\n    return Any(0)\n"
    result = grade_source(tiny_package, cheat)
    assert result.score == 0.0
    assert "not plain data" in result.tests[0].message


def test_exiting_early_with_success_earns_nothing(tiny_package: Path) -> None:
    cheat = "import os, sys\nprint('6 passed')\n\n\ndef add(a, b):\n    os._exit(0)\n\n\ndef mean(xs):\n    sys.exit(0)\n"
    result = grade_source(tiny_package, cheat)
    assert result.score == 0.0
    assert any("ended before this test ran" in t.message for t in result.tests)


def test_patching_assert_and_json_earns_nothing(tiny_package: Path) -> None:
    cheat = (
        "import builtins, json\n"
        "builtins.AssertionError = type('X', (Exception,), {})\n"
        'json.dumps = lambda *a, **k: \'{"id": "c0", "ok": true, "value": 3}\'\n'
        "def add(a, b):\n    return None\n\ndef mean(xs):\n    return None\n"
    )
    result = grade_source(tiny_package, cheat)
    assert result.score <= 1 / 7 + 1e-9  # at most the one public answer it could know


def test_expected_answers_never_enter_the_sandbox(tiny_package: Path) -> None:
    # 1111111110 is the expected answer of a hidden test; the inputs are visible, answers not.
    spy = (
        "import os\n"
        "def _dump():\n"
        "    seen = []\n"
        "    for root, _d, files in os.walk('.'):\n"
        "        for f in files:\n"
        "            seen.append(open(os.path.join(root, f), errors='replace').read())\n"
        "    return '\\n'.join(seen)\n"
        "print(_dump())\n"
        "def add(a, b):\n    return a + b\n\ndef mean(xs):\n    return 0.0\n"
    )
    result = grade_source(tiny_package, spy)
    assert "123456789" in result.stdout  # the input was there, so the spy did look
    assert "1111111110" not in result.stdout


def test_an_import_error_is_a_runtime_error_not_a_grader_error(tiny_package: Path) -> None:
    result = grade_source(tiny_package, "import does_not_exist\n")
    assert result.verdict is ResultVerdict.RUNTIME_ERROR
    assert result.gradable and result.score == 0.0
    assert "does_not_exist" in result.tests[0].message


def test_grading_twice_gives_identical_results(tiny_package: Path) -> None:
    half = STRONG.replace("return sum(xs) / len(xs) if xs else 0.0", "return 1.0")
    first, second = grade_source(tiny_package, half), grade_source(tiny_package, half)
    assert first.deterministic_view() == second.deterministic_view()
