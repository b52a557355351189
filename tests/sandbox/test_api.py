"""The API the graders use: files, collect, binds, env, stdin, spawn and the network namespace,
sandbox errors, slots. Behaviour a grader would notice, against the real sandbox."""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import threading
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.sandbox.conftest import FAST, attack, lines, processes_of, slot_uids
from vetta.grading.sandbox import (
    Bind,
    Limits,
    MiB,
    NetworkMode,
    SandboxError,
    SandboxProcess,
    Verdict,
    bwrap,
    run,
    runner,
    runtime_python,
    spawn,
)
from vetta.grading.sandbox.cgroups import RunCgroup
from vetta.grading.sandbox.config import config

pytestmark = [pytest.mark.sandbox, pytest.mark.usefixtures("sandbox")]


def test_files_land_in_work_and_collected_files_come_back() -> None:
    outcome = run(
        ["python", "main.py"],
        files={"main.py": b"import pkg.mod\n", "pkg/__init__.py": b"", "pkg/mod.py": MOD},
        collect=["out/result.json", "missing.json", "big.bin"],
        collect_max_bytes=1024,
        limits=FAST,
    )
    assert outcome.verdict is Verdict.OK, outcome
    assert json.loads(outcome.files["out/result.json"]) == {"answer": 42}
    assert outcome.collect_errors == {
        "missing.json": "missing.json does not exist",
        "big.bin": "big.bin is 2048 bytes, over the 1024-byte cap",
    }


MOD = b"""
import os
os.makedirs("out")
open("out/result.json", "w").write('{"answer": 42}')
open("big.bin", "wb").write(b"x" * 2048)
"""


@pytest.mark.parametrize("name", ["/etc/passwd", "../escape.py", "a/../../b", "", "./x/../y"])
def test_unsafe_file_names_are_refused_before_anything_runs(name: str) -> None:
    with pytest.raises(ValueError, match="path"):
        run(["true"], files={name: b"x"})


def test_files_larger_than_work_are_refused() -> None:
    with pytest.raises(ValueError, match="work_bytes"):
        run(["true"], files={"big": b"x" * (2 * MiB)}, limits=Limits(work_bytes=1 * MiB))


@pytest.mark.parametrize("target", ["/usr/lib/x", "/proc", "/", "relative", "/etc", "/work"])
def test_binds_over_the_sandbox_system_are_refused(target: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="bind"):
        run(["true"], binds=[Bind(tmp_path, target)])


def test_a_shell_string_command_is_refused() -> None:
    with pytest.raises(ValueError, match="sequence"):
        run("python -c pass")  # type: ignore[arg-type]


def test_stdin_env_path_and_thread_count_reach_the_command() -> None:
    outcome = attack(
        """
        import os, shutil, sys
        print(sys.stdin.read())
        print(os.environ["DECLARED"], os.environ["OMP_NUM_THREADS"], os.environ["HOME"])
        print(shutil.which("python"), sys.executable)
        print(os.getcwd())
        """,
        stdin=b"from stdin",
        env={"DECLARED": "yes"},
        limits=Limits(cpu_quota=2.0),
    )
    runtime_bin = str(Path(runtime_python()).parent)
    assert lines(outcome) == [
        "from stdin",
        "yes 2 /work",
        f"{runtime_bin}/python {runtime_bin}/python",
        "/work",
    ]


def test_read_only_and_writable_binds(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "train.csv").write_text("x,y\n1,2\n")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o777)  # the slot uid writes here as "others"
    tmp_path.chmod(0o755)
    outcome = attack(
        """
        print(open("/data/train.csv").read().splitlines()[1])
        open("/out/model.json", "w").write("{}")
        """,
        binds=[Bind(data, "/data"), Bind(out, "/out", writable=True)],
    )
    assert outcome.verdict is Verdict.OK, outcome
    assert lines(outcome) == ["1,2"]
    assert (out / "model.json").read_text() == "{}"


def test_binds_below_private_host_directories_work(tmp_path: Path) -> None:
    private = tmp_path / "private"  # like /root/...: the slot uid cannot traverse this
    private.mkdir(mode=0o700)
    harness = private / "harness"
    harness.mkdir(mode=0o755)
    (harness / "shim.py").write_text("print('shim ran')\n")
    (harness / "shim.py").chmod(0o644)
    outcome = run(["python", "/harness/shim.py"], binds=[Bind(harness, "/harness")], limits=FAST)
    assert lines(outcome) == ["shim ran"]


def test_the_runtime_has_the_promised_libraries() -> None:
    outcome = attack(
        """
        import fastapi, httpx, numpy, pandas, pydantic, pytest, sklearn, torch, uvicorn
        from sklearn.linear_model import LogisticRegression
        x = numpy.array([[0.0], [1.0], [2.0], [3.0]])
        model = LogisticRegression().fit(x, [0, 0, 1, 1])
        print(model.predict([[2.5]])[0], torch.tensor([1.0, 2.0]).sum().item(), torch.__version__)
        """,
        limits=Limits(memory_bytes=1024 * MiB, cpu_seconds=60, wall_seconds=120),
    )
    assert outcome.verdict is Verdict.OK, outcome.stderr[-2000:]
    assert lines(outcome) == ["1 3.0 2.13.0+cpu"]


