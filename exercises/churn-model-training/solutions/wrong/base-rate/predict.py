"""Score customers: `python predict.py MODEL_DIR FEATURES_CSV PREDICTIONS_CSV`.

Runs in a fresh directory holding your code and MODEL_DIR (not data/). Write PREDICTIONS_CSV
with the header `customer_id,churn_probability` and one row per customer of FEATURES_CSV.

Predicts the base rate for everyone.
"""

import json
import sys
from pathlib import Path

import pandas as pd


def main(model_dir: str, features_csv: str, predictions_csv: str) -> None:
    model = json.loads((Path(model_dir) / "model.json").read_text())
    customers = pd.read_csv(features_csv, dtype={"customer_id": str})
    out = pd.DataFrame(
        {"customer_id": customers["customer_id"], "churn_probability": model["base_rate"]}
    )
    out.to_csv(predictions_csv, index=False)


if __name__ == "__main__":
    main(*sys.argv[1:4])
