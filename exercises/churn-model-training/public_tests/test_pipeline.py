"""Runs your pipeline the way the grader does, with data/valid.csv standing in for the hidden
customers: train.py in a copy of your workspace, then predict.py in a fresh directory holding
only your code and model/ (no data/). Run with `pytest public_tests -s` to see the metrics.

The grader scores customers taken on a scoring date, not this validation split: a good
validation score here is necessary, not sufficient (and if your final model is also fitted on
valid.csv, the metrics printed here are in-sample).
"""

import csv
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = next(
    p for p in (Path.cwd(), Path(__file__).resolve().parents[1]) if (p / "train.py").is_file()
)
SKIP = {"data", "model", "scoring", "public_tests", "__pycache__", ".pytest_cache", ".git"}


def _copy_code(target: Path, *, with_data: bool) -> None:
    for item in ROOT.iterdir():
        if item.name in SKIP and not (with_data and item.name == "data"):
            continue
        if item.is_dir():
            shutil.copytree(item, target / item.name)
        else:
            shutil.copy2(item, target / item.name)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    train_dir = tmp_path_factory.mktemp("train")
    _copy_code(train_dir, with_data=True)
    subprocess.run([sys.executable, "train.py"], cwd=train_dir, check=True, timeout=300)
    assert (train_dir / "model").is_dir(), "train.py must write the directory model/"

    score_dir = tmp_path_factory.mktemp("score")
    _copy_code(score_dir, with_data=False)
    shutil.copytree(train_dir / "model", score_dir / "model")
    (score_dir / "scoring").mkdir()
    with (ROOT / "data" / "valid.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = [c for c in rows[0] if c != "churned"]
    with (score_dir / "scoring" / "features.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    subprocess.run(
        [sys.executable, "predict.py", "model", "scoring/features.csv", "scoring/predictions.csv"],
        cwd=score_dir, check=True, timeout=120,
    )
    predictions = score_dir / "scoring" / "predictions.csv"
    assert predictions.is_file(), "predict.py must write the file named by its third argument"
    labels = {r["customer_id"]: int(r["churned"]) for r in rows}
    return train_dir, predictions, labels


def _read(path):
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        return header, [row for row in reader if row]


def test_training_writes_a_small_model_directory(run):
    model = run[0] / "model"
    files = [p for p in model.rglob("*") if p.is_file() or p.is_symlink()]
    assert all(p.is_file() and not p.is_symlink() for p in files), "regular files only"
    assert len(files) <= 200
    assert sum(p.stat().st_size for p in files) <= 64 * 1024 * 1024


def test_predictions_have_exactly_the_two_columns(run):
    header, _rows = _read(run[1])
    assert sorted(header) == ["churn_probability", "customer_id"]


def test_every_customer_gets_exactly_one_prediction(run):
    header, rows = _read(run[1])
    ids = [row[header.index("customer_id")] for row in rows]
    assert len(ids) == len(set(ids)), "some customers appear more than once"
    assert set(ids) == set(run[2]), "the predicted ids differ from the customers to score"


def test_predictions_are_probabilities(run):
    header, rows = _read(run[1])
    values = [float(row[header.index("churn_probability")]) for row in rows]
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values)


def test_the_model_ranks_customers_better_than_chance(run):
    from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

    header, rows = _read(run[1])
    at_id, at_p = header.index("customer_id"), header.index("churn_probability")
    y = [run[2][row[at_id]] for row in rows]
    p = [float(row[at_p]) for row in rows]
    auc = roc_auc_score(y, p)
    base = sum(y) / len(y)
    skill = 1 - brier_score_loss(y, p) / (base * (1 - base))
    print(f"\nvalid.csv: ROC AUC {auc:.4f}  PR AUC {average_precision_score(y, p):.4f}  "
          f"Brier skill {skill:.4f}")
    assert auc > 0.5
