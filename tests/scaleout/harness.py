"""Real deployments for the scale-out tests and the benchmarks.

A `Deployment` owns, for its lifetime only:

- a throwaway PostgreSQL database `vetta_scaleout_<hex>` (or SQLite in embedded mode),
- a Redis database number of its own, claimed with a marker key and flushed at the end (or the
  filesystem broker in a temporary VETTA_HOME),
- an isolated sandbox: its own slot uids, state directory and cgroup name, so that leftover
  processes can be attributed to it and nothing of other sandbox users on the machine is touched,
- the `vetta worker` (or `vetta up` / `vetta serve`) processes it starts, each in its own session
  so that a whole worker (main process and pool children) can be SIGKILLed like a lost machine.

Everything is undone by `close()`, also after a failure. The driver (`tests.scaleout.driver`) acts
through the services in a process of its own with the deployment's environment.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import psycopg
import redis

REPO = Path(__file__).resolve().parents[2]
VETTA = Path(sys.executable).with_name("vetta")
FIXTURE_BANK = REPO / "tests" / "grading" / "fixtures"
REAL_BANK = REPO / "exercises"
PG_SERVER = os.environ.get("VETTA_TEST_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("VETTA_TEST_REDIS_SERVER", "redis://127.0.0.1:6379")
OWNER_KEY = "vetta-scaleout:owner"
T = TypeVar("T")

# Variables of the caller's environment that would point a child at the wrong deployment.
_SCRUBBED = {
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "CELERY_BROKER_URL",
    "VETTA_HOME",
    "VETTA_CACHE_URL",
    "VETTA_EXERCISES_DIR",
    "VETTA_GRADING_CACHE",
}


def postgres_available() -> bool:
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_SERVER, socket_timeout=3).ping())
    except redis.RedisError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(
    probe: Callable[[], T | None], *, timeout: float, what: str, interval: float = 0.1
) -> T:
    """Polls `probe` until it returns something truthy, or fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _parents() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def descendants(pid: int) -> set[int]:
    """`pid` and every process below it (pool children, the sandbox launchers)."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, todo = {pid}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def processes_of_uids(uids: Iterable[int]) -> list[tuple[int, int, str]]:
    """(pid, uid, command line) of every live process whose real or effective uid is in `uids`."""
    wanted = set(uids)
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = next(
                line for line in (entry / "status").read_text().splitlines() if line[:4] == "Uid:"
            ).split()
            uid = next((int(u) for u in fields[1:3] if int(u) in wanted), None)
            if uid is not None:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append((int(entry.name), uid, cmdline.strip()))
    return found


@dataclass
class Process:
    """A Vetta process of the deployment, in a session of its own, logging to a file."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_log(self, needle: str, *, timeout: float) -> None:
        def seen() -> bool:
            if not self.alive():
                raise RuntimeError(f"{self.name} exited ({self.popen.returncode}):\n{self.tail()}")
            return needle in self.log_text()

        wait_for(seen, timeout=timeout, what=f"{self.name} to log {needle!r}", interval=0.2)

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL to the whole process group: the worker and its pool, as if the machine died.
        The sandbox launchers run in sessions of their own and must die with their parent."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self, grace: float = 30.0) -> None:
        """SIGTERM (Celery's warm shutdown; a supervisor stops its services), then SIGKILL to
        whatever of the process tree is left, services in sessions of their own included."""
        family = descendants(self.popen.pid) if self.alive() else set()
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=grace)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        for pid in family - {self.popen.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)


