"""Correct rules, but duplicates are found by scanning a list and each user's events by
rescanning the whole log: fine on small logs, far too slow on a day of traffic."""

from datetime import datetime, timezone
import re
import statistics

_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def _parse(ts):
    if not isinstance(ts, str) or not _TS.match(ts):
        return None
    try:
        return datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return None


def sessionize(events, gap_seconds=1800):
    valid = []
    seen = []
    for index, e in enumerate(events):
        if not isinstance(e, dict):
            continue
        user, kind, moment = e.get("user_id"), e.get("type"), _parse(e.get("ts"))
        if not isinstance(user, str) or not user or not isinstance(kind, str) or not kind or moment is None:
            continue
        key = (user, moment, kind)
        if key in seen:  # O(n) per event
            continue
        seen.append(key)
        valid.append((user, moment, index, kind))
    users = sorted({v[0] for v in valid})
    out = []
    for user in users:
        rows = sorted((m, i, k) for u, m, i, k in valid if u == user)  # rescans everything
        current = []
        for row in rows:
            if current and (row[0] - current[-1][0]).total_seconds() > gap_seconds:
                out.append(_session(user, current))
                current = []
            current.append(row)
        if current:
            out.append(_session(user, current))
    return out


def _session(user, rows):
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return {"user_id": user, "start": rows[0][0].strftime(fmt), "end": rows[-1][0].strftime(fmt),
            "duration_seconds": int((rows[-1][0] - rows[0][0]).total_seconds()),
            "event_count": len(rows), "event_types": [r[2] for r in rows]}


def session_stats(sessions):
    if not sessions:
        return {"sessions": 0, "users": 0, "mean_duration_seconds": 0.0,
                "median_events_per_session": 0.0, "bounce_rate": 0.0}
    return {"sessions": len(sessions), "users": len({s["user_id"] for s in sessions}),
            "mean_duration_seconds": round(sum(s["duration_seconds"] for s in sessions) / len(sessions), 3),
            "median_events_per_session": float(statistics.median(s["event_count"] for s in sessions)),
            "bounce_rate": round(sum(s["event_count"] == 1 for s in sessions) / len(sessions), 3)}
