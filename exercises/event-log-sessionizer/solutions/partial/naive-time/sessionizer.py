"""Fast and tidy, but reads the wall-clock text and drops the offset, and never de-duplicates:
right on single-zone logs, wrong on the real mixed-zone, retried traffic."""

from datetime import datetime
import statistics


def sessionize(events, gap_seconds=1800):
    per_user = {}
    for index, e in enumerate(events):
        if not isinstance(e, dict):
            continue
        user, kind, ts = e.get("user_id"), e.get("type"), e.get("ts")
        if not user or not kind or not isinstance(ts, str) or len(ts) < 20:
            continue
        try:
            moment = datetime.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            continue
        per_user.setdefault(user, []).append((moment, index, kind))
    out = []
    for user in sorted(per_user):
        current = []
        for row in sorted(per_user[user]):
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
