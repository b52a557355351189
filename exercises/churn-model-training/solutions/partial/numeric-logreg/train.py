"""Logistic regression on the numeric columns as they come: median-imputed and scaled. The
categorical columns (contract, plan, region, ...) are skipped because the model wants numbers."""

import pickle
from pathlib import Path

import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def main() -> None:
    train = pd.read_csv("data/train.csv", dtype={"customer_id": str})
    valid = pd.read_csv("data/valid.csv", dtype={"customer_id": str})
    numeric = [c for c in train.columns if c != "churned" and pd.api.types.is_numeric_dtype(train[c])]
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression())
    model.fit(train[numeric], train["churned"])
    print(f"validation ROC AUC {roc_auc_score(valid['churned'], model.predict_proba(valid[numeric])[:, 1]):.4f}")
    Path("model").mkdir(exist_ok=True)
    with open("model/model.pkl", "wb") as handle:
        pickle.dump({"model": model, "columns": numeric}, handle)


if __name__ == "__main__":
    main()
