"""Partial: the happy paths are right, validation is whatever FastAPI gives for free.

Lax pydantic types coerce "12.5" and true into numbers, nothing checks ranges, categories or
unknown features, a missing feature or a NaN ends in a 500, there is no batch limit, an unknown
model_version quietly falls back to the default model, and errors keep FastAPI's own bodies.
"""

import json
import math
import os
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

HERE = Path(__file__).resolve().parent
MODELS = {}
for path in sorted((HERE / "models").glob("*.json")):
    model = json.loads(path.read_text())
    MODELS[model["version"]] = model
DEFAULT = next(m for m in MODELS.values() if m["default"])


class PredictRequest(BaseModel):
    model_version: str | None = None
    features: dict[str, Any]


class Item(BaseModel):
    features: dict[str, Any]


class BatchRequest(BaseModel):
    model_version: str | None = None
    items: list[Item]


def info(model):
    keep = ("name", "type", "minimum", "maximum", "values")
    return {
        "name": model["name"], "version": model["version"], "default": model["default"],
        "threshold": model["threshold"], "labels": model["labels"],
        "features": [{k: f[k] for k in keep if k in f} for f in model["features"]],
    }


def score(model, features):
    z = model["intercept"]
    for f in model["features"]:
        value = features[f["name"]]
        if f["type"] in ("number", "integer"):
            z += f["weight"] * (float(value) - f["mean"]) / f["scale"]
        elif f["type"] == "boolean":
            z += f["weight"] * (1.0 if value else 0.0)
        else:
            z += f["weights"][value]
    p = 1 / (1 + math.exp(-z))
    return {"probability": p, "label": model["labels"]["positive" if p >= model["threshold"] else "negative"]}


app = FastAPI()


@app.get("/health")
def health():
    return {"status": "ok", "models_loaded": len(MODELS)}


@app.get("/v1/models")
def models():
    ordered = sorted(MODELS.values(), key=lambda m: [int(x) for x in m["version"].split(".")])
    return {"default_version": DEFAULT["version"], "models": [info(m) for m in ordered]}


@app.get("/v1/models/{version}")
def one_model(version: str):
    if version not in MODELS:
        raise HTTPException(404, "model not found")
    return info(MODELS[version])


@app.post("/v1/predict")
def predict(request: PredictRequest):
    model = MODELS.get(request.model_version, DEFAULT)
    return {"model_version": model["version"], **score(model, request.features)}


@app.post("/v1/predict/batch")
def predict_batch(request: BatchRequest):
    model = MODELS.get(request.model_version, DEFAULT)
    return {"model_version": model["version"], "predictions": [score(model, i.features) for i in request.items]}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), log_level="warning")
