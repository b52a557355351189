"""`vetta up`'s supervisor stops every service together."""

from __future__ import annotations

import subprocess
import sys

from vetta.cli.server import Service, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def test_when_one_service_dies_the_others_are_stopped_and_its_code_returned() -> None:
    supervisor = Supervisor(
        [Service("web", SLEEPER), Service("worker", [sys.executable, "-c", "raise SystemExit(3)"])],
        grace=5,
    )
    supervisor.start()
    assert supervisor.wait() == 3
    assert all(p.poll() is not None for p in supervisor.processes.values())


def test_stopping_terminates_every_service() -> None:
    supervisor = Supervisor([Service("a", SLEEPER), Service("b", SLEEPER)], grace=5)
    supervisor.start()
    supervisor.stop()
    codes = [p.wait() for p in supervisor.processes.values()]
    assert codes == [-15, -15]


def test_a_service_that_ignores_sigterm_is_killed_after_the_grace_period() -> None:
    stubborn = [
        sys.executable,
        "-c",
        "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('ready', flush=True); time.sleep(120)",
    ]
    supervisor = Supervisor([Service("stubborn", stubborn)], grace=0.5)
    # Started by hand to read its "ready" line: SIGTERM must arrive after it is ignored.
    supervisor.processes["stubborn"] = subprocess.Popen(stubborn, stdout=subprocess.PIPE)
    assert supervisor.processes["stubborn"].stdout is not None
    assert supervisor.processes["stubborn"].stdout.readline() == b"ready\n"
    supervisor.stop()
    assert supervisor.processes["stubborn"].wait() == -9
    supervisor.processes["stubborn"].stdout.close()


def test_a_signal_during_start_up_still_stops_every_service() -> None:
    import os
    import signal

    supervisor = Supervisor([Service("a", SLEEPER), Service("b", SLEEPER)], grace=5)
    supervisor.start()
    # Ctrl-C before the web answered: the handler is already in place, nothing is orphaned.
    os.kill(os.getpid(), signal.SIGINT)
    assert supervisor.wait() == 0
    assert [p.poll() for p in supervisor.processes.values()] == [-15, -15]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