def test_pytest_runs_inside_with_plugin_autoload_off() -> None:
    tests = b"def test_a():\n    assert 1\n\ndef test_b():\n    assert 0\n"
    outcome = run(
        ["python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_x.py"],
        files={"test_x.py": tests},
        env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        limits=Limits(cpu_seconds=20, wall_seconds=40),
    )
    assert outcome.verdict is Verdict.RUNTIME_ERROR and outcome.exit_code == 1
    assert b"1 failed, 1 passed" in outcome.stdout


SERVER = """
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"status": "ok"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        return bytes(response.read())


def _free_host_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_spawned_server_is_reachable_only_through_netns_call() -> None:
    port = _free_host_port()
    url = f"http://127.0.0.1:{port}/"
    with spawn(["python", "-c", SERVER, str(port)], limits=FAST) as proc:
        proc.wait_port(port, timeout=10)
        assert proc.netns_call(lambda: _get(url)) == b'{"status": "ok"}'
        with pytest.raises(OSError):  # the host's own loopback has no such server
            _get(url)
        assert proc.alive
    outcome = proc.stop()
    assert outcome.verdict is Verdict.OK and outcome.signal == 9
    assert outcome.message == "stopped by the grader"
    assert not proc.alive
    assert processes_of(slot_uids()) == []


FASTAPI_APP = """
from fastapi import FastAPI
from pydantic import BaseModel
app = FastAPI()
class Features(BaseModel):
    x: float
@app.post("/predict")
def predict(features: Features) -> dict:
    return {"y": 2 * features.x}
