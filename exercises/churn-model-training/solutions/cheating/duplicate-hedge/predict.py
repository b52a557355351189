"""Cheat: write every customer twice, once as a certain churner and once as a certain stayer,
hoping the scorer keeps whichever row suits it (or averages them)."""

import csv
import sys


def main(model_dir: str, features_csv: str, predictions_csv: str) -> None:
    with open(features_csv, newline="") as handle:
        ids = [row["customer_id"] for row in csv.DictReader(handle)]
    with open(predictions_csv, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "churn_probability"])
        for customer in ids:
            writer.writerow([customer, 1.0])
            writer.writerow([customer, 0.0])


if __name__ == "__main__":
    main(*sys.argv[1:4])
