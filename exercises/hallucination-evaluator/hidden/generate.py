"""Variant generator: `python generate.py --seed N --out DIR`.

Writes
- DIR/public/data/public_sample.jsonl: the labelled public sample (question, context, answer,
  label, family), drawn from one invented world and only from the public families;
- DIR/hidden/corpus.jsonl: the hidden corpus for the `labelled_corpus` grader (id, input, label,
  family), drawn from a second invented world that shares no name with the first, holding every
  family including those held out of the public sample.

Same seed, same bytes: every random choice flows from seeded `random.Random` instances (string
seeds hash with SHA-512, independent of PYTHONHASHSEED) and the files are written with sorted keys.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from hallu_corpus import FAITHFUL, HALLUCINATED, HELD_OUT, Item, make_item
from hallu_world import World, build_world, split_name_pools

PUBLIC_FAMILIES = FAITHFUL + tuple(f for f in HALLUCINATED if f not in HELD_OUT)
PUBLIC_NEGATIVES_PER_FAMILY = 20  # 6 families: 120 faithful answers
PUBLIC_POSITIVES_PER_FAMILY = 10  # 8 families: 80 hallucinations (40% of 200)
HIDDEN_NEGATIVES_PER_FAMILY = 100  # 600 faithful answers
HIDDEN_POSITIVES = 400  # spread over the 11 families: 40% of 1,000


def family_counts(public: bool) -> dict[str, int]:
    if public:
        counts = dict.fromkeys(FAITHFUL, PUBLIC_NEGATIVES_PER_FAMILY)
        counts.update(dict.fromkeys(PUBLIC_FAMILIES[len(FAITHFUL) :], PUBLIC_POSITIVES_PER_FAMILY))
        return counts
    counts = dict.fromkeys(FAITHFUL, HIDDEN_NEGATIVES_PER_FAMILY)
    share, extra = divmod(HIDDEN_POSITIVES, len(HALLUCINATED))
    for index, family in enumerate(HALLUCINATED):
        counts[family] = share + (index < extra)
    return counts


def build_items(world: World, counts: dict[str, int], rng: random.Random) -> list[Item]:
    items: list[Item] = []
    seen: set[tuple[str, str, str]] = set()
    for family, n in counts.items():
        made = 0
        while made < n:
            item = make_item(family, world, rng)
            key = (item.question, item.context, item.answer)
            if key in seen:
                continue
            seen.add(key)
            items.append(item)
            made += 1
    rng.shuffle(items)  # the order of the corpus says nothing about labels or families
    return items


def worlds(seed: int) -> tuple[World, World]:
    public_names, hidden_names = split_name_pools(random.Random(f"hallu:{seed}:names"))
    return (
        build_world(random.Random(f"hallu:{seed}:public-world"), public_names),
        build_world(random.Random(f"hallu:{seed}:hidden-world"), hidden_names),
    )


def generate(seed: int) -> tuple[list[Item], list[Item]]:
    """(public sample, hidden corpus) for a seed."""
    public_world, hidden_world = worlds(seed)
    public = build_items(public_world, family_counts(True), random.Random(f"hallu:{seed}:public"))
    hidden = build_items(hidden_world, family_counts(False), random.Random(f"hallu:{seed}:hidden"))
    return public, hidden


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    public, hidden = generate(args.seed)
    public_dir = args.out / "public" / "data"
    hidden_dir = args.out / "hidden"
    public_dir.mkdir(parents=True, exist_ok=True)
    hidden_dir.mkdir(parents=True, exist_ok=True)
    with (public_dir / "public_sample.jsonl").open("w", encoding="utf-8") as handle:
        for n, item in enumerate(public, 1):
            row = {"id": f"p{n:04d}", **item.as_input(), "label": item.label,
                   "family": item.family}
            handle.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")
    with (hidden_dir / "corpus.jsonl").open("w", encoding="utf-8") as handle:
        for n, item in enumerate(hidden, 1):
            row = {"id": f"h{n:04d}", "input": item.as_input(), "label": item.label,
                   "family": item.family}
            handle.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
