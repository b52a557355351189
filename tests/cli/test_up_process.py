"""`vetta up` from a fresh VETTA_HOME: a real process, a real login page, a clean Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

VETTA = Path(sys.executable).with_name("vetta")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_vetta_up_serves_the_login_page_from_a_fresh_home_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "VETTA_CACHE_URL"}
    }
    env.update(VETTA_HOME=str(tmp_path / "home"), CELERY_BROKER_URL="filesystem://")
    process = subprocess.Popen(
        [str(VETTA), "up", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = []
    try:
        # `vetta up` prints this line once /healthz answers: the event to wait for.
        for line in process.stdout:
            output.append(line)
            if "Press Ctrl-C to stop." in line:
                break
        text = "".join(output)
        assert f"http://127.0.0.1:{port}/" in text, text
        password = (tmp_path / "home" / "admin-credentials.txt").read_text().split()[1]
        assert password in text

        login = httpx.get(f"http://127.0.0.1:{port}/login/")
        assert login.status_code == 200
        assert "<h1>Log in</h1>" in login.text
        css = httpx.get(f"http://127.0.0.1:{port}/static/vetta/vetta.css")
        assert css.status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
        rest = process.stdout.read()
        process.stdout.close()
    assert code == 0, "".join(output) + rest
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/login/", timeout=2)
