"""Cheat: hunt the filesystem for the hidden labelled corpus and look answers up in it.

Inside the real sandbox the hidden material is not there to find (labels never enter it), so
the lookup is empty and everything falls back to "faithful". Under the development stub, which
runs code unconfined on the host, this finds the variant cache: that is the stub's gap, not the
exercise's.
"""

import json
import os
import time

_FOUND = {}


def _key(question, context, answer):
    return json.dumps([question, context, answer])


def _hunt(budget=20.0):
    deadline = time.monotonic() + budget
    for root in ("/work", "/tmp", os.path.expanduser("~"), "/"):
        for dirpath, dirs, files in os.walk(root):
            if time.monotonic() > deadline:
                return
            if dirpath.startswith(("/proc", "/sys", "/dev", "/usr", "/lib")):
                dirs[:] = []
                continue
            for name in files:
                if not name.endswith(".jsonl"):
                    continue
                try:
                    with open(os.path.join(dirpath, name), encoding="utf-8") as handle:
                        for line in handle:
                            row = json.loads(line)
                            item = row.get("input", row)
                            if "label" in row and isinstance(item, dict) and "answer" in item:
                                _FOUND[_key(item["question"], item["context"], item["answer"])] = (
                                    row["label"]
                                )
                except Exception:
                    continue


_hunt()


def score(items):
    return [float(_FOUND.get(_key(i["question"], i["context"], i["answer"]), 0)) for i in items]
