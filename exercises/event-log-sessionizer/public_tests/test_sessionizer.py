"""Example tests you can run; the hidden tests check the same rules on other data."""

from sessionizer import session_stats, sessionize


def test_a_long_gap_starts_a_new_session():
    events = [
        {"user_id": "u1", "ts": "2024-05-06T09:00:00Z", "type": "login"},
        {"user_id": "u1", "ts": "2024-05-06T09:10:00Z", "type": "search"},
        {"user_id": "u1", "ts": "2024-05-06T10:30:00Z", "type": "page_view"},
    ]
    assert sessionize(events) == [
        {"user_id": "u1", "start": "2024-05-06T09:00:00Z", "end": "2024-05-06T09:10:00Z",
         "duration_seconds": 600, "event_count": 2, "event_types": ["login", "search"]},
        {"user_id": "u1", "start": "2024-05-06T10:30:00Z", "end": "2024-05-06T10:30:00Z",
         "duration_seconds": 0, "event_count": 1, "event_types": ["page_view"]},
    ]


def test_events_arrive_out_of_order():
    events = [
        {"user_id": "u1", "ts": "2024-05-06T09:10:00Z", "type": "search"},
        {"user_id": "u1", "ts": "2024-05-06T11:00:00+02:00", "type": "login"},
    ]
    (session,) = sessionize(events)
    assert session["event_types"] == ["login", "search"]
    assert session["start"] == "2024-05-06T09:00:00Z"


def test_session_stats_of_a_small_log():
    sessions = sessionize([
        {"user_id": "u1", "ts": "2024-05-06T09:00:00Z", "type": "login"},
        {"user_id": "u2", "ts": "2024-05-06T09:00:00Z", "type": "login"},
        {"user_id": "u2", "ts": "2024-05-06T09:05:00Z", "type": "logout"},
    ])
    assert session_stats(sessions) == {
        "sessions": 2, "users": 2, "mean_duration_seconds": 150.0,
        "median_events_per_session": 1.5, "bounce_rate": 0.5,
    }
