"""Cheat: memorise the labelled public sample and look answers up by hash.

Scores the public tests perfectly. The hidden corpus is drawn from another invented world, so
nothing there is in the lookup table and everything falls back to "faithful".
"""

import hashlib
import json
from pathlib import Path

_LABELS = {}
for path in (Path("data/public_sample.jsonl"), Path(__file__).parent / "data/public_sample.jsonl"):
    if path.is_file():
        for line in path.read_text().splitlines():
            row = json.loads(line)
            key = hashlib.sha256(
                "\x00".join((row["question"], row["context"], row["answer"])).encode()
            ).hexdigest()
            _LABELS[key] = float(row["label"])
        break


def score(items):
    out = []
    for item in items:
        key = hashlib.sha256(
            "\x00".join((item["question"], item["context"], item["answer"])).encode()
        ).hexdigest()
        out.append(_LABELS.get(key, 0.0))
    return out
