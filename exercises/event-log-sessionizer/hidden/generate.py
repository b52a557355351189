"""Variant generator: `python generate.py --seed N --out DIR`.

Writes DIR/public/data/sample_events.jsonl (for the candidate to explore) and DIR/hidden/cases.json
(inputs and expected answers, computed by the reference implementation; grader-only).
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from reference import session_stats, sessionize

TYPES = ["page_view", "search", "add_to_cart", "checkout", "login", "logout", "click"]
OFFSETS = [timedelta(0), timedelta(hours=2), timedelta(hours=-5), timedelta(hours=5, minutes=30),
           timedelta(hours=-3, minutes=-30), timedelta(hours=9)]


def ts(moment: datetime, offset: timedelta = timedelta(0)) -> str:
    local = moment.astimezone(timezone(offset))
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if offset == timedelta(0):
        return text + "Z"
    sign = "+" if offset >= timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def random_log(rng: random.Random, *, users: int, events: int, dup_rate: float = 0.02,
               malformed_rate: float = 0.01) -> list:
    base = datetime(2024, 3, 1, tzinfo=UTC) + timedelta(days=rng.randrange(0, 300))
    ids = [f"u{rng.randrange(10**6):06d}" for _ in range(users)]
    clocks = {u: base + timedelta(seconds=rng.randrange(0, 86_400)) for u in ids}
    log: list = []
    for _ in range(events):
        user = rng.choice(ids)
        # Mostly short gaps inside a session, sometimes a long break, sometimes exactly 30 min.
        roll = rng.random()
        if roll < 0.80:
            step = rng.randrange(1, 600)
        elif roll < 0.83:
            step = 1800
        elif roll < 0.86:
            step = 1801
        else:
            step = rng.randrange(1801, 20_000)
        clocks[user] += timedelta(seconds=step)
        event = {"user_id": user, "ts": ts(clocks[user], rng.choice(OFFSETS)),
                 "type": rng.choice(TYPES)}
        log.append(event)
        if rng.random() < dup_rate:
            twin = dict(event)
            twin["ts"] = ts(clocks[user], rng.choice(OFFSETS))  # same instant, other offset
            log.append(twin)
        if rng.random() < malformed_rate:
            log.append(rng.choice([
                {"user_id": "", "ts": ts(clocks[user]), "type": "click"},
                {"user_id": user, "ts": "not a time", "type": "click"},
                {"user_id": user, "ts": ts(clocks[user])[:19], "type": "click"},
                {"user_id": user, "type": "click"},
                {"user_id": user, "ts": ts(clocks[user])},
                None,
            ]))
    # Events arrive in an order that is not time order.
    rng.shuffle(log)
    return log


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    t0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 600))
    a, b, c = (f"u{rng.randrange(100, 999)}" for _ in range(3))
    if len({a, b, c}) < 3:
        a, b, c = a + "a", b + "b", c + "c"

    cases: list[dict] = []

    def case(name: str, call: str, args_: list, *, points: float = 2, visible: bool = False,
             group: str = "main", hint: str = "", **kwargs: object) -> None:
        if call == "sessionize":
            expected = sessionize(*args_, **kwargs)
        else:
            expected = session_stats(*args_)
        cases.append({"name": name, "call": call, "args": args_, "kwargs": kwargs,
                      "expected": expected, "points": points, "visible": visible,
                      "group": group, "hint": hint})

    def at(minutes: float, offset: timedelta = timedelta(0)) -> str:
        return ts(t0 + timedelta(seconds=int(minutes * 60)), offset)

    # Public examples: exactly those of public_tests/, shown to the candidate in full.
    simple = [{"user_id": "u1", "ts": "2024-05-06T09:00:00Z", "type": "login"},
              {"user_id": "u1", "ts": "2024-05-06T09:10:00Z", "type": "search"},
              {"user_id": "u1", "ts": "2024-05-06T10:30:00Z", "type": "page_view"}]
    case("public: a long gap starts a new session", "sessionize", [simple], points=1, visible=True)
    ordered = [{"user_id": "u1", "ts": "2024-05-06T09:10:00Z", "type": "search"},
               {"user_id": "u1", "ts": "2024-05-06T11:00:00+02:00", "type": "login"}]
    case("public: events arrive out of order", "sessionize", [ordered], points=1, visible=True)
    small = sessionize([{"user_id": "u1", "ts": "2024-05-06T09:00:00Z", "type": "login"},
                        {"user_id": "u2", "ts": "2024-05-06T09:00:00Z", "type": "login"},
                        {"user_id": "u2", "ts": "2024-05-06T09:05:00Z", "type": "logout"}])
    case("public: session_stats of a small log", "session_stats", [small], points=1, visible=True)

    # Hidden edge cases.
    case("an empty log has no sessions", "sessionize", [[]])
    case("a single event is a session of length 0", "sessionize",
         [[{"user_id": b, "ts": at(3), "type": "click"}]])
    exact = [{"user_id": a, "ts": at(0), "type": "login"},
             {"user_id": a, "ts": at(30), "type": "click"}]
    case("a gap of exactly gap_seconds stays in the session", "sessionize", [exact],
         hint="a new session starts only when the gap is strictly greater")
    over = [{"user_id": a, "ts": at(0), "type": "login"},
            {"user_id": a, "ts": ts(t0 + timedelta(seconds=1801)), "type": "click"}]
    case("a gap one second longer splits", "sessionize", [over])
    rhythm = [{"user_id": a, "ts": at(m), "type": "click"} for m in (0, 9, 20, 31, 33)]
    case("gap_seconds is honoured", "sessionize", [rhythm], gap_seconds=600)
    tz = [{"user_id": b, "ts": at(0, timedelta(hours=2)), "type": "login"},
          {"user_id": b, "ts": at(20, timedelta(hours=-5)), "type": "search"},
          {"user_id": b, "ts": at(45, timedelta(hours=5, minutes=30)), "type": "logout"}]
    case("offsets are normalised to UTC", "sessionize", [tz],
         hint="compare instants, not wall-clock text")
    dup = [{"user_id": c, "ts": at(0), "type": "click"},
           {"user_id": c, "ts": at(0, timedelta(hours=2)), "type": "click"},
           {"user_id": c, "ts": at(0), "type": "click"},
           {"user_id": c, "ts": at(1), "type": "click"}]
    case("duplicate events (same user, instant and type) count once", "sessionize", [dup])
    same_instant = [{"user_id": c, "ts": at(5), "type": "search"},
                    {"user_id": c, "ts": at(5), "type": "click"},
                    {"user_id": c, "ts": at(4), "type": "login"}]
    case("different types at one instant keep their input order", "sessionize", [same_instant])
    malformed = [{"user_id": a, "ts": at(0), "type": "login"}, None, ["not", "an", "event"],
                 {"user_id": "", "ts": at(1), "type": "click"},
                 {"user_id": a, "ts": "yesterday", "type": "click"},
                 {"user_id": a, "ts": "2024-13-01T00:00:00Z", "type": "click"},
                 {"user_id": a, "ts": at(2)[:19], "type": "click"},
                 {"user_id": a, "ts": at(3)},
                 {"user_id": 42, "ts": at(4), "type": "click"},
                 {"user_id": a, "ts": at(5), "type": "logout"}]
    case("malformed events are skipped, not fatal", "sessionize", [malformed],
         hint="skip events without a user, type or a valid ISO 8601 time with an offset")
    inter = [{"user_id": uid, "ts": at(m), "type": "click"}
             for m, uid in [(0, "u10"), (1, "u2"), (2, "u10"), (70, "u2"), (71, "u10")]]
    case("sessions are ordered by user id, then start", "sessionize", [inter])
    midnight = [{"user_id": b, "ts": "2024-06-30T23:50:00Z", "type": "login"},
                {"user_id": b, "ts": "2024-07-01T01:05:00+01:00", "type": "click"}]
    case("sessions may cross midnight", "sessionize", [midnight])
    case("session_stats of nothing is all zeros", "session_stats", [[]])
    even = sessionize(inter + tz + dup)
    case("session_stats: median, mean and bounce rate", "session_stats", [even])
    medium = random_log(rng, users=40, events=2_000)
    case("a realistic day of 2,000 events", "sessionize", [medium], points=3)
    case("stats of a realistic day", "session_stats", [sessionize(medium)], points=2)

    # Large inputs: a quadratic pass (list membership, per-user rescans) runs out of CPU here.
    big = random_log(rng, users=1_500, events=200_000, dup_rate=0.05)
    case("large: 200,000 events from 1,500 users", "sessionize", [big], points=4, group="large",
         hint="the work should grow about linearly with the number of events")
    dups = random_log(rng, users=300, events=60_000, dup_rate=0.9)
    case("large: a log with many duplicates", "sessionize", [dups], points=4, group="large")

    hidden = args.out / "hidden"
    public = args.out / "public" / "data"
    hidden.mkdir(parents=True, exist_ok=True)
    public.mkdir(parents=True, exist_ok=True)
    (hidden / "cases.json").write_text(json.dumps(cases, separators=(",", ":")))
    sample = random_log(random.Random(args.seed + 1), users=12, events=400)
    with (public / "sample_events.jsonl").open("w") as handle:
        for event in sample:
            handle.write(json.dumps(event) + "\n")


if __name__ == "__main__":
    main()
