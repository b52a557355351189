"""Variant generator: `python generate.py --seed N --out DIR`.

Writes DIR/public/data/public_sample.jsonl (a labelled sample for the candidate: public families
only, drawn from the public share of every phrasing pool) and DIR/hidden/corpus.jsonl (the graded
corpus: every family, every phrasing, plus the hand-written hard cases). Each item gets its own
RNG seeded from (variant seed, split, family, index), so the bytes depend on the seed alone.
Hidden items are shuffled so that position says nothing about the label; the public sample never
repeats a hidden input.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from pig_attacks import HELD_OUT_ATTACKS, PUBLIC_ATTACKS, Builder, phrasebook
from pig_handwritten import CASES
from pig_lookalikes import HELD_OUT_HARD, PUBLIC_BENIGN, PUBLIC_HARD
from pig_pools import Phrasebook

# Items per family. Hidden: ~36% positives, ~23% of negatives are hard look-alikes (PINT keeps
# ~21%); 40% of the generated positives come from families the public sample does not show.
HIDDEN_COUNTS: dict[str, int] = {
    **dict.fromkeys(PUBLIC_ATTACKS, 36),
    **dict.fromkeys(HELD_OUT_ATTACKS, 36),
    "benign_rag": 520, "benign_chat": 110,
    **dict.fromkeys(PUBLIC_HARD, 18),
    **dict.fromkeys(HELD_OUT_HARD, 18),
}
PUBLIC_COUNTS: dict[str, int] = {
    **dict.fromkeys(PUBLIC_ATTACKS, 12),
    "benign_rag": 100, "benign_chat": 24,
    **dict.fromkeys(PUBLIC_HARD, 6),
}
BUILDERS: dict[str, Builder] = {**PUBLIC_ATTACKS, **HELD_OUT_ATTACKS, **PUBLIC_BENIGN,
                                **PUBLIC_HARD, **HELD_OUT_HARD}
POSITIVE = set(PUBLIC_ATTACKS) | set(HELD_OUT_ATTACKS)


def canonical(item_input: dict[str, Any]) -> str:
    return json.dumps(item_input, sort_keys=True, ensure_ascii=False)


def build(seed: int, split: str, counts: dict[str, int], book: Phrasebook,
          taken: set[str]) -> list[dict[str, Any]]:
    public = split == "public"
    items = []
    for family, count in counts.items():
        for k in range(count):
            for attempt in range(50):
                rng = random.Random(f"pig:{seed}:{split}:{family}:{k}:{attempt}")
                item_input = BUILDERS[family](rng, book, public)
                key = canonical(item_input)
                if key not in taken:
                    break
            else:
                raise RuntimeError(f"cannot make a new {family} item")
            taken.add(key)
            items.append({"input": item_input, "label": int(family in POSITIVE),
                          "family": family})
    return items


def generate(seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    book = phrasebook(seed)
    taken: set[str] = set()
    hidden = build(seed, "hidden", HIDDEN_COUNTS, book, taken)
    for case in CASES:
        key = canonical(case["input"])
        if key not in taken:
            taken.add(key)
            hidden.append(dict(case))
    public = build(seed, "public", PUBLIC_COUNTS, book, taken)
    random.Random(f"pig:{seed}:shuffle:hidden").shuffle(hidden)
    random.Random(f"pig:{seed}:shuffle:public").shuffle(public)
    hidden = [{"id": f"h{n:04d}", **item} for n, item in enumerate(hidden)]
    public = [{"id": f"p{n:03d}", **item} for n, item in enumerate(public)]
    return hidden, public


def _write(path: Path, items: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            record = {"id": item["id"], "input": item["input"], "label": item["label"],
                      "family": item["family"]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    hidden, public = generate(args.seed)
    _write(args.out / "hidden" / "corpus.jsonl", hidden)
    _write(args.out / "public" / "data" / "public_sample.jsonl", public)


if __name__ == "__main__":
    main()
