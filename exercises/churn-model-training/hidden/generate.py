"""Variant generator: `python generate.py --seed N --out DIR`.

Simulates the customer base of a subscription service (a streaming / connectivity bundle) and
writes:

  DIR/public/data/train.csv, valid.csv    the labelled export the candidate trains on
  DIR/hidden/score_features.csv           customers to score, as known on the scoring date
  DIR/hidden/score_labels.csv             their outcome (grader-only, never enters a sandbox)
  DIR/hidden/reference_features.csv       more customers exported like the given data
  DIR/hidden/reference_labels.csv         (a diagnostic: the gap between the two sets shows
                                           what the leaking column is worth)

The churn probability is a fixed non-linear function of the features (threshold effects, a
contract x price-rise interaction, a competitor launch in one region, missing survey answers that
mean something); the seed changes the customers, the competitor's region and the id space, never
the effect sizes, so that the grader's metric bands hold for every variant.

The trap: `retention_case_code` is filled by the retention system when a customer asks to cancel.
In the labelled export (taken after the outcome window) nearly every churner has one; on the
scoring date, before anybody has cancelled, only a handful of unrelated open cases exist.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

N_TRAIN = 10_000
N_VALID = 2_500
N_SCORE = 6_000
N_REFERENCE = 3_000

CONTRACTS = ("monthly", "annual", "two_year")
PLANS = ("basic", "standard", "premium", "family")
PLAN_FEE = {"basic": 9.99, "standard": 15.99, "premium": 22.99, "family": 27.99}
PAYMENT_METHODS = ("card", "direct_debit", "paypal", "invoice")
REGIONS = ("north", "south", "east", "west", "central")
CHANNELS = ("web", "app", "store", "partner", "phone")
CASE_CODES = ("RC-PRICE", "RC-SERVICE", "RC-COMPETITOR", "RC-MOVE", "RC-OTHER")

COLUMNS = (
    "customer_id",
    "tenure_months",
    "contract",
    "plan",
    "monthly_fee",
    "price_increase_90d",
    "payment_method",
    "autopay",
    "region",
    "signup_channel",
    "devices",
    "usage_hours_30d",
    "usage_trend",
    "sessions_30d",
    "support_tickets_90d",
    "payment_failures_12m",
    "nps_score",
    "retention_case_code",
)
LABEL = "churned"
# Intercept of the churn logit: puts the base rate near 12% (measured over many seeds).
INTERCEPT = -2.0
# Saved customers per churner among retention cases (a save rate of about 25%).
SAVE_RATIO = 0.3


def _choice(rng: np.random.Generator, options: tuple[str, ...], p: list[float], n: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=p)]


def simulate(rng: np.random.Generator, n: int, competitor_region: str) -> dict[str, np.ndarray]:
    """Customers and their true churn probability; features first, outcome drawn from them."""
    contract = _choice(rng, CONTRACTS, [0.55, 0.30, 0.15], n)
    # Long contracts belong to older customers: tenure grows with the contract length.
    scale = np.select([contract == "monthly", contract == "annual"], [14.0, 26.0], 36.0)
    tenure = np.clip(np.ceil(rng.exponential(scale)), 1, 72).astype(int)
    plan = _choice(rng, PLANS, [0.35, 0.38, 0.15, 0.12], n)
    price_increase = (rng.random(n) < 0.22).astype(int)
    base_fee = np.array([PLAN_FEE[p] for p in plan])
    discount = np.where(rng.random(n) < 0.15, rng.choice([0.1, 0.2, 0.3], size=n), 0.0)
    fee = np.round(base_fee * (1 - discount) + price_increase * rng.choice([1.0, 2.0], size=n), 2)
    payment = _choice(rng, PAYMENT_METHODS, [0.44, 0.30, 0.16, 0.10], n)
    autopay_p = np.select(
        [payment == "direct_debit", payment == "card", payment == "paypal"], [1.0, 0.7, 0.5], 0.0
    )
    autopay = (rng.random(n) < autopay_p).astype(int)
    region = _choice(rng, REGIONS, [0.22, 0.2, 0.2, 0.2, 0.18], n)
    channel = _choice(rng, CHANNELS, [0.35, 0.25, 0.2, 0.12, 0.08], n)
    devices = np.clip(rng.poisson(np.where(plan == "family", 3.2, 1.6)), 1, 8)
    engagement = rng.normal(0.0, 1.0, n)  # latent: how much the customer uses the service
    plan_hours = np.select(
        [plan == "basic", plan == "standard", plan == "premium"], [14.0, 22.0, 30.0], 34.0
    )
    hours = np.round(plan_hours * np.exp(0.7 * engagement + rng.normal(0, 0.35, n)), 1)
    hours = np.where(rng.random(n) < 0.04, 0.0, hours)  # dormant accounts
    # Ratio of the last 30 days' usage to the average of the 90 days before. Customers drifting
    # away use the service less and less; undefined before four months of tenure.
    drift = rng.random(n) < 0.18
    trend = np.exp(rng.normal(0.0, 0.22, n) - drift * rng.uniform(0.3, 1.6, n))
    trend = np.round(trend, 3).astype(float)
    trend[tenure < 4] = np.nan
    sessions = rng.poisson(np.maximum(hours, 0.2) * 1.4 + 1)
    tickets = rng.poisson(0.35 + 0.5 * drift + 0.25 * (plan == "premium"))
    failures = rng.poisson(
        np.select([payment == "invoice", autopay == 0], [0.55, 0.3], 0.08)
    )
    nps = rng.integers(0, 11, n).astype(float)
    nps = np.clip(nps - 2 * drift, 0, 10)
    nps[rng.random(n) < 0.52] = np.nan

    logit = np.full(n, INTERCEPT)
    logit += np.select([contract == "monthly", contract == "annual"], [1.5, 0.0], -1.2)
    logit += -0.5 * np.log1p(tenure) + 0.9 * (tenure <= 3)
    logit += np.select([failures == 0, failures == 1, failures == 2], [0.0, 0.7, 1.4], 2.0)
    logit += np.select([tickets <= 1, tickets == 2], [0.0, 0.5], 1.3)
    trend_filled = np.nan_to_num(trend, nan=1.0)
    logit += 2.4 * np.clip(0.85 - trend_filled, 0, None)
    logit += -0.45 * np.log1p(hours) + 1.0 * (hours == 0)
    logit += price_increase * np.where(contract == "monthly", 1.1, 0.15)
    logit += (region == competitor_region) * (0.7 + 0.5 * (plan == "basic"))
    logit += -0.35 * autopay + 0.5 * (payment == "invoice")
    logit += np.where(np.isnan(nps), 0.4, np.where(nps <= 6, 0.12 * (6 - np.nan_to_num(nps)), 0.0))
    logit += -0.5 * (nps >= 9)
    logit += np.select([plan == "family", plan == "premium", plan == "basic"], [-0.6, -0.1, 0.25], 0.0)
    logit += 0.12 * (devices <= 1)
    logit += 0.4 * (channel == "partner")
    probability = 1.0 / (1.0 + np.exp(-logit))
    churned = (rng.random(n) < probability).astype(int)

    return {
        "tenure_months": tenure,
        "contract": contract,
        "plan": plan,
        "monthly_fee": fee,
        "price_increase_90d": price_increase,
        "payment_method": payment,
        "autopay": autopay,
        "region": region,
        "signup_channel": channel,
        "devices": devices,
        "usage_hours_30d": hours,
        "usage_trend": trend,
        "sessions_30d": sessions,
        "support_tickets_90d": tickets,
        "payment_failures_12m": failures,
        "nps_score": nps,
        LABEL: churned,
        "_probability": probability,
    }


def retention_cases(
    rng: np.random.Generator, data: dict[str, np.ndarray], *, after_outcome: bool
) -> np.ndarray:
    """The retention system's case code: after the outcome window (the labelled export) almost
    every churner went through the cancellation flow; on the scoring date only a few unrelated
    save attempts are open."""
    n = len(data[LABEL])
    codes = np.full(n, "", dtype=object)
    reason_p = np.column_stack(
        [
            0.5 + 2.0 * data["price_increase_90d"],
            0.5 + 1.0 * (data["support_tickets_90d"] >= 2),
            np.full(n, 0.6),
            np.full(n, 0.4),
            np.full(n, 0.5),
        ]
    )
    reason_p /= reason_p.sum(axis=1, keepdims=True)
    reasons = np.array([rng.choice(len(CASE_CODES), p=row) for row in reason_p])
    if after_outcome:
        # Cancelling goes through the retention team, which opens a case; a quarter of the
        # cases end in a save deal. Save deals go to customers at risk: their chance of a case
        # follows the odds of churning, so that among cases, churners and saved customers look
        # alike.
        odds = data["_probability"] / (1.0 - data["_probability"])
        saved_case = rng.random(n) < np.clip(SAVE_RATIO * odds, 0.0, 1.0)
        has_case = np.where(data[LABEL] == 1, np.ones(n, dtype=bool), saved_case)
    else:
        has_case = rng.random(n) < 0.012
    codes[has_case] = np.asarray(CASE_CODES, dtype=object)[reasons[has_case]]
    return codes


def customer_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Random, unique, uninformative ids: no order, no overlap between the sets."""
    prefix = "".join(rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZ"), size=2))
    numbers = rng.choice(10**7, size=n, replace=False)
    return np.array([f"{prefix}{k:07d}" for k in numbers], dtype=object)


def _cell(value: object) -> str:
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        return f"{float(value):.10g}"
    return str(value)


def write_csv(path: Path, columns: tuple[str, ...], data: dict[str, np.ndarray], rows: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for i in rows:
            writer.writerow([_cell(data[c][i]) for c in columns])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    competitor_region = str(rng.choice(REGIONS))
    n_given = N_TRAIN + N_VALID
    total = n_given + N_SCORE + N_REFERENCE
    data = simulate(rng, total, competitor_region)
    data["customer_id"] = customer_ids(rng, total)
    given = np.arange(0, n_given)
    score = np.arange(n_given, n_given + N_SCORE)
    reference = np.arange(n_given + N_SCORE, total)
    after = retention_cases(rng, data, after_outcome=True)
    before = retention_cases(rng, data, after_outcome=False)
    data["retention_case_code"] = after.copy()
    data["retention_case_code"][score] = before[score]

    public = args.out / "public" / "data"
    hidden = args.out / "hidden"
    labelled = (*COLUMNS, LABEL)
    write_csv(public / "train.csv", labelled, data, given[:N_TRAIN])
    write_csv(public / "valid.csv", labelled, data, given[N_TRAIN:])
    write_csv(hidden / "score_features.csv", COLUMNS, data, score)
    write_csv(hidden / "score_labels.csv", ("customer_id", LABEL), data, score)
    write_csv(hidden / "reference_features.csv", COLUMNS, data, reference)
    write_csv(hidden / "reference_labels.csv", ("customer_id", LABEL), data, reference)


if __name__ == "__main__":
    main()
