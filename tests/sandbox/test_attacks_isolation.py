"""Attacks 13-24 of SANDBOX.md (environment, fds, filesystem, network, kernel surface, result
files), plus two slots attacked at once. Numbers in test names match the table in SANDBOX.md."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from pathlib import Path

import pytest

from tests.sandbox.conftest import (
    FAST,
    SYSCALL_PROBE,
    attack,
    lines,
    processes_of,
    slot_uids,
)
from vetta.grading.sandbox import Bind, Limits, MiB, NetworkMode, Verdict, spawn

pytestmark = [pytest.mark.sandbox, pytest.mark.usefixtures("sandbox")]


def test_13_environments_hold_only_path_and_declared_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VETTA_TEST_HOST_SECRET", "s3cret")
    outcome = attack(
        """
        import json
        def names(path):
            entries = open(path, "rb").read().split(b"\\0")
            return sorted(e.split(b"=")[0].decode() for e in entries if e)
        print(json.dumps([names("/proc/1/environ"), names("/proc/self/environ")]))
        """,
        env={"DECLARED": "1"},
    )
    import json

    from vetta.grading.sandbox.bwrap import sandbox_env
    from vetta.grading.sandbox.runtime import require_runtime

    expected = sorted(sandbox_env(runtime=require_runtime(), limits=FAST, extra={"DECLARED": "1"}))
    assert json.loads(outcome.stdout) == [expected, expected]
    assert b"s3cret" not in outcome.stdout


def test_14_only_fds_0_1_2_are_inherited() -> None:
    keep_open = os.open("/dev/null", os.O_RDONLY)  # inheritable fds in the worker must not leak
    os.set_inheritable(keep_open, True)
    try:
        outcome = attack(
            """
            import os
            fds = []
            for fd in range(4096):
                try:
                    os.fstat(fd)
                    fds.append(fd)
                except OSError:
                    pass
            print(fds)
            """
        )
    finally:
        os.close(keep_open)
    assert lines(outcome) == ["[0, 1, 2]"]


def test_15_core_pattern_does_not_open_for_writing() -> None:
    outcome = attack(
        """
        import errno
        try:
            open("/proc/sys/kernel/core_pattern", "r+")  # opened, never written
            print("OPENED")
        except OSError as e:
            print(errno.errorcode[e.errno])
        """
    )
    assert lines(outcome)[0] in ("EACCES", "EROFS")


def test_16_writing_to_root_usr_runtime_and_the_submission_gets_erofs(tmp_path: Path) -> None:
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "solution.py").write_text("answer = 42\n")
    (submission / "solution.py").chmod(0o666)  # even world-writable: the mount is read-only
    submission.chmod(0o777)
    outcome = attack(
        """
        import errno, os
        targets = ["/new", "/usr/new", "/etc/new", "/bin/new", "/submission/new",
                   "/submission/solution.py", os.path.realpath("/opt/vetta/runtime") + "/new"]
        for path in targets:
            try:
                open(path, "a").close()
                print(path, "WRITTEN")
            except OSError as e:
                print(path, errno.errorcode[e.errno])
        """,
        binds=[Bind(submission, "/submission")],
    )
    results = dict(line.rsplit(" ", 1) for line in lines(outcome))
    assert set(results.values()) == {"EROFS"}, results
    assert (submission / "solution.py").read_text() == "answer = 42\n"
    assert sorted(p.name for p in submission.iterdir()) == ["solution.py"]


def test_17_walking_the_filesystem_finds_no_hidden_marker(
    host_secret: tuple[Path, str], tmp_path: Path
) -> None:
    secret, token = host_secret
    harness = tmp_path / "harness"
    harness.mkdir()
    (harness / "shim.py").write_text("pass\n")
    outcome = attack(
        f"""
        import os
        hits = []
        for root, dirs, files in os.walk("/"):
            if root == "/":
                dirs[:] = [d for d in dirs if d != "proc"]
            hits += [os.path.join(root, f) for f in files + dirs if "{token}" in f]
        print(len(hits), hits)
        """,
        binds=[Bind(harness, "/harness")],
        limits=Limits(cpu_seconds=20, wall_seconds=40),
    )
    assert outcome.verdict is Verdict.OK, outcome
    assert lines(outcome) == ["0 []"]
    assert secret.exists()


@pytest.mark.parametrize("network", [NetworkMode.NONE, NetworkMode.LOOPBACK])
def test_18_host_ports_external_ips_abstract_sockets_and_dns_are_unreachable(
    network: NetworkMode,
) -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    abstract_name = f"vetta-test-{uuid.uuid4().hex}"
    abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    abstract.bind("\0" + abstract_name)
    abstract.listen()
    try:
        outcome = attack(
            f"""
            import errno, socket
            def attempt(name, family, address):
                s = socket.socket(family, socket.SOCK_STREAM)
                s.settimeout(2)
                try:
                    s.connect(address)
                    print(name, "CONNECTED")
                except OSError as e:
                    print(name, errno.errorcode.get(e.errno, e.errno))
            attempt("host_port", socket.AF_INET, ("127.0.0.1", {listener.getsockname()[1]}))
            attempt("external", socket.AF_INET, ("1.1.1.1", 80))
            attempt("abstract", socket.AF_UNIX, "\\0{abstract_name}")
            try:
                socket.getaddrinfo("example.com", 80)
                print("dns RESOLVED")
            except socket.gaierror:
                print("dns failed")
            """,
            network=network,
        )
    finally:
        listener.close()
        abstract.close()
    results = dict(line.split() for line in lines(outcome))
    assert results == {
        "host_port": "ECONNREFUSED",
        "external": "ENETUNREACH",
        "abstract": "ECONNREFUSED",
        "dns": "failed",
    }


def test_19_nested_namespaces_and_mount_fail() -> None:
    outcome = attack(
        SYSCALL_PROBE
        + """
