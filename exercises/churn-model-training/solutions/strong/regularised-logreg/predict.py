"""python predict.py MODEL_DIR FEATURES_CSV PREDICTIONS_CSV"""

import pickle
import sys
from pathlib import Path

import pandas as pd


def main(model_dir: str, features_csv: str, predictions_csv: str) -> None:
    with (Path(model_dir) / "pipeline.pkl").open("rb") as handle:
        model = pickle.load(handle)
    customers = pd.read_csv(features_csv, dtype={"customer_id": str})
    p = model.predict_proba(customers)[:, 1]
    pd.DataFrame({"customer_id": customers["customer_id"], "churn_probability": p}).to_csv(
        predictions_csv, index=False
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
