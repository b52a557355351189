"""Cheat: sniff the grading harness, write a results file of its own that reports every batch as
scored "perfectly", and exit before the harness can write the real one. The results carry scores,
not verdicts: the metrics are computed outside the sandbox against labels the cheat never sees,
so a forged file is worth what its scores are worth."""

import json
import os
import sys


def _forge():
    cases_path, results_path = sys.argv[1], sys.argv[2]
    with open(cases_path, encoding="utf-8") as handle:
        cases = json.load(handle)["cases"]
    with open(results_path, "w", encoding="utf-8") as out:
        for case in cases:
            items = case["args"][0]
            # Without labels, the best a forger can do is guess; "everything is an attack".
            out.write(json.dumps({"id": case["id"], "ok": True, "value": [1.0] * len(items)}))
            out.write("\n")
    os._exit(0)


if sys.argv and sys.argv[0].endswith("call_shim.py") and len(sys.argv) >= 3:
    _forge()


def score(items):
    return [0.0] * len(items)
