"""The hallucination-evaluator exercise: its seeded corpus generator and its written part.

The generator is checked directly (determinism, label balance, held-out families, no overlap
between the public sample and the hidden corpus, hallucinations that really change the meaning);
one focused grading checks that ANALYSIS.md is accepted and leaves the automatic score alone.
Grading every reference solution is `vetta exercise test`'s job in CI.
"""

from __future__ import annotations

import difflib
import json
import random
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from vetta.grading.contract import ResultVerdict
from vetta.grading.engine import GradeOptions, grade, request_for
from vetta.grading.exercises.package import load_package

PACKAGE = Path(__file__).resolve().parents[2] / "exercises" / "hallucination-evaluator"
GENERATOR = PACKAGE / "hidden" / "generate.py"


def _generate(seed: int, out: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
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


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], ...]:
    return _generate(7, tmp_path_factory.mktemp("variant") / "out")


@pytest.fixture(scope="module")
def corpus() -> Iterator[ModuleType]:
    """The generator's item builder, imported from the package's hidden directory."""
    sys.path.insert(0, str(GENERATOR.parent))
    try:
        import hallu_corpus  # type: ignore[import-not-found]

        yield hallu_corpus
    finally:
        sys.path.remove(str(GENERATOR.parent))


def _spec() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((PACKAGE / "exercise.yaml").read_text())
    return data


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_items(tmp_path: Path) -> None:
    first = _generate(7, tmp_path / "a")
    second = _generate(7, tmp_path / "b")
    other = _generate(8, tmp_path / "c")
    for name in ("public/data/public_sample.jsonl", "hidden/corpus.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert first == second
    answers = {row["input"]["answer"] for row in first[1]}
    other_answers = {row["input"]["answer"] for row in other[1]}
    assert len(answers & other_answers) < 0.05 * len(answers)


def test_labels_are_balanced_and_the_hidden_corpus_is_large_enough(
    variant: tuple[list[dict[str, Any]], ...],
) -> None:
    public, hidden = variant
    assert len(public) == 200
    assert len(hidden) >= 600
    for rows in (public, hidden):
        share = sum(row["label"] for row in rows) / len(rows)
        assert 0.35 <= share <= 0.45
    # Shuffled: the first and second halves hold about the same share of hallucinations.
    half = len(hidden) // 2
    first, second = (sum(r["label"] for r in part) for part in (hidden[:half], hidden[half:]))
    assert abs(first - second) < 0.1 * half


def test_held_out_families_are_in_the_hidden_corpus_only(
    variant: tuple[list[dict[str, Any]], ...], corpus: ModuleType
) -> None:
    public, hidden = variant
    public_families = set(Counter(row["family"] for row in public))
    hidden_families = Counter(row["family"] for row in hidden)
    declared = set(_spec()["grader"]["config"]["public_families"])
    assert public_families == declared
    held_out = set(hidden_families) - declared
    assert held_out == set(corpus.HELD_OUT)
    assert all(hidden_families[family] >= 30 for family in held_out)
    assert {row["label"] for row in hidden if row["family"] in held_out} == {1}


def test_no_hidden_item_or_company_appears_in_the_public_sample(
    variant: tuple[list[dict[str, Any]], ...],
) -> None:
    public, hidden = variant

    def company(context: str) -> str:
        # Every context opens with its company: "Brannoch Robotics makes ..." / "... is a maker".
        return re.split(r" makes | is a maker ", context, maxsplit=1)[0]

    public_texts = {(r["question"], r["context"], r["answer"]) for r in public}
    hidden_inputs = [row["input"] for row in hidden]
    assert not public_texts & {(i["question"], i["context"], i["answer"]) for i in hidden_inputs}
    assert not {r["context"] for r in public} & {i["context"] for i in hidden_inputs}
    public_companies = {company(r["context"]) for r in public}
    hidden_companies = {company(i["context"]) for i in hidden_inputs}
    assert len(public_companies) > 20 and len(hidden_companies) > 20
    assert not public_companies & hidden_companies
    assert all(set(row["input"]) == {"question", "context", "answer"} for row in hidden)


def _changed(before: str, after: str) -> set[str]:
    """Tokens on either side of a word-level diff: replaced, inserted, deleted or moved."""
    a = re.findall(r"[A-Za-z]+|\d[\d,.]*\d|\d|\"", before)
    b = re.findall(r"[A-Za-z]+|\d[\d,.]*\d|\d|\"", after)
    out: set[str] = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            out |= set(a[i1:i2]) | set(b[j1:j2])
    return out


# What a hallucination of each family must change relative to its faithful twin: at least one
# changed token of the kind named here.
_CHANGED = {
    "entity_swap": r"[A-Z][a-z]+",
    "number_change": r"\d.*|million|billion|thousand",
    "date_change": r"\d+|January|February|March|April|May|June|July|August|September|October"
    r"|November|December",
    "negation_flip": r"not|isn|No|Yes|privately|private|publicly|listed|traded|loss|profit"
    r"|profitable|made",
    "wrong_relation": r"[A-Z][a-z]+",
    "overgeneralisation": r"[Aa]ll|[Aa]lways|[Nn]ever|[Mm]ost|[Ss]ome|[Ss]everal|[Mm]any|few"
    r"|usually|often|sometimes|rarely|majority|more|half|portion|[Pp]art|number|lot"
    r"|typically|normally|generally|frequently|occasionally|seldom|hardly",
    "conflation": r"[A-Z][a-z]+|\d.*",
    "temporal_shift": r"until|since|currently|current|is|was|has|been|plans|planning|intends"
    r"|will|due|opened|built|moved|set|launched|led|from",
    # A quotation added, its words changed (misquoted), its speaker changed, or a source cited.
    "fabricated_quote": r'"|[A-Z][a-z]+|practical|machines|summer|customers|warranty|office'
    r"|short|three|times|release|young|target|costly|blend|annual|report|reported|interview"
    r"|confirms|said",
}


def test_every_hallucination_changes_what_its_faithful_twin_says(corpus: ModuleType) -> None:
    import hallu_world  # type: ignore[import-not-found]

    _, names = hallu_world.split_name_pools(random.Random("t:names"))
    world = hallu_world.build_world(random.Random("t:world"), names)
    rng = random.Random("t:items")
    for family, pattern in _CHANGED.items():
        for _ in range(40):
            item = corpus.make_item(family, world, rng)
            assert item.label == 1 and item.faithful and item.answer != item.faithful
            diff = _changed(item.faithful, item.answer)
            assert any(re.fullmatch(pattern, token) for token in diff), (family, item.answer)
    for family in ("negation_flip", "overgeneralisation"):
        # These change no name and no number: words the context already has must carry them.
        for _ in range(20):
            item = corpus.make_item(family, world, rng)
            names_and_numbers = re.compile(r"[A-Z][a-z]+ [A-Z]\w*|\d[\d,.]*")
            assert set(names_and_numbers.findall(item.answer)) <= set(
                names_and_numbers.findall(item.context)
            )


def test_faithful_answers_only_name_what_the_context_names(corpus: ModuleType) -> None:
    import hallu_world

    _, names = hallu_world.split_name_pools(random.Random("f:names"))
    world = hallu_world.build_world(random.Random("f:world"), names)
    rng = random.Random("f:items")
    for family in (
        "faithful_restatement",
        "faithful_paraphrase",
        "faithful_reordered",
        "faithful_partial",
    ):
        for _ in range(40):
            item = corpus.make_item(family, world, rng)
            assert item.label == 0
            for name in re.findall(r"[A-Z][a-z]+ [A-Z][a-z]+", item.answer):
                if not name.startswith(("The ", "In ", "Yes", "No", "Before ", "According ")):
                    assert name in item.context, (name, item.answer)
            if family == "faithful_partial":
                continue  # may convert its value ("3,400 million euros"): see the next test
            for number in re.findall(r"\b\d+(?:[,.]\d+)*\b", item.answer):
                assert number in item.context, (number, item.answer)


def _amount(text: str) -> float:
    """'€1.4 billion', '1,400 million euros', '€1,400m', '1,200 grams', '660 minutes' -> number."""
    match = re.search(r"\d[\d,]*(?:\.\d+)?", text.replace("a full", "1"))
    assert match, text
    number = float(match[0].replace(",", ""))
    factors = {
        "billion": 1e9,
        "million": 1e6,
        "thousand": 1e3,
        "kg": 1e3,
        "kilogram": 1e3,
        "hour": 60,
        "day": 1440,
    }
    for word, factor in factors.items():
        if word in text:
            number *= factor
    if re.search(r"\dm\b", text):
        number *= 1e6
    return round(number, 3)


def test_equivalent_forms_of_a_value_are_exact(corpus: ModuleType) -> None:
    """A faithful conversion must equal the context's value exactly, or its label would lie."""
    import hallu_render as r  # type: ignore[import-not-found]
    import hallu_world

    rng = random.Random("conversions")
    for seed in range(3):
        _, names = hallu_world.split_name_pools(random.Random(seed))
        world = hallu_world.build_world(random.Random(seed), names)
        for company in world.companies:
            product = company.product
            for money in (company.revenue, product.price):
                assert _amount(r.money_alt(money, rng)) == _amount(r.money(money)) == money.amount
            weight = product.weight
            assert _amount(r.weight_alt(weight, rng)) == _amount(r.weight(weight)) == weight.grams
            hours = product.battery_hours
            assert _amount(r.hours_alt(hours, rng)) == _amount(r.hours(hours)) == hours * 60
            assert _amount(r.count_alt(company.employees, rng)) == company.employees


def test_the_analysis_is_declared_for_people_and_its_rubric_ships() -> None:
    spec = _spec()
    assert "ANALYSIS.md" in spec["files"]["editable"]
    assert spec["rubric_parts"] == ["ANALYSIS.md"]
    rubric = (PACKAGE / "rubric.md").read_text(encoding="utf-8")
    dimensions = re.findall(r"^## (D\d+\..*)$", rubric, flags=re.M)
    assert len(dimensions) >= 5
    weights = [int(w) for w in re.findall(r"\(weight (\d+)\)", rubric)]
    assert len(weights) == len(dimensions) and sum(weights) == 100
    # Every dimension has four anchored levels.
    for block in re.split(r"^## D\d+\.", rubric, flags=re.M)[1:]:
        assert [int(n) for n in re.findall(r"^\| (\d) \|", block, flags=re.M)] == [1, 2, 3, 4]


@pytest.mark.sandbox
def test_the_analysis_is_accepted_but_does_not_change_the_automatic_score() -> None:
    package = load_package(PACKAGE)
    detector = (PACKAGE / "solutions" / "strong" / "detector.py").read_bytes()
    results = []
    for analysis in (b"", b"# Evaluating the evaluator\n\n" + b"A thoughtful essay. " * 400):
        files = {"detector.py": detector, "ANALYSIS.md": analysis}
        results.append(grade(package, request_for(package, files, run_id="t"), GradeOptions()))
    first, second = results
    assert first.gradable and first.verdict is not ResultVerdict.GRADER_ERROR
    assert "not accepted" not in first.summary and "not accepted" not in second.summary
    assert first.score >= 0.95
    assert first.deterministic_view() == second.deterministic_view()
