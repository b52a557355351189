"""Attacks 1-12 of SANDBOX.md (resources, processes, signals, ptrace), each a small program run
inside the sandbox, each asserting the ending the design notes demand. Numbers in test names match
the table in SANDBOX.md; 13-24 are in test_attacks_isolation.py, 21, 22 and 25 (host side) in
test_safeio.py."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.sandbox.conftest import FAST, SYSCALL_PROBE, attack, lines, processes_of, slot_uids
from vetta.grading.sandbox import Limits, MiB, Verdict
from vetta.grading.sandbox.config import config

pytestmark = [pytest.mark.sandbox, pytest.mark.usefixtures("sandbox")]


def test_01_allocating_memory_in_a_loop_is_killed_with_verdict_memory() -> None:
    outcome = attack(
        """
        chunks = []
        while True:
            chunks.append(b"x" * (8 << 20))  # filled, so every page is really used
        """,
        limits=Limits(memory_bytes=64 * MiB, cpu_seconds=5, wall_seconds=10),
    )
    assert outcome.verdict is Verdict.MEMORY
    assert outcome.signal == 9
    assert outcome.peak_memory_bytes >= 60 * MiB


def test_02_filling_a_tmpfs_bigger_than_the_memory_limit_ends_in_memory_or_enospc() -> None:
    outcome = attack(
        """
        import errno
        try:
            with open("/work/fill", "wb") as f:
                while True:
                    f.write(b"x" * (1 << 20))
                    f.flush()
        except OSError as e:
            print(errno.errorcode[e.errno])
        """,
        limits=Limits(memory_bytes=48 * MiB, work_bytes=256 * MiB, file_size_bytes=512 * MiB),
    )
    assert outcome.verdict is Verdict.MEMORY or lines(outcome) in (["ENOSPC"], ["ENOMEM"])


def test_03_a_fork_bomb_gets_eagain_and_the_run_ends() -> None:
    outcome = attack(
        """
        import os, time
        children = 0
        try:
            while True:
                if os.fork() == 0:
                    time.sleep(1000)
                    os._exit(0)
                children += 1
        except BlockingIOError:
            print("EAGAIN", children)
        """
    )
    assert outcome.verdict is Verdict.OK, outcome
    word, children = lines(outcome)[0].split()
    assert word == "EAGAIN" and int(children) < FAST.pids
    assert processes_of(slot_uids()) == []


def test_03_a_thread_bomb_cannot_start_new_threads_and_the_run_ends() -> None:
    outcome = attack(
        """
        import threading, time
        started = 0
        try:
            while True:
                threading.Thread(target=time.sleep, args=(1000,), daemon=True).start()
                started += 1
        except RuntimeError as e:
            print(e, started)
        """
    )
    assert outcome.verdict is Verdict.OK, outcome
    assert lines(outcome)[0].startswith("can't start new thread")
    assert processes_of(slot_uids()) == []


def test_04_an_endless_loop_gets_verdict_cpu_time() -> None:
    outcome = attack("while True: pass", limits=Limits(cpu_seconds=1, wall_seconds=10))
    assert outcome.verdict is Verdict.CPU_TIME
    assert outcome.cpu_seconds >= 1.0


def test_05_four_cpu_burners_are_killed_at_the_budget_not_four_times_it() -> None:
    outcome = attack(
        """
        import os
        for _ in range(3):
            if os.fork() == 0:
                break
        while True:
            pass
        """,
        limits=Limits(cpu_seconds=1, wall_seconds=10, cpu_quota=2.0),
    )
    assert outcome.verdict is Verdict.CPU_TIME
    # RLIMIT_CPU alone would have let 4 processes burn 4 s; the cgroup total stops them at ~1 s.
    assert 1.0 <= outcome.cpu_seconds < 1.5


def test_06_sleeping_forever_gets_verdict_wall_time() -> None:
    outcome = attack("import time; time.sleep(1000)", limits=Limits(wall_seconds=1))
    assert outcome.verdict is Verdict.WALL_TIME
    assert outcome.cpu_seconds < 0.5


@pytest.mark.parametrize("directory", ["/work", "/tmp"])
def test_07_many_files_end_in_enospc_on_a_tmpfs_not_the_host_disk(directory: str) -> None:
    outcome = attack(
        f"""
        import errno, os
        mounts = {{line.split()[4]: line.split(" - ")[1].split()[0]
                  for line in open("/proc/self/mountinfo")}}
        print(mounts["{directory}"])
        n = 0
        try:
            while True:
                with open(f"{directory}/f{{n}}", "wb") as f:
                    f.write(b"x" * 1000)
                n += 1
        except OSError as e:
            print(errno.errorcode[e.errno], n)
        """,
        limits=Limits(work_bytes=2 * MiB, tmp_bytes=2 * MiB, wall_seconds=10),
    )
    assert outcome.verdict is Verdict.OK, outcome
    fstype, result = lines(outcome)
    assert fstype == "tmpfs"
    assert result.startswith("ENOSPC ")
    # The host side of /work is an empty mount point again: nothing reached the host disk.
    for index in range(config().slots):
        work = config().state_dir / f"slot-{index}" / "work"
        assert not os.path.ismount(work) and list(work.iterdir()) == []


def test_08_one_huge_file_gets_efbig() -> None:
    outcome = attack(
        """
        import errno
        try:
            with open("/work/huge", "wb") as f:
                f.write(b"x" * (3 << 20))
        except OSError as e:
            print(errno.errorcode[e.errno])
        """,
        limits=Limits(file_size_bytes=1 * MiB, work_bytes=8 * MiB),
    )
    assert outcome.verdict is Verdict.OK, outcome
    assert lines(outcome) == ["EFBIG"]


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_09_flooding_output_is_truncated_at_the_cap_with_verdict_output_limit(stream: str) -> None:
    outcome = attack(
        f"""
        import sys
        while True:
            sys.{stream}.write("x" * 4096)
        """
    )
    assert outcome.verdict is Verdict.OUTPUT_LIMIT
    flooded = outcome.stdout if stream == "stdout" else outcome.stderr
    assert len(flooded) == FAST.output_bytes
    assert getattr(outcome, f"{stream}_truncated")


def test_10_a_double_forked_setsid_daemon_does_not_survive_the_run() -> None:
    outcome = attack(
        """
        import os, time
        r, w = os.pipe()
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.write(w, b"up")
                while True:
                    time.sleep(0.05)
            os._exit(0)
        print(os.read(r, 2).decode())  # the daemon is up before we leave
        """
    )
    assert outcome.verdict is Verdict.OK, outcome
    assert lines(outcome) == ["up"]
    assert processes_of(slot_uids()) == []


def test_11_kill_parent_init_and_minus_one_have_no_effect_outside() -> None:
    # Sentinels run as every slot uid on the host: kill(-1) from the sandbox must not reach them.
    sentinels = [
        subprocess.Popen(
            ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "sleep", "60"]
        )
        for uid in slot_uids()
    ]
    try:
        outcome = attack(
            """
            import errno, os, signal
            for name, target, sig in [("init", 1, signal.SIGKILL), ("all", -1, signal.SIGKILL),
                                      ("parent", os.getppid(), signal.SIGTERM)]:
                try:
                    os.kill(target, sig)
                    print(name, "sent", flush=True)
                except OSError as e:
                    print(name, errno.errorcode[e.errno], flush=True)
            signal.pause()  # until the SIGTERM comes back
            """
        )
        # Everything stays inside: the sandbox's init (`timeout`) ignores SIGKILL from inside,
        # kill(-1) finds no other process it may signal, and the init hands SIGTERM back to the
        # command, which dies of it. The host's processes, same uids included, live on.
        # ("parent sent" may or may not print: the signal can come back before the print.)
        assert lines(outcome)[:2] == ["init sent", "all ESRCH"]
        assert outcome.verdict is Verdict.RUNTIME_ERROR and outcome.signal == 15, outcome
        assert all(sentinel.poll() is None for sentinel in sentinels)
    finally:
        for sentinel in sentinels:
            sentinel.kill()
            sentinel.wait()


def test_12_ptrace_of_pid_1_gets_eperm() -> None:
    outcome = attack(SYSCALL_PROBE + "call('ptrace_attach', 101, 16, 1, 0, 0)")
    assert lines(outcome) == ["ptrace_attach EPERM"]
