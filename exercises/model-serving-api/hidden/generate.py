"""Variant generator: `python generate.py --seed N --out DIR`.

Writes
- DIR/public/models/<name>-<version>.json: two versions of a logistic-regression model (their
  domain, features, weights, thresholds and which one is the default all vary with the seed);
- DIR/public/examples.json: example requests and their exact responses (the public tests use
  them; the grader checks the same ones as its visible checks);
- DIR/hidden/checks.json: every check of the conformance grader, with the expected predictions
  computed by reference.py. Grader-only: it never enters the candidate's sandbox.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
from pathlib import Path

from reference import DOMAINS, model_info, predict

MAX_BATCH = 64
TOL = {"abs": 1e-6}
UNKNOWN_FEATURE = "debug_override"


def _round(value: float, span: float) -> float:
    return round(value, 4 if span <= 5 else 2)


def make_models(rng: random.Random) -> tuple[dict, dict]:
    domain = copy.deepcopy(DOMAINS[rng.randrange(len(DOMAINS))])
    *base, extra = domain["features"]
    while True:
        chosen = rng.sample(base, 5)
        if {f["type"] for f in chosen} == {"number", "integer", "boolean", "category"}:
            break
    major = rng.randint(1, 3)
    old_version = f"{major}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"
    new_version = f"{major + 1}.{rng.randint(0, 4)}.0"

    def fit(features: list[dict], previous: dict | None) -> list[dict]:
        out = []
        for feature in features:
            f = dict(feature)
            old = next((p for p in previous["features"] if p["name"] == f["name"]), None) \
                if previous else None
            if f["type"] in ("number", "integer"):
                span = f["maximum"] - f["minimum"]
                f["mean"] = old["mean"] if old else _round(
                    f["minimum"] + span * rng.uniform(0.15, 0.45), span)
                f["scale"] = old["scale"] if old else _round(span * rng.uniform(0.12, 0.3), span)
                base_w = old["weight"] if old else 0.0
                f["weight"] = round(base_w + rng.gauss(0, 0.9), 4)
            elif f["type"] == "boolean":
                base_w = old["weight"] if old else 0.0
                f["weight"] = round(base_w + rng.gauss(0, 0.9), 4)
            else:
                f["weights"] = {
                    v: round((old["weights"][v] if old else 0.0) + rng.gauss(0, 0.6), 4)
                    for v in f["values"]
                }
            out.append(f)
        return out

    old = {
        "name": domain["name"],
        "version": old_version,
        "default": False,
        "threshold": 0.5,
        "labels": domain["labels"],
        "intercept": round(rng.gauss(-0.4, 0.4), 4),
    }
    old["features"] = fit(chosen, None)
    new_features = list(chosen)
    new_features.insert(rng.randrange(len(new_features) + 1), extra)
    new = {
        "name": domain["name"],
        "version": new_version,
        "default": False,
        "threshold": rng.choice([0.35, 0.4, 0.45, 0.55, 0.6]),
        "labels": domain["labels"],
        "intercept": round(old["intercept"] + rng.gauss(0, 0.3), 4),
    }
    new["features"] = fit(new_features, old)
    rng.choice([old, new])["default"] = True
    return old, new


def sample(model: dict, rng: random.Random) -> dict:
    """Realistic valid features, away from the decision threshold (so that a rounding
    difference of 1e-12 can never flip a label)."""
    while True:
        values = {}
        for f in model["features"]:
            if f["type"] in ("number", "integer"):
                raw = min(f["maximum"], max(f["minimum"], rng.gauss(f["mean"], f["scale"])))
                span = f["maximum"] - f["minimum"]
                values[f["name"]] = int(round(raw)) if f["type"] == "integer" else _round(raw, span)
            elif f["type"] == "boolean":
                values[f["name"]] = rng.random() < 0.5
            else:
                values[f["name"]] = rng.choice(f["values"])
        if abs(predict(model, values)["probability"] - model["threshold"]) > 1e-3:
            return values


def at_bound(model: dict, bound: str, rng: random.Random) -> dict:
    """Every number and integer at its bound; the other features vary until the probability is
    clear of the threshold (or 50 tries have been made)."""
    for _ in range(50):
        values = sample(model, rng)
        for f in model["features"]:
            if f["type"] in ("number", "integer"):
                values[f["name"]] = f[bound]
        if abs(predict(model, values)["probability"] - model["threshold"]) > 1e-3:
            break
    return values


def first(model: dict, kind: str) -> dict:
    return next(f for f in model["features"] if f["type"] == kind)


def prediction(model: dict, features: dict) -> dict:
    return {"model_version": model["version"], **predict(model, features)}


def check(name, group, request, status, *, schema=None, body=None, points=1.0, visible=False,
          requires=("predicts",), hint=""):
    expect = {"status": status}
    if schema:
        expect["schema"] = schema
    if body is not None:
        expect["json"] = body
        expect["tolerance"] = TOL
    item = {"name": name, "group": group, "points": points, "visible": visible,
            "request": request, "expect": expect, "requires": list(requires)}
    if hint:
        item["hint"] = hint
    return item


def post(path: str, payload) -> dict:
    return {"method": "POST", "path": path, "json": payload}


def raw_post(path: str, text: str) -> dict:
    return {"method": "POST", "path": path, "body": text}


def build(seed: int) -> tuple[dict, dict, list, dict]:
    rng = random.Random(seed)
    old, new = make_models(rng)
    default = old if old["default"] else new
    other = new if default is old else old
    extra = next(f for f in new["features"] if f["name"] not in {g["name"] for g in old["features"]})
    unknown_version = f"{int(new['version'].split('.')[0]) + 5}.0.0"
    health = {"status": "ok", "models_loaded": 2}
    listing = {"default_version": default["version"],
               "models": [model_info(old), model_info(new)]}

    # -- public examples, also the visible checks ------------------------------------------
    ex_default = sample(default, rng)
    ex_other = sample(other, rng)
    ex_batch = [sample(default, rng) for _ in range(3)]
    ex_missing = dict(sample(default, rng))
    missing_name = first(default, "number")["name"]
    del ex_missing[missing_name]
    examples = [
        {"name": "health", "request": {"method": "GET", "path": "/health"},
         "response": {"status": 200, "json": health}},
        {"name": "list the models", "request": {"method": "GET", "path": "/v1/models"},
         "response": {"status": 200, "json": listing}},
        {"name": "predict with the default model",
         "request": post("/v1/predict", {"features": ex_default}),
         "response": {"status": 200, "json": prediction(default, ex_default)}},
        {"name": "predict with a chosen model version",
         "request": post("/v1/predict", {"model_version": other["version"], "features": ex_other}),
         "response": {"status": 200, "json": prediction(other, ex_other)}},
        {"name": "predict a batch",
         "request": post("/v1/predict/batch", {"items": [{"features": f} for f in ex_batch]}),
         "response": {"status": 200, "json": {
             "model_version": default["version"],
             "predictions": [predict(default, f) for f in ex_batch]}}},
        {"name": "a missing feature is a validation error",
         "request": post("/v1/predict", {"features": ex_missing}),
         "response": {"status": 422, "json": {"error": {"code": "validation_error"}}}},
        {"name": "an unknown model version is not found",
         "request": post("/v1/predict", {"model_version": unknown_version,
                                         "features": sample(default, rng)}),
         "response": {"status": 404, "json": {"error": {"code": "model_not_found"}}}},
    ]
    visible = []
    for ex, group, schema, points, requires in [
        (examples[0], "health", "Health", 1, ()),
        (examples[1], "models", "ModelList", 2, ()),
        (examples[2], "predict", "Prediction", 1.5, ("predicts",)),
        (examples[3], "predict", "Prediction", 1.5, ("predicts",)),
        (examples[4], "batch", "BatchPrediction", 1.5, ("predicts",)),
        (examples[5], "validation", "Error", 1, ("predicts",)),
        (examples[6], "versioning", "Error", 1, ("predicts",)),
    ]:
        visible.append(check(f"{group}: {ex['name']} (example)", group, ex["request"],
                             ex["response"]["status"], schema=schema,
                             body=ex["response"]["json"], points=points, visible=True,
                             requires=requires))

    # -- hidden checks ---------------------------------------------------------------------
    hidden = []
    hidden.append(check("models: one model by version", "models",
                        {"method": "GET", "path": f"/v1/models/{other['version']}"}, 200,
                        schema="ModelInfo", body=model_info(other), requires=()))
    hidden.append(check("models: an unknown version is 404 model_not_found", "models",
                        {"method": "GET", "path": f"/v1/models/{unknown_version}"}, 404,
                        schema="Error", body={"error": {"code": "model_not_found"}},
                        requires=()))
    for i in range(3):
        feats = sample(default, rng)
        hidden.append(check(f"predict: default model, case {i + 1}", "predict",
                            post("/v1/predict", {"features": feats}), 200, schema="Prediction",
                            body=prediction(default, feats), points=1.5))
    for model, tag in ((old, "older"), (new, "newer")):
        for i in range(2):
            feats = sample(model, rng)
            hidden.append(check(f"predict: the {tag} version by name, case {i + 1}", "predict",
                                post("/v1/predict",
                                     {"model_version": model["version"], "features": feats}),
                                200, schema="Prediction", body=prediction(model, feats),
                                points=1.5))
    for bound in ("minimum", "maximum"):
        feats = at_bound(other, bound, rng)
        hidden.append(check(f"predict: every number at its {bound} is accepted", "predict",
                            post("/v1/predict", {"model_version": other["version"],
                                                 "features": feats}),
                            200, schema="Prediction", body=prediction(other, feats), points=1.5,
                            hint="bounds are inclusive"))
    for model, size, name in ((other, 20, "20 items, chosen version"),
                              (default, MAX_BATCH, f"{MAX_BATCH} items (the maximum)"),
                              (default, 1, "a single item")):
        items = [sample(model, rng) for _ in range(size)]
        payload = {"items": [{"features": f} for f in items]}
        if model is other:
            payload["model_version"] = model["version"]
        hidden.append(check(f"batch: {name}", "batch", post("/v1/predict/batch", payload), 200,
                            schema="BatchPrediction",
                            body={"model_version": model["version"],
                                  "predictions": [predict(model, f) for f in items]},
                            points=1.5))

    valid = sample(default, rng)
    num, integer = first(default, "number"), first(default, "integer")
    boolean, category = first(default, "boolean"), first(default, "category")

    def with_(name, value):
        return {"features": {**valid, name: value}}

    def raw_features(name, literal):
        parts = [f"{json.dumps(k)}: {literal if k == name else json.dumps(v)}"
                 for k, v in valid.items()]
        return '{"features": {' + ", ".join(parts) + "}}"

    missing = dict(valid)
    del missing[integer["name"]]
    invalid = [
        ("a missing feature", post("/v1/predict", {"features": missing})),
        ("an unknown feature", post("/v1/predict", {"features": {**valid, UNKNOWN_FEATURE: 1}})),
        ("an unknown top-level field", post("/v1/predict", {"features": valid, "explain": True})),
        ("no features at all", post("/v1/predict", {"model_version": default["version"]})),
        ("features that are not an object", post("/v1/predict", {"features": list(valid.values())})),
        ("a string where a number is expected",
         post("/v1/predict", with_(num["name"], str(valid[num["name"]])))),
        ("a boolean where a number is expected", post("/v1/predict", with_(num["name"], True))),
        ("a fraction where an integer is expected",
         post("/v1/predict", with_(integer["name"], integer["minimum"] + 0.5))),
        ("null for a feature", post("/v1/predict", with_(num["name"], None))),
        ("NaN", raw_post("/v1/predict", raw_features(num["name"], "NaN"))),
        ("Infinity", raw_post("/v1/predict", raw_features(num["name"], "Infinity"))),
        ("a number below its minimum",
         post("/v1/predict", with_(num["name"], num["minimum"] - 1))),
        ("a number above its maximum",
         post("/v1/predict", with_(num["name"], num["maximum"] * 2 + 1))),
        ("an integer above its maximum",
         post("/v1/predict", with_(integer["name"], integer["maximum"] + 1))),
        ("an unknown category", post("/v1/predict", with_(category["name"], "zz-unknown"))),
        ("a string where a boolean is expected",
         post("/v1/predict", with_(boolean["name"], "true"))),
        ("a number where a boolean is expected", post("/v1/predict", with_(boolean["name"], 1))),
        ("a model_version that is not a string",
         post("/v1/predict", {"model_version": 2, "features": valid})),
        ("malformed JSON", raw_post("/v1/predict", '{"features": {')),
        ("an empty body", raw_post("/v1/predict", "")),
        ("a body that is a list", post("/v1/predict", [{"features": valid}])),
        ("a batch without items", post("/v1/predict/batch", {"model_version": default["version"]})),
        ("an empty batch", post("/v1/predict/batch", {"items": []})),
        ("batch items that are not a list", post("/v1/predict/batch", {"items": {"features": valid}})),
    ]
    for name, request in invalid:
        hidden.append(check(f"validation: {name} is 422", "validation", request, 422))

    bad_index = rng.randrange(1, 6)
    bad_items = [{"features": sample(default, rng)} for _ in range(6)]
    bad_items[bad_index]["features"][num["name"]] = num["maximum"] * 2 + 1
    hidden.append(check("validation: one bad item fails the whole batch with 422", "validation",
                        post("/v1/predict/batch", {"items": bad_items}), 422))
    hidden.append(check("errors: a 422 body is an Error with code validation_error", "errors",
                        post("/v1/predict", {"features": missing}), 422, schema="Error",
                        body={"error": {"code": "validation_error"}}))
    hidden.append(check("errors: a 422 names the missing feature in details[].loc", "errors",
                        post("/v1/predict", {"features": missing}), 422, schema="Error",
                        body={"error": {"details": {"$contains": [
                            {"loc": {"$contains": [integer["name"]]}}]}}}))
    hidden.append(check("errors: a bad batch item is located by its index", "errors",
                        post("/v1/predict/batch", {"items": bad_items}), 422, schema="Error",
                        body={"error": {"details": {"$contains": [
                            {"loc": {"$contains": ["items", bad_index, num["name"]]}}]}}},
                        hint="loc is the path from the body's root, e.g. items, 3, features, x"))
    oversize = [{"features": sample(default, rng)} for _ in range(MAX_BATCH + 1)]
    hidden.append(check(f"limits: a batch of {MAX_BATCH + 1} items is 413 batch_too_large",
                        "limits", post("/v1/predict/batch", {"items": oversize}), 413,
                        schema="Error", body={"error": {"code": "batch_too_large"}}, points=2))

    hidden.append(check("versioning: predict with an unknown version is 404 model_not_found",
                        "versioning",
                        post("/v1/predict", {"model_version": unknown_version, "features": valid}),
                        404, schema="Error", body={"error": {"code": "model_not_found"}}))
    hidden.append(check("versioning: a batch with an unknown version is 404", "versioning",
                        post("/v1/predict/batch", {"model_version": f"{unknown_version}-rc1",
                                                   "items": [{"features": valid}]}),
                        404, schema="Error", body={"error": {"code": "model_not_found"}}))
    old_feats = sample(old, rng)
    hidden.append(check("versioning: the newer version's extra feature is unknown to the older",
                        "versioning",
                        post("/v1/predict", {"model_version": old["version"],
                                             "features": {**old_feats, extra["name"]:
                                                          sample(new, rng)[extra["name"]]}}),
                        422, hint="each version validates against its own features"))
    hidden.append(check("versioning: the newer version needs its extra feature", "versioning",
                        post("/v1/predict", {"model_version": new["version"],
                                             "features": sample(old, rng)}),
                        422, hint="each version validates against its own features"))
    hidden.append(check("versioning: an explicit version equal to the default", "versioning",
                        post("/v1/predict", {"model_version": default["version"],
                                             "features": valid}),
                        200, schema="Prediction", body=prediction(default, valid)))

    hidden.append(check("routes: an unknown path is 404", "routes",
                        {"method": "GET", "path": "/v1/forecast"}, 404, requires=()))
    hidden.append(check("routes: GET on a POST route is 405", "routes",
                        {"method": "GET", "path": "/v1/predict"}, 405, requires=()))
    hidden.append(check("routes: DELETE on the model list is 405", "routes",
                        {"method": "DELETE", "path": "/v1/models"}, 405, requires=()))

    # The default model only: this check measures latency, the others measure versioning.
    load = []
    for _ in range(8):
        feats = sample(default, rng)
        load.append({"request": post("/v1/predict", {"features": feats}),
                     "expect": {"status": 200, "schema": "Prediction",
                                "json": prediction(default, feats), "tolerance": TOL}})
    latency = [{
        "name": "latency: p95 of 64 predictions at concurrency 16 within 500 ms",
        "group": "latency", "points": 4, "requests": load, "total": 64, "concurrency": 16,
        "percentile": 95, "budget_ms": 500, "warmup": 4, "timeout_seconds": 10,
        "max_seconds": 30,
        "hint": "a blocking call inside an async handler serialises every request",
    }]
    checks = {
        "format": 1,
        "gates": {"predicts": {"groups": ["predict", "batch"], "hidden_only": True,
                               "min_fraction": 0.5}},
        "checks": visible + hidden,
        "latency": latency,
    }
    return old, new, examples, checks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    old, new, examples, checks = build(args.seed)
    models = args.out / "public" / "models"
    models.mkdir(parents=True, exist_ok=True)
    for model in (old, new):
        text = json.dumps(model, indent=2) + "\n"
        (models / f"{model['name']}-{model['version']}.json").write_text(text)
    (args.out / "public" / "examples.json").write_text(json.dumps(examples, indent=2) + "\n")
    hidden = args.out / "hidden"
    hidden.mkdir(parents=True, exist_ok=True)
    (hidden / "checks.json").write_text(json.dumps(checks, indent=1) + "\n")


if __name__ == "__main__":
    main()