call("unshare_user", 272, 0x10000000)
call("unshare_net", 272, 0x40000000)
call("clone_newns", 56, 0x00020000 | 17, 0, 0, 0, 0)
call("clone_newuser", 56, 0x10000000 | 17, 0, 0, 0, 0)
call("clone3", 435, 0, 0)
call("mount", 165, 0, 0, 0, 0, 0)
call("setns", 308, 0, 0)
import os, threading
pid = os.fork()
if pid == 0:
    os._exit(7)
print("fork", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
t = threading.Thread(target=print, args=("thread works",))
t.start()
t.join()
"""
    )
    assert lines(outcome) == [
        "unshare_user EPERM",
        "unshare_net EPERM",
        "clone_newns EPERM",
        "clone_newuser EPERM",
        "clone3 ENOSYS",  # so glibc falls back to clone(2), whose flags seccomp can inspect
        "mount EPERM",
        "setns EPERM",
        "fork 7",
        "thread works",
    ]


def test_20_keyctl_io_uring_bpf_perf_userfaultfd_vsock_are_refused() -> None:
    outcome = attack(
        SYSCALL_PROBE
        + """
call("keyctl", 250, 0, 0, 0, 0)
call("add_key", 248, 0, 0, 0, 0, 0)
call("request_key", 249, 0, 0, 0, 0)
call("io_uring_setup", 425, 4, 0)
call("bpf", 321, 0, 0, 0)
call("perf_event_open", 298, 0, 0, -1, -1, 0)
call("userfaultfd", 323, 0)
call("socket_vsock", 41, 40, 1, 0)
call("socket_packet", 41, 17, 3, 0)
call("socket_alg", 41, 38, 5, 0)
call("socket_vsock_high_bits", 41, 0x100000028, 1, 0)
"""
    )
    assert lines(outcome) == [
        "keyctl EPERM",
        "add_key EPERM",
        "request_key EPERM",
        "io_uring_setup EPERM",
        "bpf EPERM",
        "perf_event_open EPERM",
        "userfaultfd EPERM",
        "socket_vsock EAFNOSUPPORT",
        "socket_packet EAFNOSUPPORT",
        "socket_alg EAFNOSUPPORT",
        "socket_vsock_high_bits EAFNOSUPPORT",
    ]


def test_21_a_result_that_is_a_symlink_or_fifo_is_rejected_and_nothing_is_read(
    host_secret: tuple[Path, str],
) -> None:
    secret, _token = host_secret
    outcome = attack(
        f"""
        import os
        os.symlink("{secret}", "/work/result.json")
        os.mkfifo("/work/fifo.json")
        os.mkdir("/work/real")
        os.symlink("{secret.parent}", "/work/out")
        os.symlink("/work/real", "/work/dirlink")
        open("/work/real/ok.json", "w").write("{{}}")
        """,
        collect=[
            "result.json",
            "fifo.json",
            "out/" + secret.name,
            "dirlink/ok.json",
            "real/ok.json",
        ],
    )
    assert outcome.verdict is Verdict.OK, outcome
    assert outcome.files == {"real/ok.json": b"{}"}
    assert outcome.collect_errors == {
        "result.json": "result.json is a symlink",
        "fifo.json": "fifo.json is not a regular file",
        "out/" + secret.name: f"a parent of out/{secret.name} is not a directory (or is a symlink)",
        "dirlink/ok.json": "a parent of dirlink/ok.json is not a directory (or is a symlink)",
    }
    assert not any(b"hidden test answer" in data for data in outcome.files.values())


def test_22_racing_a_result_between_file_and_symlink_leaks_nothing_in_thousands_of_reads(
    host_secret: tuple[Path, str],
) -> None:
    secret, token = host_secret
    flipper = f"""
import os
os.symlink("{secret}", "/work/link")
open("/work/regular", "w").write("honest result")
os.link("/work/regular", "/work/regular2")
print("flipping", flush=True)
while True:
    os.symlink("{secret}", "/work/tmp-link")
    os.replace("/work/tmp-link", "/work/result.json")
    os.link("/work/regular", "/work/tmp-file")
    os.replace("/work/tmp-file", "/work/result.json")
"""
    seen = {"regular": 0, "symlink": 0}
    reads = 0
    with spawn(
        ["python", "-c", flipper],
        network=NetworkMode.NONE,
        limits=Limits(cpu_seconds=60, wall_seconds=60),
    ) as proc:
        # Thousands of reads, and on until both states were seen often: the race was real.
        while reads < 5000 or min(seen.values()) < 100:
            assert reads < 500_000 and proc.alive, seen
            reads += 1
            files, errors = proc.collect(["result.json"])
            assert token.encode() not in files.get("result.json", b"")
            seen["regular"] += "result.json" in files
            seen["symlink"] += errors.get("result.json") == "result.json is a symlink"


def test_23_hard_linking_a_host_file_gets_exdev(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n")
    # World-writable, so protected_hardlinks does not refuse first: only the mount boundary can.
    (tmp_path / "data.csv").chmod(0o666)
    tmp_path.chmod(0o755)  # pytest makes it 0700; the sandbox sees host files as "others"
    outcome = attack(
        """
        import errno, os
        for source in ["/usr/bin/python3.11", "/data/data.csv"]:
            try:
                os.link(source, "/work/stolen")
                print("LINKED")
            except OSError as e:
                print(errno.errorcode[e.errno])
        """,
        binds=[Bind(tmp_path, "/data")],
    )
    assert lines(outcome) == ["EXDEV", "EXDEV"]


def test_24_tiocsti_into_the_terminal_gets_eperm() -> None:
    outcome = attack(
        SYSCALL_PROBE
        + """
import fcntl, termios
try:
    fcntl.ioctl(0, termios.TIOCSTI, b"x")
    print("tiocsti ALLOWED")
except OSError as e:
    print("tiocsti", errno.errorcode[e.errno])
call("tiocsti_high_bits", 16, 0, 0x100005412, 0)
"""
    )
    assert lines(outcome) == ["tiocsti EPERM", "tiocsti_high_bits EPERM"]


def test_two_slots_at_once_keep_their_own_limits_and_verdicts() -> None:
    results: dict[str, object] = {}
    programs = {
        # Fork bomb, then kill(-1) in a loop until its CPU budget runs out.
        "burner": (
            """
            import os, signal
            print(os.getuid(), flush=True)
            try:
                while True:
                    if os.fork() == 0:
                        while True:
                            pass
            except BlockingIOError:
                pass
            while True:
                try:
                    os.kill(-1, signal.SIGKILL)
                except OSError:
                    pass
            """,
            Limits(cpu_seconds=1, wall_seconds=10, pids=16, memory_bytes=64 * MiB),
        ),
        # Holds memory and waits: must not be killed by its neighbour, and must keep its limit.
        "hog": (
            """
            import os, time
            print(os.getuid(), flush=True)
            chunks = []
            for _ in range(12):
                chunks.append(b"x" * (8 << 20))
            time.sleep(1.5)
            chunks.append(b"x" * (64 << 20))  # now over its own 128 MiB limit
            """,
            Limits(cpu_seconds=5, wall_seconds=10, memory_bytes=128 * MiB),
        ),
    }

    def work(name: str) -> None:
        source, limits = programs[name]
        results[name] = attack(source, limits=limits)

    threads = [threading.Thread(target=work, args=(name,)) for name in programs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    burner, hog = results["burner"], results["hog"]
    assert burner.verdict is Verdict.CPU_TIME  # type: ignore[attr-defined]
    assert hog.verdict is Verdict.MEMORY  # type: ignore[attr-defined]
    assert lines(burner)[0] != lines(hog)[0]  # type: ignore[arg-type]  # two uids, two slots
    assert hog.cpu_seconds < 2  # type: ignore[attr-defined]  # the burner's CPU is not billed here
    assert processes_of(slot_uids()) == []