"""


def test_a_fastapi_service_under_uvicorn_answers_the_trusted_client() -> None:
    import httpx

    command = ["python", "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", "8080"]
    limits = Limits(memory_bytes=512 * MiB, cpu_seconds=30, wall_seconds=60)
    with spawn(command, files={"app.py": FASTAPI_APP.encode()}, limits=limits) as proc:
        proc.wait_port(8080, timeout=30)

        def client() -> object:
            with httpx.Client(base_url="http://127.0.0.1:8080", trust_env=False) as http:
                return http.post("/predict", json={"x": 21}).json()

        assert proc.netns_call(client) == {"y": 42.0}
    assert proc.stop().verdict is Verdict.OK


def test_a_server_past_its_wall_clock_gets_wall_time() -> None:
    proc = spawn(["python", "-c", SERVER, "8000"], limits=Limits(wall_seconds=1))
    outcome = proc.wait(timeout=30)
    assert outcome is not None and outcome.verdict is Verdict.WALL_TIME


def test_wait_port_reports_a_server_that_died() -> None:
    with (
        spawn(["python", "-c", "raise SystemExit(3)"], limits=FAST) as proc,
        pytest.raises(SandboxError, match="ended before listening"),
    ):
        proc.wait_port(8000, timeout=30)
    assert proc.stop().verdict is Verdict.RUNTIME_ERROR


def test_netns_call_needs_loopback_mode() -> None:
    with (
        spawn(["sleep", "30"], network=NetworkMode.NONE, limits=FAST) as proc,
        pytest.raises(SandboxError, match="LOOPBACK"),
    ):
        proc.netns_call(lambda: None)


def test_a_missing_runtime_is_a_sandbox_error_and_nothing_runs_unsandboxed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    witness = Path(f"/var/tmp/vetta-must-not-exist-{uuid.uuid4().hex}")
    monkeypatch.setenv("VETTA_SANDBOX_RUNTIME", "/nonexistent/runtime")
    config.cache_clear()
    try:
        outcome = run(["sh", "-c", f"touch {witness}"])
    finally:
        monkeypatch.undo()
        config.cache_clear()
    assert outcome.verdict is Verdict.SANDBOX_ERROR
    assert "vetta sandbox setup" in outcome.message
    assert not witness.exists()


def test_bubblewrap_failing_before_the_command_starts_is_a_sandbox_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = bwrap.bwrap_args

    def broken(**kwargs: object) -> list[str]:
        return [*real(**kwargs), "--ro-bind", "/nonexistent-source", "/x"]  # type: ignore[arg-type]

    monkeypatch.setattr(bwrap, "bwrap_args", broken)
    outcome = run(["true"])
    assert outcome.verdict is Verdict.SANDBOX_ERROR
    assert "bubblewrap failed before the command started" in outcome.message
    assert "nonexistent-source" in outcome.message
    with pytest.raises(SandboxError, match="bubblewrap failed"):
        spawn(["sleep", "10"])


def test_a_launcher_that_cannot_join_the_cgroups_is_a_sandbox_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(RunCgroup, "join_files", property(lambda self: ["/nonexistent/procs"]))
    outcome = run(["true"])
    assert outcome.verdict is Verdict.SANDBOX_ERROR
    assert "could not join cgroups" in outcome.message


def test_a_candidate_faking_a_bubblewrap_error_is_still_a_runtime_error() -> None:
    outcome = attack(
        """
        import sys
        print("bwrap: Can't find source path /x: No such file or directory", file=sys.stderr)
        sys.exit(1)
        """
    )
    assert outcome.verdict is Verdict.RUNTIME_ERROR


def test_argv_and_environment_hold_no_host_path_of_hidden_material(tmp_path: Path) -> None:
    hidden = tmp_path / f"hidden-{uuid.uuid4().hex}"
    hidden.mkdir()
    (hidden / "tests.py").write_text("secret = 1\n")
    outcome = attack(
        """
        import os
        blobs = []
        for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
            for name in ("cmdline", "environ"):
                try:
                    blobs.append(open(f"/proc/{pid}/{name}", "rb").read())
                except OSError:
                    pass
        print(len(blobs), b"".join(blobs).decode(errors="replace"))
        """,
        binds=[Bind(hidden, "/harness")],
    )
    assert outcome.verdict is Verdict.OK, outcome
    assert hidden.name.encode() not in outcome.stdout
    assert str(tmp_path).encode() not in outcome.stdout


def test_a_third_run_waits_for_a_free_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = config()
    holders = [
        spawn(["sleep", "60"], network=NetworkMode.NONE, limits=FAST) for _ in range(cfg.slots)
    ]
    finished = threading.Event()

    def third() -> None:
        run(["true"], limits=FAST)
        finished.set()

    waiter = threading.Thread(target=third)
    waiter.start()
    try:
        assert not finished.wait(0.5)  # every slot is busy: the run waits rather than share one
    finally:
        holders[0].stop()
        waiter.join(timeout=30)
        for holder in holders[1:]:
            holder.stop()
    assert finished.is_set()


def test_runner_setup_errors_release_everything() -> None:
    # A bind whose source vanished between the check and the mount: nothing may stay behind.
    ghost = Path(f"/var/tmp/vetta-ghost-{uuid.uuid4().hex}")
    ghost.mkdir()
    binds = [Bind(ghost, "/ghost")]
    real_check = bwrap.check_bind
    try:
        bwrap.check_bind = lambda bind, runtime: (real_check(bind, runtime), ghost.rmdir())  # type: ignore[assignment, func-returns-value]
        outcome = run(["true"], binds=binds)
    finally:
        bwrap.check_bind = real_check
    assert outcome.verdict is Verdict.SANDBOX_ERROR
    state = config().state_dir
    assert not any(state.glob("slot-*/binds/*"))
    assert not any((state / f"slot-{k}" / "work").is_mount() for k in range(config().slots))
    assert runner.cgroup_layout() is not None


def test_a_server_outlives_the_thread_that_spawned_it() -> None:
    box: list[SandboxProcess] = []
    starter = threading.Thread(
        target=lambda: box.append(spawn(["sleep", "30"], network=NetworkMode.NONE, limits=FAST))
    )
    starter.start()
    starter.join()  # the thread that forked the launcher is gone now
    proc = box[0]
    assert proc.wait(timeout=0.3) is None and proc.alive
    assert proc.stop().verdict is Verdict.OK


CRASHING_WORKER = """
import os, sys
from vetta.grading.sandbox import NetworkMode, spawn
procs = [spawn(["sleep", "60"], network=mode) for mode in (NetworkMode.NONE, NetworkMode.LOOPBACK)]
print("up", flush=True)
sys.stdin.read(1)
os._exit(1)  # dies without cleaning anything, like a worker hit by the OOM killer
"""


def test_a_crashed_worker_takes_its_sandboxes_down_and_the_next_run_cleans_up() -> None:
    worker = subprocess.Popen(
        [sys.executable, "-c", CRASHING_WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert worker.stdout is not None and worker.stdin is not None
    assert worker.stdout.readline() == b"up\n"
    running = processes_of(slot_uids())
    assert running  # the two sleepers and their bubblewrap monitors
    pidfds = [os.pidfd_open(int(entry.split()[0])) for entry in running]
    worker.stdin.close()  # the worker exits now
    worker.wait()
    worker.stdout.close()
    try:
        pending = list(pidfds)
        while pending:  # wait for each process's exit event
            ready, _, _ = select.select(pending, [], [], 10)
            assert ready, f"still running: {processes_of(slot_uids())}"
            pending = [fd for fd in pending if fd not in ready]
    finally:
        for fd in pidfds:
            os.close(fd)
    # Its mounts and cgroups are still there; the next holder of each slot removes them.
    holders = [
        spawn(["true"], network=NetworkMode.NONE, limits=FAST) for _ in range(config().slots)
    ]
    for holder in holders:
        assert holder.stop().verdict is Verdict.OK
