"""Grading throughput of the scale-out mode with 1 and with 2 workers, and their ratio.

    .venv/bin/python -m bench.throughput [--n 40] [--rounds 2] [--light]

A throwaway deployment on the machine's PostgreSQL and Redis (tests.scaleout.harness): N
submissions of the strong solution of event-log-sessionizer (a unit-test exercise of ~3 s per
grading; `--light` uses the tiny-adder fixture, ~0.5 s) are graded by `vetta worker
--concurrency 1` processes, one or two of them. Rounds alternate 1, 2, 1, 2, ... because the
machine is shared and noisy; each round starts fresh workers, warms them with one submission
each, then times N submissions from the first one queued to the last one recorded (database
timestamps). Submissions come from a few candidates submitting repeatedly, so each candidate's
data variant is generated once (seconds and ~30 MiB each) and grading does the same work as for N
candidates. Target: ratio >= 1.8 on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path

from tests.scaleout.harness import (
    FIXTURE_BANK,
    REAL_BANK,
    Deployment,
    descendants,
    postgres_available,
    redis_available,
)

EXERCISES = {
    False: (REAL_BANK, "event-log-sessionizer", "sessionizer.py"),
    True: (FIXTURE_BANK, "tiny-adder", "adder.py"),
}


@dataclass
class Round:
    workers: int
    n: int
    seconds: float
    cpu_busy: float  # share of the machine's CPU time busy during the round, all processes
    cpu_ours: float  # CPU seconds of our workers and their sandboxes during the round

    @property
    def per_minute(self) -> float:
        return self.n * 60 / self.seconds

    @property
    def cores(self) -> float:
        """How many of the machine's cores our workers actually got, on average."""
        return self.cpu_ours / self.seconds


_TICK = os.sysconf("SC_CLK_TCK")


def _tree_cpu(roots: list[int]) -> float:
    """CPU seconds of the processes below `roots` so far, with their reaped children (the
    sandboxes a pool process ran)."""
    seconds = 0.0
    for root in roots:
        for pid in descendants(root):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            seconds += sum(int(v) for v in fields[11:15]) / _TICK
    return seconds


def _cpu_times() -> tuple[float, float]:
    fields = [float(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _graded_span(deployment: Deployment, runs: list[str]) -> float:
    rows = deployment.query(
        "SELECT min(queued_at), max(finished_at), count(*) FILTER (WHERE status = 'done') "
        f"FROM assessments_gradingrun WHERE run_id::text IN ({','.join(['%s'] * len(runs))})",
        runs,
    )
    first, last, done = rows[0]
    if done != len(runs):
        raise SystemExit(f"only {done} of {len(runs)} submissions were graded; see the logs")
    return float((last - first).total_seconds())


def run_round(deployment: Deployment, items: list[int], workers: int, n: int) -> Round:
    started = [
        deployment.start_worker(f"round-{time.monotonic_ns()}-{k}", wait=False)
        for k in range(workers)
    ]
    try:
        for worker in started:
            worker.wait_log(" ready.", timeout=180)
        warm = deployment.driver("submit", "--items", ",".join(map(str, items[:workers])))["runs"]
        deployment.wait_finished(warm, timeout=600)
        busy0, total0 = _cpu_times()
        ours0 = _tree_cpu([w.pid for w in started])
        chosen = ",".join(str(i) for i in islice(cycle(items), n))
        runs = deployment.driver("submit", "--items", chosen)["runs"]
        deployment.wait_finished(runs, timeout=60 * n)
        busy1, total1 = _cpu_times()
        ours1 = _tree_cpu([w.pid for w in started])
    finally:
        for worker in started:
            worker.stop()
    return Round(
        workers=workers,
        n=n,
        seconds=_graded_span(deployment, runs),
        cpu_busy=(busy1 - busy0) / max(1e-9, total1 - total0),
        cpu_ours=ours1 - ours0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--n", type=int, default=40, help="submissions timed per round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each worker count")
    parser.add_argument("--light", action="store_true", help="the tiny-adder fixture instead")
    parser.add_argument("--candidates", type=int, default=4, help="candidates submitting")
    args = parser.parse_args()
    if not (postgres_available() and redis_available()):
        raise SystemExit("needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379")
    bank, slug, path = EXERCISES[args.light]
    source = bank / slug / "solutions" / "strong" / path
    print(
        f"{slug}: {args.n} submissions per round, {args.rounds} round(s) each of 1 and 2 workers; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start",
        flush=True,
    )
    rounds: list[Round] = []
    with Deployment(bank=bank, slots=2) as deployment:
        items = deployment.driver(
            "prepare",
            "--n",
            str(args.candidates),
            "--exercise",
            slug,
            "--path",
            path,
            "--source",
            str(source),
            timeout=900,
        )["items"]
        for _ in range(args.rounds):
            for workers in (1, 2):
                done = run_round(deployment, items, workers, args.n)
                rounds.append(done)
                print(
                    f"  {workers} worker(s): {done.n} graded in {done.seconds:6.1f} s = "
                    f"{done.per_minute:6.1f}/min; our workers got {done.cores:.2f} cores, "
                    f"{done.cpu_ours / done.n:.2f} CPU s per grading (machine busy "
                    f"{done.cpu_busy:4.0%}, load {os.getloadavg()[0]:.2f})",
                    flush=True,
                )
    one = statistics.median(r.per_minute for r in rounds if r.workers == 1)
    two = statistics.median(r.per_minute for r in rounds if r.workers == 2)
    pairs = [
        b.per_minute / a.per_minute
        for a, b in zip(rounds[::2], rounds[1::2], strict=True)
        if a.workers == 1 and b.workers == 2
    ]
    print(f"1 worker : {one:6.1f} submissions/min (median)")
    print(f"2 workers: {two:6.1f} submissions/min (median)")
    print(
        f"ratio    : {two / one:.2f} of the medians; per 1-then-2 pair "
        f"{', '.join(f'{p:.2f}' for p in pairs)} (median {statistics.median(pairs):.2f})"
    )
    got = statistics.median(r.cores for r in rounds if r.workers == 2)
    print(f"cores our 2 workers got (median): {got:.2f} of {os.cpu_count()}")


if __name__ == "__main__":
    main()
