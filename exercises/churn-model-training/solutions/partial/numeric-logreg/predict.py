import pickle
import sys

import pandas as pd


def main(model_dir: str, features_csv: str, predictions_csv: str) -> None:
    with open(f"{model_dir}/model.pkl", "rb") as handle:
        saved = pickle.load(handle)
    customers = pd.read_csv(features_csv, dtype={"customer_id": str})
    p = saved["model"].predict_proba(customers[saved["columns"]])[:, 1]
    pd.DataFrame({"customer_id": customers["customer_id"], "churn_probability": p}).to_csv(
        predictions_csv, index=False
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
