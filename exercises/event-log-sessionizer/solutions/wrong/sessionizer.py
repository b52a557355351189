"""Splits on >= instead of >, trusts the input order, and crashes on malformed rows."""

from datetime import datetime


def sessionize(events, gap_seconds=1800):
    out = []
    last = {}
    for e in events:
        moment = datetime.fromisoformat(e["ts"].replace("Z", "+00:00"))
        user = e["user_id"]
        if user in last and (moment - last[user]["_end"]).total_seconds() < gap_seconds:
            s = last[user]
            s["_end"] = moment
            s["event_count"] += 1
            s["event_types"].append(e["type"])
        else:
            s = {"user_id": user, "_start": moment, "_end": moment, "event_count": 1,
                 "event_types": [e["type"]]}
            out.append(s)
            last[user] = s
    result = []
    for s in out:
        start, end = s.pop("_start"), s.pop("_end")
        result.append({"user_id": s["user_id"], "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "end": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "duration_seconds": int((end - start).total_seconds()),
                       "event_count": s["event_count"], "event_types": s["event_types"]})
    return result


def session_stats(sessions):
    n = len(sessions)
    return {"sessions": n, "users": len({s["user_id"] for s in sessions}),
            "mean_duration_seconds": sum(s["duration_seconds"] for s in sessions) / max(n, 1),
            "median_events_per_session": sorted(s["event_count"] for s in sessions)[n // 2] if n else 0,
            "bounce_rate": sum(s["event_count"] == 1 for s in sessions) / max(n, 1)}
