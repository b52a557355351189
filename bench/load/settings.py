"""Vetta's settings with the load benchmark's candidate endpoints mounted (bench/load/urls.py)
and a `Server-Timing` header, so the benchmark can tell the server's time from the client's."""

from vetta.config.settings import *  # noqa: F403
from vetta.config.settings import MIDDLEWARE

ROOT_URLCONF = "bench.load.urls"
MIDDLEWARE = ["bench.load.timing.ServerTiming", *MIDDLEWARE]
