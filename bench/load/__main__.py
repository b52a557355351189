"""Latency of the scale-out mode under 100 candidates autosaving and polling, on loopback.

    .venv/bin/python -m bench.load [--candidates 100] [--seconds 60] [--web-workers 8]

A throwaway deployment on the machine's PostgreSQL and Redis (tests.scaleout.harness): gunicorn
through `vetta serve`, one `vetta worker --beat`, and N invitation links to a plan of one
exercise (tiny-adder fixture). Each simulated candidate is a browser of its own (its own
cookies) that uses only the candidate pages and their JSON endpoints, as the pages and their
script do (docs/candidate.md, static/vetta/candidate.js):

- Set-up, timed but kept out of the figures: `GET /invite/<token>`, then the page's form is
  POSTed with its CSRF token, which claims the link into the browser's session; the notice's
  form (with the notice's version) and the start page's form are POSTed the same way, each
  redirect followed; the workspace page the last one leads to gives the exercise's URLs, the
  editable file and its revision (its JSON data, as the script reads it).
- The measured run: every ~5 s the candidate autosaves that file
  (`POST /assessment/<attempt>/exercises/<item>/drafts/`, JSON `{path, content, base_revision}`
  of ~3 KB with the revision it last got), every ~3 s it polls
  `GET /assessment/<attempt>/status.json?known=<runs whose feedback it has>`, and once,
  somewhere in the middle of the run, it submits (`POST .../exercises/<item>/submissions/`) and
  polls again 0.3 s later, so the worker grades while the web serves. Every call carries the
  CSRF cookie's value in `X-CSRFToken`, POSTs also the page's `Origin`, as a browser's do.

Timings are client-side, from request to full response; an error is any answer other than
2xx, or no answer. Target: p95 < 200 ms, 0 errors. The web runs Vetta's settings plus one
middleware that adds a `Server-Timing` header (bench/load/settings.py), so that the time spent
in Django can be told from the time spent waiting for a free gunicorn worker.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import math
import os
import random
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

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
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
NOTICE_VERSION = re.compile(r'name="notice_version" value="([^"]*)"')
JSON_SCRIPT = re.compile(r'<script id="([^"]+)" type="application/json">(.*?)</script>', re.S)


START = [0.0]  # the event loop's time at the start of the measured run


@dataclass
class Sample:
    endpoint: str
    seconds: float
    ok: bool
    detail: str = ""
    server: float | None = None  # seconds Django spent on it (Server-Timing), if answered
    at: float = 0.0  # when it was sent, in seconds since the start of the run


class SetupFailed(Exception):
    pass


@dataclass
class Browser:
    """One candidate's browser: its cookies, and what its workspace page told its script."""

    client: httpx.AsyncClient
    origin: str
    attempt: str = ""
    status_url: str = ""
    save_url: str = ""
    submit_url: str = ""
    path: str = ""
    revision: int | None = None
    known: set[str] = field(default_factory=set)  # runs whose feedback the page shows

    def headers(self, *, post: bool = False) -> dict[str, str]:
        """What the script's `api()` sends: the CSRF cookie's value, and JSON accepted."""
        headers = {
            "Accept": "application/json",
            "X-CSRFToken": self.client.cookies.get("csrftoken") or "",
        }
        if post:
            headers["Origin"] = self.origin
        return headers


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


# --- Set-up: the invitation link, the notice, Start, the workspace page ----------------------


def _form(page: httpx.Response) -> dict[str, str]:
    """The CSRF token of the page's (one) form, as the browser would send it back."""
    token = CSRF_FIELD.search(page.text)
    if token is None:
        raise SetupFailed(f"no form with a CSRF token on {page.url.path}")
    return {"csrfmiddlewaretoken": html.unescape(token[1])}


async def _step(samples: list[Sample], name: str, request: Any, *, lands_on: str) -> httpx.Response:
    page = await _timed(samples, name, request)
    if page is None or not page.is_success:
        detail = samples[-1].detail
        raise SetupFailed(f"{name}: {detail}")
    if not page.url.path.endswith(lands_on):
        raise SetupFailed(f"{name}: landed on {page.url.path}, not on .../{lands_on}")
    return page


def _sent_from(page: httpx.Response, origin: str) -> dict[str, str]:
    """What a browser adds to a form's POST: where it comes from."""
    return {"Origin": origin, "Referer": str(page.url)}


async def set_up(browser: Browser, link: str, samples: list[Sample]) -> None:
    client, origin = browser.client, browser.origin
    page = await _step(samples, "invitation", client.get(link), lands_on=link)
    page = await _step(
        samples,
        "claim",
        client.post(link, data=_form(page), headers=_sent_from(page, origin)),
        lands_on="/notice/",
    )
    browser.attempt = page.url.path.split("/")[2]
    version = NOTICE_VERSION.search(page.text)
    if version is None:
        raise SetupFailed("the notice page has no notice_version")
    page = await _step(
        samples,
        "notice",
        client.post(
            page.url,
            data={**_form(page), "notice_version": html.unescape(version[1])},
            headers=_sent_from(page, origin),
        ),
        lands_on="/start/",
    )
    page = await _step(
        samples,
        "start",
        client.post(page.url, data=_form(page), headers=_sent_from(page, origin)),
        lands_on="/work/",
    )
    data = {name: json.loads(text) for name, text in JSON_SCRIPT.findall(page.text)}
    exercises = [v for k, v in data.items() if k.startswith("exercise-data-")]
    if "ws-config" not in data or len(exercises) != 1 or not exercises[0]["editable"]:
        raise SetupFailed(f"unexpected workspace data: {sorted(data)}")
    exercise = exercises[0]
    browser.status_url = data["ws-config"]["statusUrl"]
    browser.save_url = exercise["urls"]["save"]
    browser.submit_url = exercise["urls"]["submit"]
    browser.path = exercise["editable"][0]["path"]
    browser.revision = exercise["editable"][0]["revision"]


