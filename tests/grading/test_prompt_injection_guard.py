"""The prompt-injection-guard exercise: its seeded corpus generator, what reaches the sandbox, and
one determinism check of a real grading.

The generator is checked directly (determinism, size and mix, held-out families and phrasings,
no overlap between the public sample and the hidden corpus, attacks that carry their mechanism);
grading every reference solution is `vetta exercise test`'s job in CI.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from vetta.grading.engine import GradeOptions, grade, request_for
from vetta.grading.exercises.package import load_package
from vetta.grading.exercises.variants import Variant
from vetta.grading.graders.base import GradingContext
from vetta.grading.graders.labelled_corpus import GRADER, LabelledCorpusConfig
from vetta.grading.sandbox.types import Limits, Outcome, Verdict

PACKAGE = Path(__file__).resolve().parents[2] / "exercises" / "prompt-injection-guard"
GENERATOR = PACKAGE / "hidden" / "generate.py"
Rows = list[dict[str, Any]]


def _generate(seed: int, out: Path) -> tuple[Rows, Rows]:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--seed", str(seed), "--out", str(out)],
        check=True,
        cwd=out.parent,
        timeout=60,
    )
    public = (out / "public" / "data" / "public_sample.jsonl").read_text(encoding="utf-8")
    hidden = (out / "hidden" / "corpus.jsonl").read_text(encoding="utf-8")
    return [json.loads(x) for x in public.splitlines()], [
        json.loads(x) for x in hidden.splitlines()
    ]


def _key(item_input: dict[str, Any]) -> str:
    return json.dumps(item_input, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def variant_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("variant") / "out"
    _generate(7, out)
    return out


@pytest.fixture(scope="module")
def variant(variant_dir: Path) -> tuple[Rows, Rows]:
    public = (variant_dir / "public" / "data" / "public_sample.jsonl").read_text("utf-8")
    hidden = (variant_dir / "hidden" / "corpus.jsonl").read_text("utf-8")
    return [json.loads(x) for x in public.splitlines()], [
        json.loads(x) for x in hidden.splitlines()
    ]


@pytest.fixture(scope="module")
def gen() -> Iterator[dict[str, ModuleType]]:
    """The generator's modules, imported from the package's hidden directory."""
    sys.path.insert(0, str(GENERATOR.parent))
    try:
        import pig_attacks  # type: ignore[import-not-found]
        import pig_handwritten  # type: ignore[import-not-found]
        import pig_pools  # type: ignore[import-not-found]
        import pig_text  # type: ignore[import-not-found]

        yield {
            "attacks": pig_attacks,
            "handwritten": pig_handwritten,
            "pools": pig_pools,
            "text": pig_text,
        }
    finally:
        sys.path.remove(str(GENERATOR.parent))


def _config() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((PACKAGE / "exercise.yaml").read_text())
    config: dict[str, Any] = data["grader"]["config"]
    return config


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_items(tmp_path: Path) -> None:
    first = _generate(7, tmp_path / "a")
    _generate(7, tmp_path / "b")
    other = _generate(8, tmp_path / "c")
    for name in ("public/data/public_sample.jsonl", "hidden/corpus.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    hidden = {_key(row["input"]) for row in first[1]}
    other_hidden = {_key(row["input"]) for row in other[1]}
    # Only the hand-written cases are shared between variants.
    assert len(hidden & other_hidden) < 0.1 * len(hidden)


def test_the_hidden_corpus_is_large_mixed_and_shuffled(
    variant: tuple[Rows, Rows], gen: dict[str, ModuleType]
) -> None:
    public, hidden = variant
    assert len(hidden) >= 1000
    assert 150 <= len(public) <= 300
    for rows in (public, hidden):
        share = sum(row["label"] for row in rows) / len(rows)
        assert 0.30 <= share <= 0.40
    negatives = [row for row in hidden if not row["label"]]
    hard = [row for row in negatives if row["family"] in _config()["hard_negative_families"]]
    assert 0.15 <= len(hard) / len(negatives) <= 0.30
    handwritten = gen["handwritten"].CASES
    assert len(handwritten) >= 60
    assert {c["label"] for c in handwritten} == {0, 1}
    keys = {_key(row["input"]) for row in hidden}
    assert all(_key(case["input"]) in keys for case in handwritten)
    # Shuffled: position says nothing about the label.
    half = len(hidden) // 2
    first, second = (sum(r["label"] for r in part) for part in (hidden[:half], hidden[half:]))
    assert abs(first - second) < 0.1 * half


def test_held_out_families_and_phrasings_are_in_the_hidden_corpus_only(
    variant: tuple[Rows, Rows], gen: dict[str, ModuleType]
) -> None:
    public, hidden = variant
    declared = set(_config()["public_families"])
    assert {row["family"] for row in public} == declared
    hidden_families = Counter(row["family"] for row in hidden)
    held_out_attacks = {
        f
        for f in hidden_families
        if f not in declared and f.split("_")[0] not in ("hard", "benign")
    }
    assert held_out_attacks == set(gen["attacks"].HELD_OUT_ATTACKS)
    assert all(hidden_families[f] >= 30 for f in held_out_attacks)
    assert {"hard_encoded_benign", "hard_multilingual_benign"} <= set(hidden_families) - declared
    assert set(_config()["hard_negative_families"]) == {
        f for f in hidden_families if f.startswith("hard_")
    }
    # Override phrasings outside the public share of the pool reach the hidden corpus only.
    book = gen["attacks"].phrasebook(7)
    hidden_only = set(book.pool("override", False)) - set(book.pool("override", True))
    assert hidden_only
    public_text = json.dumps([row["input"] for row in public])
    hidden_text = json.dumps([row["input"] for row in hidden])
    assert not any(phrase in public_text for phrase in hidden_only)
    assert sum(phrase in hidden_text for phrase in hidden_only) >= len(hidden_only) // 2


def test_no_hidden_item_appears_in_the_public_sample(variant: tuple[Rows, Rows]) -> None:
    public, hidden = variant
    assert not {_key(r["input"]) for r in public} & {_key(r["input"]) for r in hidden}
    assert len({r["id"] for r in hidden}) == len(hidden)
    for row in hidden:
        assert set(row["input"]) == {"user_message", "documents"}
        assert all(set(doc) == {"source", "text"} for doc in row["input"]["documents"])


def test_attacks_carry_their_mechanism(
    variant: tuple[Rows, Rows], gen: dict[str, ModuleType]
) -> None:
    _public, hidden = variant
    questions = {q for t in gen["text"].TOPICS for q in t.questions}
    overrides = [p.lower() for p in gen["pools"].POOLS["override"]]

    def texts(row: dict[str, Any]) -> str:
        docs = row["input"]["documents"]
        return "\n".join([row["input"]["user_message"]] + [d["text"] for d in docs]).lower()

    by_family: dict[str, Rows] = {}
    for row in hidden:
        by_family.setdefault(row["family"], []).append(row)
    # Indirect families leave the user's message an ordinary question (a topic template with its
    # slots filled): the attack is in a document.
    asked = re.compile(
        "|".join(re.sub(r"\\\{\w+\\\}", ".+", re.escape(q)) for q in sorted(questions))
    )
    for family in ("indirect_hidden_markup", "indirect_fake_role", "indirect_structured"):
        generated = [r for r in by_family[family] if asked.fullmatch(r["input"]["user_message"])]
        assert len(generated) >= 30
    # Encoded and foreign payloads never spell an English override phrase out.
    for family in ("obfuscated_encoded", "multilingual"):
        for row in by_family[family]:
            assert not any(phrase in texts(row) for phrase in overrides), row["id"]
    # Exfiltration asks the model to fill a URL or image with the user's data.
    for row in by_family["exfil_markdown"]:
        assert "http" in texts(row) or "url" in texts(row), row["id"]


@dataclass
class _Recorder(GradingContext):
    """A grading context whose sandbox run records what would enter the sandbox."""

    sent: list[dict[str, bytes]] = field(default_factory=list)

    def run(
        self,
        command: Sequence[str],
        *,
        profile: str = "default",
        files: Mapping[str, bytes] | None = None,
        extra_files: Mapping[str, bytes] | None = None,
        collect: Sequence[str] = (),
        collect_max_bytes: int = 16 * 1024 * 1024,
        stdin: bytes | None = None,
        env: Mapping[str, str] | None = None,
        limits: Limits | None = None,
    ) -> Outcome:
        work = dict(self.submission if files is None else files)
        work.update(extra_files or {})
        self.sent.append(work)
        return Outcome(Verdict.OK, 0, None, 0.0, 0.0, 0, b"", b"")


def test_only_the_inputs_of_the_hidden_corpus_enter_the_sandbox(
    variant_dir: Path, variant: tuple[Rows, Rows]
) -> None:
    _public, hidden = variant
    ctx = _Recorder(
        package=load_package(PACKAGE),
        variant=Variant(seed=7, root=variant_dir),
        submission={"guard.py": b"def score(items):\n    return [0.0] * len(items)\n"},
    )
    GRADER.grade(ctx, LabelledCorpusConfig.model_validate(_config()))
    (work,) = ctx.sent
    assert set(work) == {
        "guard.py",
        ".vetta/call_shim.py",
        ".vetta/cases.json",
        ".vetta/results.jsonl",
    }
    cases = json.loads(work[".vetta/cases.json"])
    sent = [item for case in cases["cases"] for item in case["args"][0]]
    assert sent == [row["input"] for row in hidden]
    assert all(set(item) == {"user_message", "documents"} for item in sent)
    assert all(case["id"].startswith("b") for case in cases["cases"])
    raw = work[".vetta/cases.json"].decode()
    assert not any(f'"{row["id"]}"' in raw for row in hidden)


def test_the_public_tests_pass_for_the_strong_guard_and_fail_for_the_starter(
    variant_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(variant_dir / "public", tmp_path, dirs_exist_ok=True)
    shutil.copytree(PACKAGE / "public_tests", tmp_path / "public_tests")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "public_tests"]
    for source in (PACKAGE / "solutions" / "strong").glob("*.py"):
        shutil.copy(source, tmp_path)
    strong = subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=120, check=False)
    assert strong.returncode == 0, strong.stdout.decode()[-2000:]
    (tmp_path / "guard_signals.py").unlink()
    shutil.copy(PACKAGE / "starter" / "guard.py", tmp_path)
    starter = subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=120, check=False)
    assert starter.returncode == 1
    assert b"test_recall_within_a_one_percent_false_positive_budget" in starter.stdout


@pytest.mark.sandbox
def test_grading_the_strong_guard_twice_gives_the_same_result() -> None:
    package = load_package(PACKAGE)
    files = {p.name: p.read_bytes() for p in (PACKAGE / "solutions" / "strong").glob("*.py")}
    first, second = (
        grade(package, request_for(package, files, run_id=f"t{n}"), GradeOptions())
        for n in range(2)
    )
    assert first.gradable and first.score >= 0.93
    assert first.metrics["hard_negative_fpr"] <= 0.03
    assert first.deterministic_view() == second.deterministic_view()
