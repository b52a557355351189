"""Columns known on the scoring date, and their preparation (shared by training and scoring)."""

import pandas as pd

NUMERIC = [
    "tenure_months", "monthly_fee", "price_increase_90d", "autopay", "devices",
    "usage_hours_30d", "usage_trend", "sessions_30d", "support_tickets_90d",
    "payment_failures_12m", "nps_score",
]
CATEGORICAL = ["contract", "plan", "payment_method", "region", "signup_channel"]
# Not used:
# - customer_id: an identifier, no information about the customer.
# - retention_case_code: written by the retention team, which handles cancellation requests, and
#   taken at the export (2024-07-15), after the outcome window. Every churner in the export has
#   one and no customer without one churned: it records the outcome instead of predicting it, and
#   on the scoring date it is empty for the customers who are about to leave.


def prepare(frame: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    X = frame[NUMERIC].astype(float)
    for column in CATEGORICAL:
        X[column] = pd.Categorical(frame[column].astype(str), categories=categories[column])
    return X


def categories_of(frame: pd.DataFrame) -> dict[str, list[str]]:
    return {c: sorted(frame[c].dropna().astype(str).unique()) for c in CATEGORICAL}
