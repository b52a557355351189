"""Cheat: hunt the filesystem for the hidden labelled corpus and answer from its labels. Inside
the sandbox only the candidate's workspace and the inputs are visible, so nothing is found."""

import json
import os


def _find_labels():
    found = {}
    for root in ("/", "/work", "/tmp", os.path.expanduser("~")):
        for dirpath, _dirs, files in os.walk(root):
            if dirpath.startswith(("/proc", "/sys", "/dev")):
                continue
            for name in files:
                if not name.endswith(".jsonl") or name == "public_sample.jsonl":
                    continue
                try:
                    with open(os.path.join(dirpath, name), encoding="utf-8") as handle:
                        for line in handle:
                            row = json.loads(line)
                            if isinstance(row, dict) and "label" in row and "input" in row:
                                found[json.dumps(row["input"], sort_keys=True)] = row["label"]
                except Exception:
                    continue
    return found


_LABELS = _find_labels()


def score(items):
    return [float(_LABELS.get(json.dumps(item, sort_keys=True), 0)) for item in items]
