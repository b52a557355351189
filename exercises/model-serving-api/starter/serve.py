"""Model-serving API. Start it with `python serve.py`; it listens on 127.0.0.1:$PORT.

Implement the API of openapi.yaml (see the statement). This skeleton runs as it is: /health
answers, the other routes answer 501 until you implement them. You may restructure everything,
add modules next to this file, or replace FastAPI with another framework from the runtime (or
the standard library's http.server); only the start command is fixed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse

HERE = Path(__file__).resolve().parent


def load_models(directory: Path) -> dict[str, dict]:
    """Every model file of `directory`, by version."""
    models = {}
    for path in sorted(directory.glob("*.json")):
        model = json.loads(path.read_text())
        models[model["version"]] = model
    return models


MODELS = load_models(HERE / "models")

app = FastAPI(title="Model serving API")


@app.get("/health")
def health():
    return {"status": "ok", "models_loaded": len(MODELS)}


def not_implemented():
    body = {"error": {"code": "not_implemented", "message": "TODO", "details": []}}
    return JSONResponse(body, status_code=501)


@app.get("/v1/models")
def list_models():
    return not_implemented()


@app.post("/v1/predict")
def predict():
    return not_implemented()


@app.post("/v1/predict/batch")
def predict_batch():
    return not_implemented()


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), log_level="warning")
