"""Example tests you can run: `python -m pytest public_tests` from the workspace.

They start your service exactly as the grader does (`python serve.py` with $PORT set), replay the
requests of examples.json and compare the answers. The grader checks these same examples and
many more requests it does not show (other inputs, edge cases, bad input, concurrency).
"""

import concurrent.futures
import json
import math
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path.cwd() if (Path.cwd() / "serve.py").exists() else Path(__file__).resolve().parent.parent
EXAMPLES = json.loads((ROOT / "examples.json").read_text())


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def service():
    port = _free_port()
    env = {**os.environ, "PORT": str(port)}
    proc = subprocess.Popen([sys.executable, "serve.py"], cwd=ROOT, env=env)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5, trust_env=False)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proc.poll() is None, "serve.py exited before answering GET /health"
            try:
                if client.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "GET /health did not answer 200 within 20 s"
            time.sleep(0.1)
        yield client
    finally:
        client.close()
        proc.terminate()
        proc.wait(10)


def holds(expected, actual):
    """`actual` holds `expected`: objects may have more keys (the schema decides), lists match
    item by item, floats within 1e-6."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and holds(v, actual[k]) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(holds(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, float):
        return isinstance(actual, int | float) and not isinstance(actual, bool) and math.isclose(
            expected, actual, abs_tol=1e-6
        )
    return type(expected) is type(actual) and expected == actual


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["name"] for e in EXAMPLES])
def test_example(service, example):
    request, response = example["request"], example["response"]
    answer = service.request(request["method"], request["path"], json=request.get("json"))
    assert answer.status_code == response["status"], answer.text
    assert holds(response["json"], answer.json()), answer.text


def test_errors_have_the_error_body(service):
    answer = service.post("/v1/predict", content=b"{not json", headers={"content-type": "application/json"})
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert isinstance(error["message"], str) and isinstance(error["details"], list)


def test_an_oversize_batch_is_413(service):
    features = next(e for e in EXAMPLES if e["request"]["path"] == "/v1/predict")["request"]["json"]
    items = [{"features": features["features"]}] * 65
    answer = service.post("/v1/predict/batch", json={"items": items})
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "batch_too_large"


def test_p95_latency_at_concurrency_16_is_within_500_ms(service):
    """Like the grader's check: 64 predictions, 16 in flight, each on a new connection."""
    request = next(e for e in EXAMPLES if e["request"]["path"] == "/v1/predict")["request"]
    base = str(service.base_url)

    def one(_):
        with httpx.Client(base_url=base, timeout=10, trust_env=False) as client:
            started = time.perf_counter()
            answer = client.post("/v1/predict", json=request["json"])
            return answer.status_code, time.perf_counter() - started

    for _ in range(4):
        one(None)  # warm-up
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(one, range(64)))
    assert all(status == 200 for status, _ in results)
    p95 = sorted(seconds for _, seconds in results)[math.ceil(0.95 * 64) - 1]
    assert p95 <= 0.5, f"p95 = {p95 * 1000:.0f} ms"
