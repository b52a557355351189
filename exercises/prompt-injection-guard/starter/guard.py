"""Prompt-injection guard for Northwind's RAG assistant. See statement.md for the full brief.

`score(items)` receives a list of items, each
    {"user_message": str, "documents": [{"source": str, "text": str}, ...]}
and returns one finite number per item, in the same order: higher means "more likely an
injection". Items scoring >= 0.5 are the ones your guard flags (blocks or sends to review).

You may add helper modules named guard_*.py next to this file. A labelled sample is in
data/public_sample.jsonl (you may read it at import time, e.g. to train a small model).
"""

from __future__ import annotations


def score(items: list[dict]) -> list[float]:
    return [0.0 for _item in items]