@dataclass
class Deployment:
    """One throwaway Vetta installation: see the module docstring. Use as a context manager."""

    scaleout: bool = True
    bank: Path = FIXTURE_BANK
    slots: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)
    token: str = field(default_factory=lambda: secrets.token_hex(4))
    processes: list[Process] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix=f"vetta-scaleout-{self.token}-"))
        # Generated variants (tens of MiB each for some exercises) go here, not into the
        # machine's shared cache; slot uids must be able to traverse it.
        self.grading_cache = Path(tempfile.mkdtemp(prefix=f"vetta-scaleout-cache-{self.token}-"))
        self.grading_cache.chmod(0o755)
        self.database = f"vetta_scaleout_{self.token}"
        self.redis_db: int | None = None
        # Own slot uids (well away from the default 60000 of other sandbox users), state
        # directory and cgroup: leftovers found there are this deployment's.
        self.uid_base = 61000 + random.randrange(0, 4000 // self.slots) * self.slots
        self.state_dir = Path(f"/run/vetta/scaleout-{self.token}")
        self.cgroup = f"vetta-scaleout-{self.token}"
        self._created_db = False

    # --- lifetime -----------------------------------------------------------------------------

    def __enter__(self) -> Deployment:
        try:
            if self.scaleout:
                self._create_database()
                self._claim_redis_db()
            self.driver("setup", timeout=300)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stops every process, then drops the database, the Redis keys, the sandbox's state
        directory and cgroups, and the home directory. Runs every step; raises the first error."""
        errors: list[str] = []
        for process in reversed(self.processes):
            try:
                process.stop()
            except Exception as exc:
                errors.append(f"stopping {process.name}: {exc}")
        steps: list[tuple[str, Callable[[], None]]] = [
            ("database", self._drop_database),
            ("redis", self._release_redis_db),
            ("sandbox", self._remove_sandbox_state),
        ]
        for name, step in steps:
            try:
                step()
            except Exception as exc:
                errors.append(f"cleaning the {name}: {exc}")
        shutil.rmtree(self.home, ignore_errors=True)
        shutil.rmtree(self.grading_cache, ignore_errors=True)
        if errors:
            raise RuntimeError("; ".join(errors))

    def _create_database(self) -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        self._created_db = True

    def _drop_database(self) -> None:
        if not self._created_db:
            return
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self._created_db = False

    def _claim_redis_db(self) -> None:
        """A database number nobody uses: empty, and marked as ours with a key set only if
        absent. Database 0, everyone's default, is left alone."""
        numbers = list(range(1, 16))
        random.shuffle(numbers)
        for number in numbers:
            client = redis.Redis.from_url(f"{REDIS_SERVER}/{number}")
            if client.dbsize() or not client.set(OWNER_KEY, self.token, nx=True):
                continue
            if client.dbsize() == 1:
                self.redis_db = number
                return
            client.delete(OWNER_KEY)
        raise RuntimeError("no free Redis database (1-15) to run in")

    def _release_redis_db(self) -> None:
        if self.redis_db is None:
            return
        client = redis.Redis.from_url(f"{REDIS_SERVER}/{self.redis_db}")
        owner = client.get(OWNER_KEY)
        if owner is not None and owner.decode() == self.token:
            client.flushdb()
        self.redis_db = None

    def cgroup_dirs(self) -> list[Path]:
        """The sandbox's cgroup base directories of this deployment (one per v1 hierarchy)."""
        from vetta.grading.sandbox.cgroups import detect_layout

        return sorted(set(detect_layout(name=self.cgroup).bases.values()))

    def processes_in_cgroups(self) -> list[int]:
        pids = []
        for base in self.cgroup_dirs():
            for procs in base.glob("*/cgroup.procs"):
                with contextlib.suppress(FileNotFoundError):
                    pids += [int(p) for p in procs.read_text().split()]
        return pids

    def _remove_sandbox_state(self) -> None:
        leftovers = self.sandbox_processes()
        for pid, _, _ in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            wait_for(
                lambda: not self.sandbox_processes() and not self.processes_in_cgroups(),
                timeout=10,
                what="sandbox processes to go",
            )
        for base in self.cgroup_dirs():
            if not base.exists():
                continue
            for leaf in base.iterdir():
                if leaf.is_dir():
                    leaf.rmdir()
            base.rmdir()
        if self.state_dir.exists():
            if os.path.ismount(self.state_dir):
                subprocess.run(["umount", "--lazy", str(self.state_dir)], check=True)
            shutil.rmtree(self.state_dir, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            (self.state_dir.parent / f".{self.state_dir.name}.lock").unlink()
        if leftovers:
            raise RuntimeError(f"sandbox processes were left over: {leftovers}")

    # --- environment and processes ------------------------------------------------------------

    @property
    def database_url(self) -> str:
        if self.scaleout:
            return f"{PG_SERVER}/{self.database}"
        return f"sqlite:///{self.home / 'vetta.sqlite3'}"

    @property
    def broker_url(self) -> str:
        return f"{REDIS_SERVER}/{self.redis_db}" if self.scaleout else "filesystem://"

    @property
    def slot_uids(self) -> range:
        return range(self.uid_base, self.uid_base + self.slots)

    def env(self, **overrides: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
        env.update(
            VETTA_HOME=str(self.home),
            DATABASE_URL=self.database_url,
            CELERY_BROKER_URL=self.broker_url,
            VETTA_EXERCISES_DIR=str(self.bank),
            VETTA_GRADING_CACHE=str(self.grading_cache),
            VETTA_SANDBOX_SLOTS=str(self.slots),
            VETTA_SANDBOX_UID_BASE=str(self.uid_base),
            VETTA_SANDBOX_STATE_DIR=str(self.state_dir),
            VETTA_SANDBOX_CGROUP=self.cgroup,
            VETTA_LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        )
        env.update(self.extra_env)
        env.update(overrides)
        return env

    def driver(self, *args: str, timeout: float = 300) -> dict[str, Any]:
        """Runs one driver command with the deployment's environment; its JSON answer."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.scaleout.driver", *args],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"driver {args[0]} failed ({done.returncode}):\n{done.stderr}")
        answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return answer

    def start(self, name: str, argv: list[str], **env: str) -> Process:
        logs = self.home / "logs"
        logs.mkdir(exist_ok=True)
        log = logs / f"{name}.log"
        with log.open("ab") as sink:
            popen = subprocess.Popen(
                argv,
                cwd=REPO,
                env=self.env(**env),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name=name, popen=popen, log=log)
        self.processes.append(process)
        return process

    def start_worker(
        self, name: str, *, concurrency: int = 1, beat: bool = False, wait: bool = True, **env: str
    ) -> Process:
        argv = [str(VETTA), "worker", "--concurrency", str(concurrency)]
        if beat:
            argv.append("--beat")
        worker = self.start(name, argv, **env)
        if wait:
            worker.wait_log(" ready.", timeout=120)
        return worker

    def worker_of(self, identity: str) -> Process | None:
        """The started process a run's `worker` ("host:pid") belongs to, while it is alive."""
        if ":" not in identity:
            return None
        pid = int(identity.rsplit(":", 1)[1])
        for process in self.processes:
            if process.alive() and pid in descendants(process.pid):
                return process
        return None

    def sandbox_processes(self) -> list[tuple[int, int, str]]:
        return processes_of_uids(self.slot_uids)

    # --- reading the database directly (cheap polling, no Django in the test process) ---------

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[Any]:
        if self.scaleout:
            with psycopg.connect(self.database_url, autocommit=True) as connection:
                yield connection.cursor()
        else:
            connection = sqlite3.connect(f"file:{self.home / 'vetta.sqlite3'}?mode=ro", uri=True)
            try:
                yield connection.cursor()
            finally:
                connection.close()

    def query(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        """Rows of a read-only query; placeholders are %s on PostgreSQL, ? on SQLite."""
        with self._cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def runs(self, run_ids: list[str]) -> dict[str, dict[str, Any]]:
        """status, worker, claim, deliveries of each run (ids as the driver printed them)."""
        if not run_ids:
            return {}
        wanted = [r.replace("-", "") for r in run_ids] if not self.scaleout else run_ids
        marks = ",".join(["%s" if self.scaleout else "?"] * len(wanted))
        query = (
            "SELECT run_id, status, worker, claim, deliveries FROM assessments_gradingrun "
            f"WHERE run_id IN ({marks})"  # placeholders only
        )
        with self._cursor() as cursor:
            cursor.execute(query, wanted)
            rows = cursor.fetchall()
        by_hex = {r.replace("-", ""): r for r in run_ids}
        return {
            by_hex[str(run_id).replace("-", "")]: {
                "status": status,
                "worker": worker,
                "claim": claim,
                "deliveries": deliveries,
            }
            for run_id, status, worker, claim, deliveries in rows
        }

    def wait_finished(self, run_ids: list[str], *, timeout: float) -> dict[str, dict[str, Any]]:
        def finished() -> dict[str, dict[str, Any]] | None:
            rows = self.runs(run_ids)
            done = len(rows) == len(run_ids) and all(
                r["status"] in {"done", "failed"} for r in rows.values()
            )
            return rows if done else None

        try:
            return wait_for(finished, timeout=timeout, what="every run to finish", interval=0.25)
        except TimeoutError as exc:
            states = sorted(r["status"] for r in self.runs(run_ids).values())
            logs = "\n".join(f"--- {p.name}\n{p.tail()}" for p in self.processes)
            raise TimeoutError(f"{exc}; statuses {states}\n{logs}") from None
