"""The `hidden_set_metric` grader: band mapping, strict parsing of what crosses the sandbox
boundary, labels that never enter a sandbox, and gradings of the churn exercise."""

from __future__ import annotations

import io
import json
import tarfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from vetta.grading import sandbox
from vetta.grading.contract import ResultVerdict
from vetta.grading.engine import grade, request_for
from vetta.grading.exercises.package import load_package
from vetta.grading.exercises.submission import read_submission
from vetta.grading.exercises.variants import generate_variant
from vetta.grading.graders.hidden_set_metric.artifacts import (
    ModelArchiveError,
    PredictionsError,
    load_scoring_set,
    parse_predictions,
    read_model_archive,
)
from vetta.grading.graders.hidden_set_metric.config import HiddenSetMetricConfig
from vetta.grading.graders.hidden_set_metric.metrics import band_score, check_bands

REPO = Path(__file__).resolve().parents[2]
CHURN = REPO / "exercises" / "churn-model-training"
IDS = ("a1", "a2", "a3", "a4")


@pytest.fixture(autouse=True, scope="module")
def _private_variant_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VETTA_GRADING_CACHE", str(tmp_path_factory.mktemp("variant-cache")))
        yield


# --- the metric-to-score map -------------------------------------------------------------------

BANDS = [(0.6, 0.0), (0.7, 0.5), (0.8, 0.9), (0.84, 1.0)]


def test_band_score_is_linear_between_points_and_exact_on_them() -> None:
    assert band_score(0.7, BANDS) == pytest.approx(0.5)
    assert band_score(0.65, BANDS) == pytest.approx(0.25)
    assert band_score(0.82, BANDS) == pytest.approx(0.95)


def test_band_score_is_flat_beyond_the_first_and_last_points() -> None:
    assert band_score(0.5, BANDS) == 0.0
    assert band_score(0.6, BANDS) == 0.0
    assert band_score(0.99, BANDS) == 1.0


def test_band_score_rewards_smaller_values_of_a_lower_is_better_metric() -> None:
    brier = [(0.12, 0.0), (0.08, 1.0)]
    assert band_score(0.13, brier, higher_better=False) == 0.0
    assert band_score(0.10, brier, higher_better=False) == pytest.approx(0.5)
    assert band_score(0.05, brier, higher_better=False) == 1.0


def test_a_metric_that_is_not_a_number_scores_zero() -> None:
    assert band_score(float("nan"), BANDS) == 0.0


@pytest.mark.parametrize(
    ("metric", "bands", "problem"),
    [
        ("roc_auc", [(0.6, 0.0)], "at least two"),
        ("roc_auc", [(0.7, 0.0), (0.6, 1.0)], "strictly increasing"),
        ("roc_auc", [(0.6, 0.0), (0.6, 1.0)], "strictly increasing"),
        ("brier", [(0.08, 0.0), (0.12, 1.0)], "decreasing"),
        ("roc_auc", [(0.6, 0.8), (0.7, 0.5)], "never decrease"),
        ("roc_auc", [(0.6, 0.0), (0.7, 1.5)], "outside [0, 1]"),
        ("roc_auc", [(0.6, 0.0), (float("inf"), 1.0)], "finite"),
    ],
)
def test_unusable_bands_are_rejected_with_the_reason(
    metric: str, bands: list[tuple[float, float]], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        check_bands(metric, bands)


def _config(**overrides: Any) -> dict[str, Any]:
    return {
        "features": "variant:hidden/f.csv",
        "labels": "variant:hidden/l.csv",
        "id_column": "id",
        "label_column": "y",
        "prediction_column": "p",
        "bands": [[0.5, 0], [0.9, 1]],
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        (
            {
                "secondary": [
                    {"metric": "brier", "bands": [[0.2, 0], [0.1, 1]], "weight": 0.6},
                    {"metric": "log_loss", "bands": [[0.5, 0], [0.3, 1]], "weight": 0.4},
                ]
            },
            "less than 1",
        ),
        ({"predict": {"command": ["python", "predict.py"], "limits": "predict"}}, "{features}"),
        ({"model_dir": "../outside"}, "inside /work"),
        ({"model_dir": "scoring"}, "reserved"),
        ({"metric": "brier"}, "decreasing"),
    ],
)
def test_the_config_refuses_what_cannot_be_graded(overrides: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem.replace("{", r"\{").replace("}", r"\}")):
        HiddenSetMetricConfig.model_validate(_config(**overrides))


