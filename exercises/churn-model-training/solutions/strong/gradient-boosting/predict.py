"""python predict.py MODEL_DIR FEATURES_CSV PREDICTIONS_CSV"""

import json
import pickle
import sys
from pathlib import Path

import pandas as pd

from features import prepare


def main(model_dir: str, features_csv: str, predictions_csv: str) -> None:
    with (Path(model_dir) / "model.pkl").open("rb") as handle:
        model = pickle.load(handle)
    categories = json.loads((Path(model_dir) / "categories.json").read_text())
    customers = pd.read_csv(features_csv, dtype={"customer_id": str})
    p = model.predict_proba(prepare(customers, categories))[:, 1]
    pd.DataFrame({"customer_id": customers["customer_id"], "churn_probability": p}).to_csv(
        predictions_csv, index=False
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
