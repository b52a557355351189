"""Reference model math and the model families the generator draws from (grader-side only).

A model file holds a logistic regression over typed features:

    z = intercept
        + sum over number/integer features: weight * (x - mean) / scale
        + sum over boolean features:        weight * (1 if x else 0)
        + sum over category features:       weights[x]
    probability = 1 / (1 + exp(-z));  label = positive if probability >= threshold else negative
"""

from __future__ import annotations

import math

# name, labels, features; the last feature is the one only the newer model version uses.
DOMAINS = [
    {
        "name": "churn-risk",
        "labels": {"negative": "retained", "positive": "churned"},
        "features": [
            {"name": "tenure_months", "type": "integer", "minimum": 0, "maximum": 120},
            {"name": "monthly_spend", "type": "number", "minimum": 0, "maximum": 500},
            {"name": "support_tickets_90d", "type": "integer", "minimum": 0, "maximum": 50},
            {"name": "autopay", "type": "boolean"},
            {"name": "plan", "type": "category", "values": ["basic", "plus", "pro"]},
            {"name": "avg_session_minutes", "type": "number", "minimum": 0, "maximum": 300},
            {"name": "contract", "type": "category", "values": ["monthly", "annual", "biennial"]},
            {"name": "late_payments_12m", "type": "integer", "minimum": 0, "maximum": 12},
            {"name": "nps_score", "type": "integer", "minimum": 0, "maximum": 10},
        ],
    },
    {
        "name": "card-fraud",
        "labels": {"negative": "legit", "positive": "fraud"},
        "features": [
            {"name": "amount", "type": "number", "minimum": 0, "maximum": 10000},
            {"name": "hour_of_day", "type": "integer", "minimum": 0, "maximum": 23},
            {"name": "merchant_category", "type": "category",
             "values": ["grocery", "travel", "electronics", "gaming", "fuel"]},
            {"name": "card_present", "type": "boolean"},
            {"name": "distance_from_home_km", "type": "number", "minimum": 0, "maximum": 20000},
            {"name": "txn_count_24h", "type": "integer", "minimum": 0, "maximum": 200},
            {"name": "international", "type": "boolean"},
            {"name": "account_age_days", "type": "integer", "minimum": 0, "maximum": 20000},
            {"name": "ip_risk_score", "type": "number", "minimum": 0, "maximum": 1},
        ],
    },
    {
        "name": "loan-default",
        "labels": {"negative": "repaid", "positive": "defaulted"},
        "features": [
            {"name": "income_k", "type": "number", "minimum": 0, "maximum": 1000},
            {"name": "loan_amount_k", "type": "number", "minimum": 1, "maximum": 2000},
            {"name": "term_months", "type": "integer", "minimum": 6, "maximum": 360},
            {"name": "employment", "type": "category",
             "values": ["salaried", "self_employed", "unemployed", "retired"]},
            {"name": "has_mortgage", "type": "boolean"},
            {"name": "delinquencies_2y", "type": "integer", "minimum": 0, "maximum": 30},
            {"name": "credit_utilization", "type": "number", "minimum": 0, "maximum": 1},
            {"name": "purpose", "type": "category", "values": ["car", "home", "education", "other"]},
            {"name": "debt_to_income", "type": "number", "minimum": 0, "maximum": 5},
        ],
    },
]


def public_feature(feature: dict) -> dict:
    """A feature as GET /v1/models shows it: name, type and its constraints, no weights."""
    keys = ["name", "type", "minimum", "maximum", "values"]
    return {k: feature[k] for k in keys if k in feature}


def model_info(model: dict) -> dict:
    return {
        "name": model["name"],
        "version": model["version"],
        "default": model["default"],
        "threshold": model["threshold"],
        "labels": model["labels"],
        "features": [public_feature(f) for f in model["features"]],
    }


def predict(model: dict, features: dict) -> dict:
    z = model["intercept"]
    for feature in model["features"]:
        value = features[feature["name"]]
        if feature["type"] in ("number", "integer"):
            z += feature["weight"] * (value - feature["mean"]) / feature["scale"]
        elif feature["type"] == "boolean":
            z += feature["weight"] * (1.0 if value else 0.0)
        else:
            z += feature["weights"][value]
    probability = 1.0 / (1.0 + math.exp(-z))
    positive = probability >= model["threshold"]
    label = model["labels"]["positive" if positive else "negative"]
    return {"probability": probability, "label": label}
