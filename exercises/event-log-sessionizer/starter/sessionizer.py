"""Sessionize a clickstream. See the statement for the exact rules."""

from __future__ import annotations


def sessionize(events: list[dict], gap_seconds: int = 1800) -> list[dict]:
    """Group valid, de-duplicated events into per-user sessions (see the statement)."""
    raise NotImplementedError


def session_stats(sessions: list[dict]) -> dict:
    """Summary statistics of the sessions returned by `sessionize`."""
    raise NotImplementedError
