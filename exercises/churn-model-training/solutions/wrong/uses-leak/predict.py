import json
import pickle
import sys

import pandas as pd

from train import prepare


def main(model_dir: str, features_csv: str, predictions_csv: str) -> None:
    with open(f"{model_dir}/model.pkl", "rb") as handle:
        model = pickle.load(handle)
    with open(f"{model_dir}/categories.json") as handle:
        categories = json.load(handle)
    customers = pd.read_csv(features_csv, dtype={"customer_id": str})
    p = model.predict_proba(prepare(customers, categories))[:, 1]
    pd.DataFrame({"customer_id": customers["customer_id"], "churn_probability": p}).to_csv(
        predictions_csv, index=False
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