# --- hostile predictions -----------------------------------------------------------------------


def _parse(text: str | bytes, *, fmt: Any = "csv", max_bytes: int = 1 << 20) -> np.ndarray:
    raw = text.encode() if isinstance(text, str) else text
    return parse_predictions(
        raw,
        ids=IDS,
        id_column="id",
        value_column="p",
        fmt=fmt,
        max_bytes=max_bytes,
    )


def test_predictions_are_matched_by_id_in_any_order_and_column_order() -> None:
    values = _parse("\ufeffp,id\n0.4,a3\n1,a1\n 0.25 , a4 \n0,a2\n")
    assert values.tolist() == [1.0, 0.0, 0.4, 0.25]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,p\na1,0.1\na2,0.2\n", "2 of 4 customers have no prediction (e.g. 'a3', 'a4')"),
        ("id,p\na1,0.1\na2,0.2\na3,0.3\na4,0.4\na1,0.9\n", "appear more than once ('a1')"),
        ("id,p\na1,0.1\na2,0.2\na3,0.3\na4,0.4\nzz,0.5\n", "not in the features file ('zz')"),
        ("id,p\na1,nan\na2,0.2\na3,0.3\na4,0.4\n", "'nan' for 'a1' is not a finite number"),
        ("id,p\na1,inf\na2,0.2\na3,0.3\na4,0.4\n", "is not a finite number"),
        ("id,p\na1,\na2,0.2\na3,0.3\na4,0.4\n", "is empty"),
        ("id,p\na1,high\na2,0.2\na3,0.3\na4,0.4\n", "is not a number"),
        ("id,p\na1,1.5\na2,0.2\na3,0.3\na4,-0.1\n", "2 prediction(s) are not probabilities"),
        (",id,p\n0,a1,0.1\n", "use index=False"),
        ("customer,p\na1,0.1\n", "the id column must be called 'id'"),
        ("id,prob\na1,0.1\n", "the probability column must be called 'p'"),
        ("", "the predictions file is empty"),
        ("id,p\na1,0.1,extra\n", "line 2 has 3 fields; expected 2"),
    ],
)
def test_each_problem_in_a_predictions_file_gets_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(PredictionsError) as caught:
        _parse(text)
    assert message in str(caught.value)


def test_an_oversized_predictions_file_is_refused_before_it_is_read() -> None:
    with pytest.raises(PredictionsError, match="limit is 1000 bytes"):
        _parse(b"id,p\n" + b"a1,0.1\n" * 1000, max_bytes=1000)


def test_far_more_rows_than_customers_stop_the_parse() -> None:
    with pytest.raises(PredictionsError, match="more than 108 rows"):
        _parse("id,p\n" + "zz,0.5\n" * 500)


def test_a_predictions_file_that_is_not_text_is_refused() -> None:
    with pytest.raises(PredictionsError, match="not UTF-8"):
        _parse(b"id,p\n\xff\xfe\x00a1,0.1\n")


def test_json_predictions_are_records_or_a_mapping_of_numbers() -> None:
    records = [{"id": i, "p": k / 10} for k, i in enumerate(IDS)]
    assert _parse(json.dumps(records), fmt="json").tolist() == [0.0, 0.1, 0.2, 0.3]
    assert _parse(json.dumps(dict.fromkeys(IDS, 0.5)), fmt="json").tolist() == [0.5] * 4
    with pytest.raises(PredictionsError, match="is not a number"):
        _parse(json.dumps({"a1": True, "a2": 0, "a3": 0, "a4": 0}), fmt="json")
    with pytest.raises(PredictionsError, match="exactly the keys"):
        _parse(json.dumps([{"id": "a1", "p": 0.1, "label": 1}]), fmt="json")


# --- the model archive and the hidden set ------------------------------------------------------


def _tar(*members: tarfile.TarInfo, data: bytes = b"x") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for member in members:
            archive.addfile(member, io.BytesIO(data) if member.isreg() else None)
    return buffer.getvalue()


def _member(name: str, kind: bytes = tarfile.REGTYPE, size: int = 1) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.size = kind, size if kind == tarfile.REGTYPE else 0
    if kind == tarfile.SYMTYPE:
        info.linkname = "/etc/shadow"
    return info


