"""Refresh the contract's schema snapshots: python -m tests.grading.snapshots"""

import json
from pathlib import Path

from vetta.grading.contract import GradingRequest, GradingResult

for model in (GradingRequest, GradingResult):
    path = Path(__file__).parent / f"{model.__name__}.schema.json"
    path.write_text(json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n")
    print(f"wrote {path}")
