"""Vetta's settings plus a `Server-Timing` header (bench/load/timing.py), so the benchmark can
tell the time spent in Django from the time a request waited for a free gunicorn worker. The
URLs, the views and everything else are Vetta's own."""

from vetta.config.settings import *  # noqa: F403
from vetta.config.settings import MIDDLEWARE

MIDDLEWARE = ["bench.load.timing.ServerTiming", *MIDDLEWARE]
