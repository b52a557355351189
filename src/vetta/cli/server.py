"""`vetta serve`, `vetta up`, `vetta createadmin`: run Vetta and prepare an installation."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.panel import Panel

from vetta.cli._django import setup_django

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

HostOption = Annotated[
    str, typer.Option("--host", help="Address to listen on; 0.0.0.0 listens on every interface.")
]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port to listen on.")]
WorkersOption = Annotated[
    int, typer.Option("--workers", min=1, max=64, help="Gunicorn worker processes for the web.")
]


# --- A small process supervisor -----------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    """One long-running process `vetta up` / `vetta serve` keeps alive next to the others."""

    name: str
    argv: list[str]


class Supervisor:
    """Starts services, stops them all when one exits or on Ctrl-C / SIGTERM.

    Each child runs in its own session so the terminal's Ctrl-C reaches only the supervisor, which
    then stops the children in order with SIGTERM (graceful) and SIGKILL after ``grace`` seconds.
    The embedded Celery worker is meant to be one more ``Service`` in the list.
    """

    def __init__(self, services: list[Service], *, grace: float = 10.0) -> None:
        self.services = services
        self.grace = grace
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = threading.Event()
        self.first_exit: tuple[str, int] | None = None
        self._previous: dict[int, Any] = {}

    def start(self) -> None:
        # Handlers first: a Ctrl-C that arrives while the children start (or while we wait for
        # the web to answer) must still stop them; they run in their own sessions and would
        # otherwise outlive us.
        self._previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        for service in self.services:
            self.processes[service.name] = subprocess.Popen(service.argv, start_new_session=True)
        for name, process in self.processes.items():
            threading.Thread(target=self._watch, args=(name, process), daemon=True).start()

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def _watch(self, name: str, process: subprocess.Popen[bytes]) -> None:
        code = process.wait()
        if not self.stopping.is_set() and self.first_exit is None:
            self.first_exit = (name, code)
        self.stopping.set()

    def running(self) -> bool:
        return not self.stopping.is_set()

    def wait(self) -> int:
        """Blocks until a service exits or a signal arrives; stops everything; returns a code."""
        try:
            self.stopping.wait()
        finally:
            console.print("Stopping Vetta…")
            self.stop()
        if self.first_exit is not None:
            name, code = self.first_exit
            err.print(f"[red]{name} stopped unexpectedly (exit code {code}); stopped the rest.[/]")
            return code or 1
        return 0

    def stop(self) -> None:
        self.stopping.set()
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous = {}


def _web_service(host: str, port: int, workers: int) -> Service:
    return Service(
        name="web",
        argv=[
            sys.executable,
            "-m",
            "gunicorn",
            "vetta.config.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--graceful-timeout",
            "10",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
    )


def _celery_worker(*options: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "--app",
        "vetta.config.celery",
        "worker",
        *options,
        "--prefetch-multiplier",
        "1",
        "--optimization",
        "fair",
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
    ]


def _worker_services(concurrency: int | None, beat: bool) -> list[Service]:
    """The grading worker and, with `beat`, the periodic one: the reaper and the deadline check
    in a process of their own, on their own queue, so that a backlog of gradings never delays
    them (a run whose worker died is re-queued within about 1.25 x the stale period)."""
    from django.conf import settings

    from vetta.config.celery import GRADING_QUEUE, PERIODIC_QUEUE
    from vetta.grading.sandbox.config import load_config

    slots = concurrency or load_config().slots
    services = [
        Service(
            name="worker",
            argv=_celery_worker("--queues", GRADING_QUEUE, "--concurrency", str(slots)),
        )
    ]
    if beat:
        schedule = Path(settings.VETTA_HOME) / "celerybeat-schedule"
        services.append(
            Service(
                name="periodic",
                argv=_celery_worker(
                    "--queues",
                    PERIODIC_QUEUE,
                    "--pool",
                    "solo",
                    "--hostname",
                    "periodic@%h",
                    "--beat",
                    "--schedule",
                    str(schedule),
                ),
            )
        )
    return services


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


def _wait_until_ready(url: str, supervisor: Supervisor, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and supervisor.running():
        try:
            if httpx.get(f"{url}healthz", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        supervisor.stopping.wait(0.2)
    return False


def _run(services: list[Service], url: str, banner: Panel | None = None) -> None:
    supervisor = Supervisor(services)
    supervisor.start()
    try:
        ready = _wait_until_ready(url, supervisor)
    except BaseException:
        supervisor.stop()  # never leave the services running without their supervisor
        raise
    if ready:
        console.print(banner or f"Vetta is serving at [bold]{url}[/]")
        console.print("Press [bold]Ctrl-C[/] to stop.")
    elif supervisor.running():
        err.print(f"[yellow]warning:[/] {url}healthz did not answer within 60 s; still trying.")
    raise typer.Exit(supervisor.wait())


def _check_port(host: str, port: int) -> None:
    if not _port_free(host, port):
        err.print(f"[red]error:[/] {host}:{port} is already in use; choose another with --port.")
        raise typer.Exit(2)


# --- Commands -----------------------------------------------------------------------------------


def serve(
    host: HostOption = "127.0.0.1", port: PortOption = 8000, workers: WorkersOption = 2
) -> None:
    """Serve the web application with gunicorn (the database must be migrated: see `vetta up`)."""
    _check_port(host, port)
    _run([_web_service(host, port, workers)], _url(host, port))


def up(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    workers: WorkersOption = 2,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Prepare everything, print it, but do not serve.")
    ] = False,
) -> None:
    """Start Vetta in embedded mode: migrate, load the catalog, create the demo, then serve.

    Safe to run again: it only adds what is missing.
    The first run creates a demo organisation and an `admin` account with a random password,
    kept in VETTA_HOME/admin-credentials.txt.
    """
    if not no_serve:
        _check_port(host, port)
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from vetta.assessments.services.bank import bank_sync
    from vetta.catalog.services import catalog_load
    from vetta.orgs.services import demo_setup

    started = time.monotonic()
    with console.status("Migrating the database"):
        call_command("migrate", interactive=False, verbosity=0)
    catalog = catalog_load()
    bank = bank_sync()
    for directory, problems in bank.invalid.items():
        err.print(f"[yellow]warning:[/] exercise {directory} left out: {problems[0]}")
    demo = demo_setup(password_file=Path(settings.VETTA_HOME) / "admin-credentials.txt")
    url = _url(host, port)
    password = demo.password or "[yellow](changed since the first run, not shown)[/]"
    database = settings.DATABASES["default"]
    where = database["NAME"] if str(database["ENGINE"]).endswith("sqlite3") else "PostgreSQL"
    banner = Panel.fit(
        f"Open      [bold]{url}[/]\n"
        f"Username  [bold]{demo.username}[/]\n"
        f"Password  [bold]{password}[/]\n\n"
        f"Organisation  {demo.organisation.name}\n"
        f"Catalog       version {catalog.version}\n"
        f"Exercises     {len(bank.loaded)} in the bank\n"
        f"Database      {where}\n"
        f"Data          {settings.VETTA_HOME}",
        title="Vetta is ready",
        border_style="green",
    )
    console.print(f"Prepared in {time.monotonic() - started:.1f} s.")
    if no_serve:
        console.print(banner)
        return
    # The supervisor only waits from here on; it should not hold a database connection open.
    connections.close_all()
    _run([_web_service(host, port, workers), *_worker_services(None, beat=True)], url, banner)


def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            help="Parallel gradings (default: the sandbox's slots, VETTA_SANDBOX_SLOTS).",
        ),
    ] = None,
    beat: Annotated[
        bool,
        typer.Option(
            "--beat/--no-beat",
            help="Also run the periodic reaper and deadline checks (in a second, small process "
            "on a queue of their own). Exactly one worker of an installation should.",
        ),
    ] = False,
) -> None:
    """Start a grading worker (Celery) on this machine: embedded or scale-out, per the settings.

    Scale-out: set DATABASE_URL and CELERY_BROKER_URL as on the web machines, and run
    `vetta sandbox check` first; candidate code only runs sandboxed.
    """
    setup_django()
    services = _worker_services(concurrency, beat)
    if len(services) == 1:
        argv = services[0].argv
        os.execv(argv[0], argv)  # noqa: S606 - replaces this process with the worker, by design
    # The Django connections of this process are not needed while it only supervises.
    from django.db import connections

    connections.close_all()
    # A stopping worker finishes its gradings first (Celery's warm shutdown): give it time.
    supervisor = Supervisor(services, grace=60.0)
    supervisor.start()
    raise typer.Exit(supervisor.wait())


def createadmin(
    username: Annotated[str, typer.Option(prompt=True, help="Login name of the new operator.")],
    email: Annotated[str, typer.Option(prompt=True, help="E-mail address for password resets.")],
    organisation: Annotated[
        str | None,
        typer.Option(help="Also make the account an owner of this organisation (created if new)."),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an operator account (a Django superuser who can use /admin/)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    setup_django()
    from vetta.orgs.services import OrgsError, admin_account_create

    try:
        user = admin_account_create(
            username=username, email=email, password=password, organisation_name=organisation
        )
    except OrgsError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    console.print(f"Created operator [bold]{user.get_username()}[/].")


def register_top_level(root: typer.Typer) -> None:
    """Adds the server commands to the root command."""
    root.command("serve")(serve)
    root.command("up")(up)
    root.command("createadmin")(createadmin)
    root.command("worker")(worker)
