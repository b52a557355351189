"""Checks you can run: `python -m pytest public_tests`.

The hidden corpus is about a different invented world and holds kinds of unsupported answer that
the public sample does not show: a high F1 here is necessary, not sufficient.
"""

import json
import math
from pathlib import Path

import pytest
from detector import score

SAMPLE = Path("data/public_sample.jsonl")


def _sample():
    if not SAMPLE.is_file():
        pytest.skip(f"{SAMPLE} not found: run pytest from the workspace root")
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line]


def _items(rows):
    return [{"question": r["question"], "context": r["context"], "answer": r["answer"]}
            for r in rows]


def test_returns_one_finite_number_per_item():
    rows = _sample()[:20]
    scores = score(_items(rows))
    assert len(scores) == len(rows)
    for value in scores:
        assert type(value) in (int, float, bool) or type(value).__module__ == "numpy"
        assert math.isfinite(float(value))


def test_an_empty_batch_gives_an_empty_list():
    assert list(score([])) == []


def test_an_item_scores_the_same_alone_and_in_a_batch():
    items = _items(_sample()[:30])
    together = [float(s) for s in score(items)]
    alone = [float(score([item])[0]) for item in items]
    assert together == pytest.approx(alone)


def test_an_obvious_contradiction_scores_above_its_faithful_twin():
    context = ("Brannoch Robotics was founded in 1987 by Ilsa Marrowen. It employs 1,200 people. "
               "Its best-known product is the Kestrel K2, which weighs 1.2 kg.")
    base = {"question": "How many people does Brannoch Robotics employ?", "context": context}
    faithful, changed = score([{**base, "answer": "Brannoch Robotics employs 1,200 people."},
                               {**base, "answer": "Brannoch Robotics employs 2,100 people."}])
    assert changed > faithful
    assert changed >= 0.5 > faithful


def test_f1_on_the_public_sample_reaches_the_pass_bar():
    rows = _sample()
    flagged = [float(s) >= 0.5 for s in score(_items(rows))]
    tp = sum(f and r["label"] == 1 for f, r in zip(flagged, rows, strict=True))
    fp = sum(f and r["label"] == 0 for f, r in zip(flagged, rows, strict=True))
    fn = sum(not f and r["label"] == 1 for f, r in zip(flagged, rows, strict=True))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    misses = {}
    for f, r in zip(flagged, rows, strict=True):
        if f != bool(r["label"]):
            misses[r["family"]] = misses.get(r["family"], 0) + 1
    print(f"public F1 = {f1:.3f}; errors by family: {misses}")
    assert f1 >= 0.8, f"F1 {f1:.3f} on the public sample; errors by family: {misses}"
