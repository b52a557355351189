"""Partial: careful validation and error bodies, but a single-model service.

It loads only the default model and ignores `model_version` (an unknown version is served by the
default model instead of a 404), and every prediction writes an audit record through a
synchronous call inside an `async` handler, which blocks the event loop: under concurrent load
requests queue behind each other and the latency budget is missed.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

HERE = Path(__file__).resolve().parent
MAX_BATCH = 64


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in version.split("."))


def load_models(directory: Path) -> dict[str, dict]:
    models = {}
    for path in sorted(directory.glob("*.json")):
        model = json.loads(path.read_text())
        models[model["version"]] = model
    defaults = [m for m in models.values() if m.get("default")]
    if len(defaults) != 1:
        raise SystemExit(f"expected exactly one default model in {directory}, found {len(defaults)}")
    return dict(sorted(models.items(), key=lambda kv: _version_key(kv[0])))


ALL = load_models(HERE / "models")
DEFAULT = next(m for m in ALL.values() if m["default"])
MODELS = {DEFAULT["version"]: DEFAULT}


def audit(record: dict) -> None:
    time.sleep(0.1)  # stands for a synchronous write to a remote audit store


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list | None = None):
        self.status, self.code, self.message, self.details = status, code, message, details or []


def error_response(status: int, code: str, message: str, details: list | None = None):
    body = {"error": {"code": code, "message": message, "details": details or []}}
    return JSONResponse(body, status_code=status)


def invalid(loc: list, msg: str) -> ApiError:
    return ApiError(422, "validation_error", "the request is not valid", [{"loc": loc, "msg": msg}])


def public_feature(feature: dict) -> dict:
    return {k: feature[k] for k in ("name", "type", "minimum", "maximum", "values") if k in feature}


def model_info(model: dict) -> dict:
    return {
        "name": model["name"],
        "version": model["version"],
        "default": model["default"],
        "threshold": model["threshold"],
        "labels": model["labels"],
        "features": [public_feature(f) for f in model["features"]],
    }


def check_features(model: dict, features: object, loc: list) -> list[dict]:
    """Every problem with `features` for `model`, as ErrorDetail dicts."""
    if not isinstance(features, dict):
        return [{"loc": loc, "msg": "features must be an object"}]
    problems = []
    known = {f["name"]: f for f in model["features"]}
    for name in features:
        if name not in known:
            problems.append({"loc": [*loc, name], "msg": f"unknown feature for model {model['version']}"})
    for name, feature in known.items():
        where = [*loc, name]
        if name not in features:
            problems.append({"loc": where, "msg": "missing feature"})
            continue
        value = features[name]
        kind = feature["type"]
        if kind in ("number", "integer"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append({"loc": where, "msg": f"must be a JSON {kind}"})
            elif kind == "integer" and not isinstance(value, int):
                problems.append({"loc": where, "msg": "must be a JSON integer"})
            elif not math.isfinite(value):
                problems.append({"loc": where, "msg": "must be finite"})
            elif not feature["minimum"] <= value <= feature["maximum"]:
                problems.append(
                    {"loc": where, "msg": f"must be within [{feature['minimum']}, {feature['maximum']}]"}
                )
        elif kind == "boolean":
            if not isinstance(value, bool):
                problems.append({"loc": where, "msg": "must be true or false"})
        elif not isinstance(value, str) or value not in feature["values"]:
            problems.append({"loc": where, "msg": f"must be one of {feature['values']}"})
    return problems


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
    # Stable logistic: exp never overflows for large |z|.
    probability = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    positive = probability >= model["threshold"]
    return {"probability": probability, "label": model["labels"]["positive" if positive else "negative"]}


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


async def read_object(request: Request, allowed: set[str], required: set[str]) -> dict:
    raw = await request.body()
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except ValueError as exc:
        raise invalid([], f"the body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise invalid([], "the body must be a JSON object")
    details = [{"loc": [k], "msg": "unknown field"} for k in body if k not in allowed]
    details += [{"loc": [k], "msg": "missing field"} for k in sorted(required) if k not in body]
    if "model_version" in body and not isinstance(body["model_version"], str):
        details.append({"loc": ["model_version"], "msg": "must be a string"})
    if details:
        raise ApiError(422, "validation_error", "the request is not valid", details)
    return body


def select_model(body: dict) -> dict:
    return DEFAULT


app = FastAPI(title="Model serving API", openapi_url=None, docs_url=None, redoc_url=None)


@app.exception_handler(ApiError)
async def _api_error(request: Request, exc: ApiError):
    return error_response(exc.status, exc.code, exc.message, exc.details)


@app.exception_handler(StarletteHTTPException)
async def _http_error(request: Request, exc: StarletteHTTPException):
    codes = {404: "not_found", 405: "method_not_allowed"}
    return error_response(exc.status_code, codes.get(exc.status_code, "not_found"), str(exc.detail))


@app.get("/health")
def health():
    return {"status": "ok", "models_loaded": len(MODELS)}


@app.get("/v1/models")
def list_models():
    return {"default_version": DEFAULT["version"], "models": [model_info(m) for m in MODELS.values()]}


@app.get("/v1/models/{version}")
def get_model(version: str):
    if version not in MODELS:
        raise ApiError(404, "model_not_found", f"no model has version {version!r}")
    return model_info(MODELS[version])


@app.post("/v1/predict")
async def predict_one(request: Request):
    body = await read_object(request, {"model_version", "features"}, {"features"})
    model = select_model(body)
    problems = check_features(model, body["features"], ["features"])
    if problems:
        raise ApiError(422, "validation_error", "the features are not valid", problems)
    result = {"model_version": model["version"], **predict(model, body["features"])}
    audit(result)
    return result


@app.post("/v1/predict/batch")
async def predict_batch(request: Request):
    body = await read_object(request, {"model_version", "items"}, {"items"})
    items = body["items"]
    if not isinstance(items, list):
        raise invalid(["items"], "items must be a list")
    if len(items) > MAX_BATCH:
        raise ApiError(413, "batch_too_large", f"at most {MAX_BATCH} items per batch, got {len(items)}")
    if not items:
        raise invalid(["items"], "items must not be empty")
    model = select_model(body)
    problems = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or set(item) != {"features"}:
            problems.append({"loc": ["items", index], "msg": "an item is an object with only `features`"})
            continue
        problems += check_features(model, item["features"], ["items", index, "features"])
    if problems:
        raise ApiError(422, "validation_error", "some items are not valid", problems)
    return {
        "model_version": model["version"],
        "predictions": [predict(model, item["features"]) for item in items],
    }


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), log_level="warning")