# --- The measured run: autosave, status polls, one submission ---------------------------------


async def candidate(
    browser: Browser,
    args: argparse.Namespace,
    start: float,
    samples: list[Sample],
    seen: Counter[str],
) -> None:
    rng = random.Random(browser.attempt)
    client = browser.client
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, start - loop.time()))
    end = start + args.seconds
    next_save = start + rng.uniform(0, args.autosave)
    next_poll = start + rng.uniform(0, args.poll)
    submit_at = start + rng.uniform(0.25, 0.75) * args.seconds if args.submit else math.inf
    edits, last = 0, "unknown"
    while (at := min(next_save, next_poll, submit_at)) < end:
        await asyncio.sleep(max(0.0, at - loop.time()))
        if at == submit_at:
            submit_at = math.inf
            await _timed(
                samples,
                "submit",
                client.post(browser.submit_url, headers=browser.headers(post=True)),
            )
            next_poll = min(next_poll, loop.time() + 0.3)  # the script's poller.soon()
        elif at == next_save:
            next_save += args.autosave * rng.uniform(0.8, 1.2)
            edits += 1
            body = {
                "path": browser.path,
                "content": f"{SOURCE}\n{PADDING}# autosave {edits}\n",
                "base_revision": browser.revision,
            }
            saved = await _timed(
                samples,
                "autosave",
                client.post(browser.save_url, json=body, headers=browser.headers(post=True)),
            )
            if saved is not None and saved.is_success:
                browser.revision = saved.json()["revision"]
        else:
            next_poll += args.poll * rng.uniform(0.8, 1.2)
            known = quote(",".join(sorted(browser.known)), safe="")
            polled = await _timed(
                samples,
                "status",
                client.get(f"{browser.status_url}?known={known}", headers=browser.headers()),
            )
            if polled is not None and polled.is_success:
                items = polled.json()["items"]
                browser.known.update(
                    i["run"] for i in items if "feedback_html" in i and i.get("run")
                )
                last = items[0]["status"]
    seen[last] += 1


async def simulate(
    base: str, links: list[str], args: argparse.Namespace
) -> tuple[list[Sample], list[Sample], Counter[str], float]:
    setup: list[Sample] = []
    samples: list[Sample] = []
    seen: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    loop = asyncio.get_running_loop()
    START[0] = loop.time()
    async with contextlib.AsyncExitStack() as stack:
        browsers = [
            Browser(
                await stack.enter_async_context(
                    httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=True)
                ),
                base,
            )
            for _ in links
        ]
        gate = asyncio.Semaphore(args.setup_concurrency)

        async def one(browser: Browser, link: str) -> bool:
            async with gate:
                try:
                    await set_up(browser, link, setup)
                except SetupFailed as exc:
                    failures[str(exc)[:120]] += 1
                    return False
                return True

        began = time.perf_counter()
        done = await asyncio.gather(
            *(one(b, link) for b, link in zip(browsers, links, strict=True))
        )
        ready = [b for b, ok in zip(browsers, done, strict=True) if ok]
        print(
            f"set up {len(ready)} of {len(links)} candidates through the invitation, notice, "
            f"start and workspace pages in {time.perf_counter() - began:.1f} s "
            f"({args.setup_concurrency} at a time)",
            flush=True,
        )
        for detail, count in failures.most_common(5):
            print(f"  {count} x {detail}")
        start = loop.time() + 1.0
        START[0] = start
        began = time.perf_counter()
        cpu = time.process_time()
        await asyncio.gather(*(candidate(b, args, start, samples, seen) for b in ready))
        elapsed = time.perf_counter() - began
    print(f"the client itself used {(time.process_time() - cpu) / elapsed:.0%} of a core")
    return setup, samples, seen, elapsed - 1.0


def _percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _row(name: str, times: list[float], errors: int | str) -> str:
    cells = [_percentile(times, 50), _percentile(times, 95), _percentile(times, 99), max(times)]
    return f"{name:10} {len(times):8} {errors:>8} " + " ".join(f"{c:8.1f}" for c in cells)


COLUMNS = ("requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms")
HEADER = f"{'endpoint':10} " + " ".join(f"{c:>8}" for c in COLUMNS)
SETUP_STEPS = ("invitation", "claim", "notice", "start")


def report_setup(setup: list[Sample]) -> None:
    """The set-up's page loads (a form's POST counted with the page its redirect leads to)."""
    print("Set-up, not in the figures below (each candidate once, client side):")
    print(HEADER)
    for name in SETUP_STEPS:
        chosen = [s for s in setup if s.endpoint == name]
        if chosen:
            print(_row(name, [s.seconds * 1000 for s in chosen], sum(not s.ok for s in chosen)))


def report(samples: list[Sample], seen: Counter[str], seconds: float) -> None:
    header = HEADER
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
        "--setup-concurrency",
        type=int,
        default=10,
        help="candidates going through the invitation, notice and start pages at once",
    )
    parser.add_argument(
        "--no-submit", dest="submit", action="store_false", help="only autosave and poll"
    )
    args = parser.parse_args()
    if not (postgres_available() and redis_available()):
        raise SystemExit("needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379")
    with Deployment(bank=FIXTURE_BANK, slots=2) as deployment:
        links = deployment.driver("invitations", "--n", str(args.candidates), timeout=900)["links"]
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
        base = f"http://127.0.0.1:{port}"
        setup, samples, seen, seconds = asyncio.run(simulate(base, links, args))
        report_setup(setup)
        if not samples:
            raise SystemExit("no candidate got through the set-up: nothing was measured")
        report(samples, seen, seconds)
        print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
