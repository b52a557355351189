"""Sessionize a clickstream: strong reference solution (linear after one sort per user)."""

from __future__ import annotations

import re
import statistics
from datetime import UTC, datetime

_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def _parse(ts: object) -> datetime | None:
    if not isinstance(ts, str) or not _TS.match(ts):
        return None
    try:
        parsed = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC)


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def sessionize(events: list[dict], gap_seconds: int = 1800) -> list[dict]:
    per_user: dict[str, list[tuple[datetime, int, str]]] = {}
    seen: set[tuple[str, datetime, str]] = set()
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        user, kind, moment = event.get("user_id"), event.get("type"), _parse(event.get("ts"))
        if not isinstance(user, str) or not user or not isinstance(kind, str) or not kind:
            continue
        if moment is None:
            continue
        key = (user, moment, kind)
        if key in seen:
            continue
        seen.add(key)
        per_user.setdefault(user, []).append((moment, index, kind))
    sessions: list[dict] = []
    for user in sorted(per_user):
        rows = sorted(per_user[user])
        current: list[tuple[datetime, int, str]] = []
        for row in rows:
            if current and (row[0] - current[-1][0]).total_seconds() > gap_seconds:
                sessions.append(_session(user, current))
                current = []
            current.append(row)
        if current:
            sessions.append(_session(user, current))
    return sessions


def _session(user: str, rows: list[tuple[datetime, int, str]]) -> dict:
    start, end = rows[0][0], rows[-1][0]
    return {
        "user_id": user,
        "start": _fmt(start),
        "end": _fmt(end),
        "duration_seconds": int((end - start).total_seconds()),
        "event_count": len(rows),
        "event_types": [row[2] for row in rows],
    }


def session_stats(sessions: list[dict]) -> dict:
    if not sessions:
        return {
            "sessions": 0,
            "users": 0,
            "mean_duration_seconds": 0.0,
            "median_events_per_session": 0.0,
            "bounce_rate": 0.0,
        }
    return {
        "sessions": len(sessions),
        "users": len({s["user_id"] for s in sessions}),
        "mean_duration_seconds": round(
            sum(s["duration_seconds"] for s in sessions) / len(sessions), 3
        ),
        "median_events_per_session": float(
            statistics.median(s["event_count"] for s in sessions)
        ),
        "bounce_rate": round(sum(s["event_count"] == 1 for s in sessions) / len(sessions), 3),
    }