def test_a_model_archive_of_regular_files_crosses_under_the_model_directory() -> None:
    raw = _tar(_member("weights.json"), _member("sub/extra.bin"))
    files = read_model_archive(raw, prefix="model", max_bytes=100, max_files=5)
    assert files == {"model/weights.json": b"x", "model/sub/extra.bin": b"x"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (_tar(_member("link", tarfile.SYMTYPE)), "is a link or a special file"),
        (_tar(_member("hard", tarfile.LNKTYPE)), "is a link or a special file"),
        (_tar(_member("../escape")), "unsafe name"),
        (_tar(_member("/etc/cron.d/x")), "unsafe name"),
        (_tar(*(_member(f"f{k}") for k in range(6))), "more than 5 files"),
        (_tar(_member("big", size=200), data=b"x" * 200), "larger than"),
        (b"this is not a tar file" * 40, "cannot be read"),
    ],
)
def test_a_hostile_model_archive_is_refused(raw: bytes, message: str) -> None:
    with pytest.raises(ModelArchiveError, match=message):
        read_model_archive(raw, prefix="model", max_bytes=100, max_files=5)


def test_a_hidden_features_file_holding_the_labels_is_a_package_error() -> None:
    with pytest.raises(ValueError, match="has the label column"):
        load_scoring_set(b"id,x,y\na1,1,0\n", b"id,y\na1,0\n", id_column="id", label_column="y")


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (b"id,y\na1,0\n", "do not hold the same customers"),
        (b"id,y\na1,0\na2,0\n", "single class"),
        (b"id,y\na1,0\na2,yes\n", "is not 0 or 1"),
        (b"id,y\na1,0\na1,1\n", "repeats id"),
    ],
)
def test_hidden_labels_that_cannot_score_are_a_package_error(labels: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_scoring_set(b"id,x\na1,1\na2,2\n", labels, id_column="id", label_column="y")


# --- gradings of a tiny package ----------------------------------------------------------------

_GENERATOR = """
import argparse, math, random
from pathlib import Path
parser = argparse.ArgumentParser()
parser.add_argument("--seed", type=int)
parser.add_argument("--out", type=Path)
args = parser.parse_args()
rng = random.Random(args.seed)
def rows(prefix, n):
    out = []
    for k in range(n):
        x = rng.gauss(0, 1)
        y = int(rng.random() < 1 / (1 + math.exp(-3 * x)))
        out.append((f"{prefix}{k:04d}", round(x, 4), y))
    return out
def write(path, header, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\\n" + "".join(line + "\\n" for line in lines))
given, scored, reference = rows("G", 300), rows("S", 200), rows("R", 100)
write(args.out / "public/data/train.csv", "id,x,outcome", [f"{i},{x},{y}" for i, x, y in given])
for name, part in (("score", scored), ("reference", reference)):
    write(args.out / f"hidden/{name}_features.csv", "id,x", [f"{i},{x}" for i, x, _ in part])
    if name != "score" or not SKIP_LABELS:
        labels = [f"{i},{y}" for i, _, y in part]
        write(args.out / f"hidden/{name}_labels.csv", "id,outcome", labels)
"""

_TRAIN = """
import os
os.makedirs("model", exist_ok=True)
open("model/scale.txt", "w").write("3")
"""

_PREDICT = """
import csv, math, os, sys
model, features, predictions = sys.argv[1:4]
assert not os.path.exists("data"), "the given data must not reach the prediction run"
scale = float(open(os.path.join(model, "scale.txt")).read())
with open(features) as handle, open(predictions, "w") as out:
    out.write("id,p\\n")
    for row in csv.DictReader(handle):
        out.write(f"{row['id']},{1 / (1 + math.exp(-scale * float(row['x'])))}\\n")
"""


def _tiny_package(
    root: Path,
    *,
    train: str = _TRAIN,
    predict: str = _PREDICT,
    skip_labels: bool = False,
    train_cpu: float = 5,
) -> Path:
    package = root / "tiny-metric"
    files = {
        "exercise.yaml": f"""
            format: 1
            slug: tiny-metric
            version: 1.0.0
            title: Tiny metric exercise
            summary: A minimal package for the hidden_set_metric grader's tests.
            method: coding_task
            skill_areas: {{statistical_modeling: 1}}
            role_contexts: [classical_ml]
            time_limit_minutes: 10
            difficulty: easy
            grader:
              kind: hidden_set_metric
              config:
                features: variant:hidden/score_features.csv
                labels: variant:hidden/score_labels.csv
                reference:
                  features: variant:hidden/reference_features.csv
                  labels: variant:hidden/reference_labels.csv
                id_column: id
                label_column: outcome
                prediction_column: p
                max_model_bytes: 1M
                bands: [[0.5, 0.0], [0.9, 1.0]]
                secondary: [{{metric: brier_skill, bands: [[0, 0], [0.3, 1]], weight: 0.2}}]
            limits:
              default: {{memory: 256M, cpu_seconds: 5, wall_seconds: 10}}
              train: {{memory: 256M, cpu_seconds: {train_cpu}, wall_seconds: 20, work: 8M}}
              predict: {{memory: 256M, cpu_seconds: 5, wall_seconds: 10}}
            files: {{editable: ["*.py"], public_tests: null}}
            variants: {{generator: hidden/generate.py}}
            solutions:
              strong: {{score: [0.9, 1]}}
              partial: {{score: [0.3, 0.9]}}
              wrong: {{score: [0, 0.3]}}
              cheating: {{score: [0, 0.1]}}
        """,
        "statement.md": "Train on data/train.csv; predict.py MODEL FEATURES PREDICTIONS.",
        "starter/train.py": train,
        "starter/predict.py": predict,
        "hidden/generate.py": f"SKIP_LABELS = {skip_labels}\n" + _GENERATOR,
        **{f"solutions/{band}/train.py": "" for band in ("strong", "partial", "wrong", "cheating")},
    }
    for rel, text in files.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return package


def _grade(package_dir: Path, files: dict[str, bytes] | None = None, seed: int = 3) -> Any:
    package = load_package(package_dir)
    return grade(package, request_for(package, files or {}, run_id="t", seed=seed))


class _Recorder:
    """Wraps the sandbox to keep what the grader passes into each run."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[dict[str, Any]] = []

    def __call__(self, command: list[str], **kwargs: Any) -> Any:
        self.calls.append({"command": command, **kwargs})
        return self.real(command, **kwargs)


def test_a_sound_pipeline_is_scored_from_the_bands(tmp_path: Path) -> None:
    result = _grade(_tiny_package(tmp_path))
    assert result.verdict in {ResultVerdict.OK, ResultVerdict.WRONG}
    auc = result.metrics["roc_auc"]
    expected = 0.8 * band_score(auc, [(0.5, 0.0), (0.9, 1.0)]) + 0.2 * band_score(
        result.metrics["brier_skill"], [(0.0, 0.0), (0.3, 1.0)]
    )
    assert 0.75 < auc < 1.0
    assert result.score == pytest.approx(expected, abs=1e-6)
    assert result.points == pytest.approx(result.score, abs=1e-5)
    assert set(result.breakdown) == {"hidden", "reference"}


def test_labels_never_reach_either_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package_dir = _tiny_package(tmp_path)
    variant = generate_variant(load_package(package_dir), 3)
    assert variant is not None
    hidden_labels = {
        name: (variant.hidden_dir / f"{name}_labels.csv").read_bytes()
        for name in ("score", "reference")
    }
    recorder = _Recorder(sandbox.run)
    monkeypatch.setattr(sandbox, "run", recorder)
    result = _grade(package_dir)
    assert result.gradable
    assert len(recorder.calls) == 3  # train, predict the hidden rows, predict the reference rows
    scored_ids = {line.split(",")[0] for line in hidden_labels["score"].decode().splitlines()[1:]}
    for call in recorder.calls:
        passed = [
            *call["files"].values(),
            " ".join(call["command"]).encode(),
            json.dumps(call.get("env") or {}).encode(),
            call.get("stdin") or b"",
        ]
        for labels in hidden_labels.values():
            assert not any(labels.strip() in blob for blob in passed)
        for path, content in call["files"].items():
            header = content.split(b"\n", 1)[0]
            if path.endswith(".csv") and b"outcome" in header:
                # Only the given training data carries labels, and none of the scored customers.
                assert path == "data/train.csv"
                assert not scored_ids & {ln.split(",")[0] for ln in content.decode().splitlines()}
    train, *predicts = recorder.calls
    assert "data/train.csv" in train["files"]
    for call in predicts:
        assert not any(p.startswith("data/") for p in call["files"])
        assert "model/scale.txt" in call["files"]


def test_a_crash_in_training_scores_zero_with_runtime_error(tmp_path: Path) -> None:
    crash = "raise RuntimeError('the features do not fit')\n"
    result = _grade(_tiny_package(tmp_path), {"train.py": crash.encode()})
    assert result.score == 0.0
    assert result.verdict is ResultVerdict.RUNTIME_ERROR
    training = next(t for t in result.tests if t.name == "training finished within limits")
    assert not training.passed
    assert "RuntimeError: the features do not fit" in training.message
    assert all(t.points == 0 for t in result.tests)
    assert result.max_points == pytest.approx(1.0)


def test_training_past_its_cpu_budget_scores_zero_with_the_limit_verdict(tmp_path: Path) -> None:
    result = _grade(_tiny_package(tmp_path, train_cpu=1), {"train.py": b"while True:\n    pass\n"})
    assert result.score == 0.0
    assert result.verdict is ResultVerdict.CPU_TIME
    assert "CPU time" in next(t for t in result.tests if t.group == "train").message


def test_predictions_written_during_training_do_not_reach_the_scoring(tmp_path: Path) -> None:
    # The training even knows the scored ids here; its file must still not count.
    stale = "".join(f"S{k:04d},0.5\\n" for k in range(200))
    train = _TRAIN + (
        "for place in ('scoring/predictions.csv', 'predictions.csv', 'model/predictions.csv'):\n"
        "    os.makedirs(os.path.dirname(place) or '.', exist_ok=True)\n"
        f"    open(place, 'w').write('id,p\\n{stale}')\n"
    )
    result = _grade(
        _tiny_package(tmp_path, train=train), {"predict.py": b"import os\nos._exit(0)\n"}
    )
    assert result.score == 0.0
    cover = next(t for t in result.tests if t.name == "predictions cover every hidden row")
    assert "without writing the predictions file" in cover.message


def test_a_link_in_the_model_directory_is_refused(tmp_path: Path) -> None:
    train = _TRAIN + "os.symlink('/etc/hostname', 'model/peek')\n"
    result = _grade(_tiny_package(tmp_path, train=train))
    assert result.score == 0.0
    handed = next(t for t in result.tests if t.name == "the model directory was handed over")
    assert "model/peek is a link" in handed.message


def test_a_package_without_its_hidden_labels_is_a_grader_error(tmp_path: Path) -> None:
    result = _grade(_tiny_package(tmp_path, skip_labels=True))
    assert result.verdict is ResultVerdict.GRADER_ERROR
    assert not result.gradable
    assert "score_labels.csv" in result.summary


# --- the churn exercise ------------------------------------------------------------------------


def _grade_churn(solution: str) -> Any:
    package = load_package(CHURN)
    files, _ignored = read_submission(CHURN / "solutions" / solution, package)
    return grade(package, request_for(package, files, run_id="churn"))


@pytest.mark.slow
def test_the_leaking_pipeline_looks_great_on_the_given_split_and_fails_on_hidden() -> None:
    result = _grade_churn("wrong/uses-leak")
    assert result.breakdown["reference"]["roc_auc"] > 0.95
    assert result.metrics["roc_auc"] < 0.6
    assert result.metrics["brier_skill"] < 0
    assert result.score < 0.05


@pytest.mark.slow
def test_grading_the_same_submission_and_variant_twice_gives_the_same_result() -> None:
    first, second = (
        _grade_churn("strong/gradient-boosting"),
        _grade_churn("strong/gradient-boosting"),
    )
    assert first.score >= 0.9
    assert first.deterministic_view() == second.deterministic_view()


def test_the_churn_variant_is_imbalanced_and_leaks_only_in_the_given_data() -> None:
    import csv

    variant = generate_variant(load_package(CHURN), 7)
    assert variant is not None
    with (variant.public_dir / "data" / "train.csv").open() as handle:
        given = list(csv.DictReader(handle))
    with (variant.hidden_dir / "score_features.csv").open() as handle:
        scored = list(csv.DictReader(handle))
    churn_rate = sum(r["churned"] == "1" for r in given) / len(given)
    assert 0.10 <= churn_rate <= 0.15
    # In the export every churner has a retention case; on the scoring date hardly anyone does.
    assert all(r["retention_case_code"] for r in given if r["churned"] == "1")
    assert sum(bool(r["retention_case_code"]) for r in scored) / len(scored) < 0.03
    assert "churned" not in scored[0]
    assert not {r["customer_id"] for r in given} & {r["customer_id"] for r in scored}
