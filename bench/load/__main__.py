"""Latency of the scale-out mode under 100 candidates autosaving and polling, on loopback.

    .venv/bin/python -m bench.load [--candidates 100] [--seconds 60] [--web-workers 4]

A throwaway deployment on the machine's PostgreSQL and Redis (tests.scaleout.harness): gunicorn
through `vetta serve`, one `vetta worker --beat`, and N candidates (tiny-adder fixture) with
claimed, started attempts. Each simulated candidate has its own session (cookie), autosaves its
draft every ~5 s (a ~3 KB file, with the revision it last saw), polls its status every ~3 s,
and submits once somewhere in the middle of the run, so the worker grades while the web serves.
Timings are client-side, from request to full response; an error is any answer other than
2xx, or no answer. Target: p95 < 200 ms, 0 errors.

The candidate UI's endpoints were not merged when this was written: the requests go to
stand-ins under /bench/ (bench/load/views.py) that call the same selectors and services.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
from tests.scaleout.harness import (
    FIXTURE_BANK,
    VETTA,
    Deployment,
    free_port,
    postgres_available,
    redis_available,
)

SOURCE = (FIXTURE_BANK / "tiny-adder" / "solutions" / "strong" / "adder.py").read_text()
# A draft of realistic size: the solution and a page of the candidate's notes.
PADDING = "".join(
    f"# note {k:03}: checked the edge cases of add() and mean() again\n" for k in range(48)
)


START = [0.0]  # the event loop's time at the start of the measured run


@dataclass
class Sample:
    endpoint: str
    seconds: float
    ok: bool
    detail: str = ""
    server: float | None = None  # seconds Django spent on it (Server-Timing), if answered
    at: float = 0.0  # when it was sent, in seconds since the start of the run


def _server_seconds(response: httpx.Response) -> float | None:
    timing = response.headers.get("server-timing", "")
    if "dur=" not in timing:
        return None
    return float(timing.split("dur=", 1)[1].split(",")[0]) / 1000


async def _timed(samples: list[Sample], endpoint: str, request: Any) -> httpx.Response | None:
    started = time.perf_counter()
    at = asyncio.get_running_loop().time() - START[0]
    try:
        response: httpx.Response = await request
    except httpx.HTTPError as exc:
        elapsed = time.perf_counter() - started
        samples.append(Sample(endpoint, elapsed, False, type(exc).__name__, at=at))
        return None
    elapsed = time.perf_counter() - started
    ok = response.is_success
    detail = "" if ok else f"{response.status_code} {response.text[:100]}"
    samples.append(Sample(endpoint, elapsed, ok, detail, _server_seconds(response), at))
    return response


async def candidate(
    base: str,
    row: dict[str, Any],
    args: argparse.Namespace,
    start: float,
    samples: list[Sample],
    seen: Counter[str],
) -> None:
    rng = random.Random(row["attempt"])
    attempt = f"/bench/attempt/{row['attempt']}"
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        claimed = await client.post(f"/bench/session/{row['attempt']}")
        claimed.raise_for_status()
        loop = asyncio.get_running_loop()
        await asyncio.sleep(max(0.0, start - loop.time()))
        end = start + args.seconds
        next_save = start + rng.uniform(0, args.autosave)
        next_poll = start + rng.uniform(0, args.poll)
        submit_at = start + rng.uniform(0.25, 0.75) * args.seconds if args.submit else math.inf
        revision, edits, last = row["revision"], 0, "not_submitted"
        while (at := min(next_save, next_poll, submit_at)) < end:
            await asyncio.sleep(max(0.0, at - loop.time()))
            if at == submit_at:
                submit_at = math.inf
                await _timed(
                    samples, "submit", client.post(f"{attempt}/submit", json={"item": row["item"]})
                )
            elif at == next_save:
                next_save += args.autosave * rng.uniform(0.8, 1.2)
                edits += 1
                body = {
                    "item": row["item"],
                    "path": row["path"],
                    "content": f"{SOURCE}\n{PADDING}# autosave {edits}\n",
                    "base_revision": revision,
                }
                saved = await _timed(
                    samples, "autosave", client.post(f"{attempt}/draft", json=body)
                )
                if saved is not None and saved.is_success:
                    revision = saved.json()["revision"]
            else:
                next_poll += args.poll * rng.uniform(0.8, 1.2)
                polled = await _timed(samples, "status", client.get(f"{attempt}/status"))
                if polled is not None and polled.is_success:
                    last = polled.json()["items"][0]["status"]
        seen[last] += 1


async def simulate(
    base: str, rows: list[dict[str, Any]], args: argparse.Namespace
) -> tuple[list[Sample], Counter[str], float]:
    samples: list[Sample] = []
    seen: Counter[str] = Counter()
    start = asyncio.get_running_loop().time() + 3.0  # every session is set up by then
    START[0] = start
    began = time.perf_counter()
    cpu = time.process_time()
    await asyncio.gather(*(candidate(base, row, args, start, samples, seen) for row in rows))
    elapsed = time.perf_counter() - began
    print(f"the client itself used {(time.process_time() - cpu) / elapsed:.0%} of a core")
    return samples, seen, elapsed - 3.0


def _percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _row(name: str, times: list[float], errors: int | str) -> str:
    cells = [_percentile(times, 50), _percentile(times, 95), _percentile(times, 99), max(times)]
    return f"{name:10} {len(times):8} {errors:>8} " + " ".join(f"{c:8.1f}" for c in cells)


def report(samples: list[Sample], seen: Counter[str], seconds: float) -> None:
    columns = ("requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms")
    header = f"{'endpoint':10} " + " ".join(f"{c:>8}" for c in columns)
    groups = [*sorted({s.endpoint for s in samples}), "all"]
    print("As the candidates saw it (client side, request to full response):")
    print(header)
    for name in groups:
        chosen = [s for s in samples if name in {"all", s.endpoint}]
        errors = sum(not s.ok for s in chosen)
        print(_row(name, [s.seconds * 1000 for s in chosen], errors))
    print("Time in Django (Server-Timing; without waiting for a free web worker):")
    print(header)
    for name in groups:
        times = [
            s.server * 1000 for s in samples if s.server is not None and name in {"all", s.endpoint}
        ]
        if times:
            print(_row(name, times, "-"))
    windows: dict[int, list[float]] = {}
    for sample in samples:
        windows.setdefault(int(sample.at // 10), []).append(sample.seconds * 1000)
    print(
        "client p95 per 10 s of the run (ms): "
        + " ".join(f"{_percentile(windows[k], 95):.0f}" for k in sorted(windows))
    )
    errors = [s for s in samples if not s.ok]
    print(
        f"error rate {len(errors) / len(samples):.2%} ({len(errors)} of {len(samples)}), "
        f"{len(samples) / seconds:.1f} requests/s over {seconds:.0f} s"
    )
    for detail, count in Counter(s.detail for s in errors).most_common(5):
        print(f"  {count} x {detail}")
    print(
        "last status each candidate saw: " + ", ".join(f"{k} {v}" for k, v in sorted(seen.items()))
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the measured run")
    parser.add_argument("--autosave", type=float, default=5.0, help="seconds between autosaves")
    parser.add_argument("--poll", type=float, default=3.0, help="seconds between status polls")
    parser.add_argument("--web-workers", type=int, default=8, help="gunicorn worker processes")
    parser.add_argument(
        "--worker-concurrency",
        type=int,
        default=1,
        help="parallel gradings of the one grading worker (it shares the machine with the web)",
    )
    parser.add_argument(
        "--no-submit", dest="submit", action="store_false", help="only autosave and poll"
    )
    args = parser.parse_args()
    if not (postgres_available() and redis_available()):
        raise SystemExit("needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379")
    with Deployment(bank=FIXTURE_BANK, slots=2) as deployment:
        rows = deployment.driver("invite", "--n", str(args.candidates), timeout=900)["candidates"]
        worker = deployment.start_worker(
            "worker", concurrency=args.worker_concurrency, beat=True, wait=False
        )
        port = free_port()
        web = deployment.start(
            "web",
            [str(VETTA), "serve", "--port", str(port), "--workers", str(args.web_workers)],
            DJANGO_SETTINGS_MODULE="bench.load.settings",
        )
        web.wait_log("Vetta is serving at", timeout=120)
        worker.wait_log(" ready.", timeout=120)
        print(
            f"{args.candidates} candidates for {args.seconds:.0f} s against gunicorn "
            f"({args.web_workers} workers) + 1 grading worker (concurrency "
            f"{args.worker_concurrency}) on PostgreSQL and Redis; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        samples, seen, seconds = asyncio.run(simulate(f"http://127.0.0.1:{port}", rows, args))
        report(samples, seen, seconds)
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
