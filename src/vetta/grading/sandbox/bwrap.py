"""The command line that starts a sandbox: launcher -> setpriv -> bubblewrap -> marker -> command.

1. `/bin/sh` (as root, outside): writes itself into the run's cgroups, so bubblewrap and everything
   it starts are born inside them, then sets the rlimit backstops and execs:
2. `setpriv`: drops to the slot's uid/gid with no groups, no capabilities and an empty bounding
   set. bubblewrap must never run as root (SANDBOX.md finding 1): the sandbox's uid 0 would map to
   host root and `/proc/sys` would open for writing.
3. `bwrap --args FD`: every option comes from a memfd rather than argv, because bubblewrap's own
   `/proc/1/cmdline` is readable inside the sandbox (finding 3). Host paths of binds still show
   in `/proc/self/mountinfo`; no secret may live in a path.
4. `/bin/sh -c 'printf MARKER; exec timeout 0 "$@"'` inside: the marker on stdout proves the
   sandbox was set up and the command is about to start. Without it, a non-zero exit is
   bubblewrap failing (our fault, `sandbox_error`), never the candidate's `runtime_error`; the
   candidate cannot fake it because its code runs only after the marker was written.

dash rejects redirections to fds above 9, so no extra descriptor is used for that signal; the
environment goes through the launcher's own environment for the same reason it is not in argv.
"""

from __future__ import annotations

import math
import os
import shutil
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from vetta.grading.sandbox.errors import SandboxError
from vetta.grading.sandbox.runtime import RuntimeInfo
from vetta.grading.sandbox.types import Bind, Limits, NetworkMode

GiB = 1024**3
MARKER = b"\x00vetta-sandbox-started\x00"
SANDBOX_HOSTNAME = "sandbox"
# Paths a Bind may not cover: the system the sandbox is built from.
# Paths inside the sandbox (its own tmpfs mounts, not the host's /tmp).
TMP = "/tmp"  # noqa: S108
SHM = "/dev/shm"  # noqa: S108
_RESERVED = ("/usr", "/proc", "/dev", "/etc", "/bin", "/lib", "/lib64", "/sbin", TMP)

LAUNCHER = (
    'for f; do shift; [ "$f" = -- ] && break; echo 0 > "$f" || exit 125; done; '
    "ulimit -c 0 && ulimit -t {cpu} && ulimit -f {fsize} && ulimit -n {nofile} "
    '&& ulimit -v {vmem} || exit 125; unset PWD; exec "$@"'
)
# Runs inside: prints the marker, then `timeout 0` (no time limit: the supervisor keeps time)
# becomes the namespace's init and runs the command as its child. The command must not be init
# itself, or it could not even kill itself with an unhandled signal; a shell as init would add
# its own "Killed" notices to the command's stderr. timeout as init reports a signal as 128+N.
INNER = 'printf "{marker}"; exec timeout 0 "$@"'


def find_tool(name: str) -> str:
    for directory in ("/usr/bin", "/bin", "/usr/sbin", "/sbin"):
        candidate = Path(directory) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SandboxError(f"`{name}` is not installed (Debian package: see docs/sandbox.md)")
    return found


def address_space_limit(limits: Limits) -> int:
    # Only a backstop against runaway reservations: numpy, torch and glibc's per-thread arenas
    # reserve far more address space than they use (finding 6), so the cgroup is the real limit.
    return limits.memory_bytes + 16 * GiB


def launcher_argv(
    *, join_files: Sequence[str], limits: Limits, uid: int, gid: int, args_fd: int
) -> list[str]:
    script = LAUNCHER.format(
        # RLIMIT_CPU counts per process: the cgroup total is the real budget (finding 5); this
        # catches a single runaway process if the supervisor were ever late.
        cpu=math.ceil(limits.cpu_seconds) + 1,
        fsize=max(1, limits.file_size_bytes // 512),  # dash counts 512-byte blocks
        nofile=limits.open_files,
        vmem=address_space_limit(limits) // 1024,
    )
    return [
        "/bin/sh",
        "-c",
        script,
        "vetta-launch",
        *join_files,
        "--",
        find_tool("setpriv"),
        f"--reuid={uid}",
        f"--regid={gid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        # If the worker dies, bubblewrap's monitor dies with it, and its --die-with-parent takes
        # the sandbox down: no run outlives the process that supervises it.
        "--pdeathsig=KILL",
        "--",
        find_tool("bwrap"),
        "--args",
        str(args_fd),
    ]


def _system_dirs() -> list[str]:
    """Mirrors Debian's merged /usr: /bin, /lib, /lib64, /sbin are symlinks into /usr."""
    args: list[str] = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "lib", "lib64", "sbin"):
        host = Path("/") / name
        if host.is_symlink():
            args += ["--symlink", str(host.readlink()), str(host)]
        elif host.is_dir():
            args += ["--ro-bind", str(host), str(host)]
    return args


def check_bind(bind: Bind, runtime: RuntimeInfo) -> None:
    target = bind.target
    if not target.startswith("/") or os.path.normpath(target) != target or target == "/":
        raise ValueError(f"bind target {target!r} must be a clean absolute path other than /")
    covered = [*_RESERVED, str(runtime.link), str(runtime.real), "/work"]
    for reserved in covered:
        if (
            target == reserved
            or target.startswith(reserved + "/")
            or reserved.startswith(target + "/")
        ):
            if reserved == "/work" and target.startswith("/work/"):
                continue  # a read-only dataset inside /work is fine
            raise ValueError(f"bind target {target!r} would cover the sandbox's {reserved}")
    if not bind.source.is_absolute() or not bind.source.exists():
        raise ValueError(f"bind source {bind.source} must be an existing absolute path")


def bwrap_args(
    *,
    runtime: RuntimeInfo,
    etc_dir: Path,
    work_dir: Path,
    binds: Sequence[Bind],
    limits: Limits,
    network: NetworkMode,
    cwd: str,
    seccomp_fd: int,
    staged: Sequence[Path],
) -> list[str]:
    args = [
        "--unshare-user",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup",
        "--disable-userns",
        "--cap-drop",
        "ALL",
        "--die-with-parent",
        "--new-session",
        # `timeout` is the namespace's init (see INNER): when it exits after the command, the
        # kernel kills whatever was left (daemons included) and bubblewrap reaps it. bubblewrap's
        # own init would be orphaned as a zombie onto the host's init, since bubblewrap exits
        # before reaping it.
        "--as-pid-1",
        "--hostname",
        SANDBOX_HOSTNAME,
    ]
    if network is NetworkMode.NONE:
        args.append("--unshare-net")
    # LOOPBACK: the launcher was forked inside a fresh namespace holding only `lo` (netns.py).
    args += _system_dirs()
    args += ["--ro-bind", str(etc_dir), "/etc"]
    if Path("/etc/ld.so.cache").exists():
        # Without the cache the loader still finds Debian's libraries, but slower.
        args += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    args += ["--ro-bind", str(runtime.real), str(runtime.real)]
    if runtime.link != runtime.real:
        args += ["--symlink", str(runtime.real), str(runtime.link)]
    args += ["--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys", "--dev", "/dev"]
    args += ["--size", str(limits.tmp_bytes), "--tmpfs", TMP]
    # multiprocessing and torch's DataLoader put semaphores and shared tensors in /dev/shm.
    args += ["--size", str(limits.tmp_bytes), "--tmpfs", SHM]
    # bubblewrap's /dev is an unsized tmpfs: read-only, so it cannot serve as scratch space
    # (device nodes such as /dev/null stay writable: a read-only mount does not cover them).
    args += ["--remount-ro", "/dev"]
    args += ["--bind", str(work_dir), "/work"]
    # Each bind was staged by the root supervisor under the slot's directory: bubblewrap runs as
    # the slot uid and could not even reach a source below a private directory (and its
    # --bind-fd resolves the path again). What is inside must still be readable by "others",
    # which is how the sandbox sees every host file.
    for bind, stage in zip(binds, staged, strict=True):
        args += ["--bind" if bind.writable else "--ro-bind", str(stage), bind.target]
    args += ["--remount-ro", "/", "--chdir", cwd, "--seccomp", str(seccomp_fd)]
    return args


def inner_command(command: Sequence[str]) -> list[str]:
    marker = "".join(f"\\{byte:03o}" for byte in MARKER)
    return ["--", "/bin/sh", "-c", INNER.format(marker=marker), "vetta", *command]


def sandbox_env(
    *, runtime: RuntimeInfo, limits: Limits, extra: Mapping[str, str] | None, cwd: str = "/work"
) -> dict[str, str]:
    threads = str(max(1, math.floor(limits.cpu_quota)))
    env = {
        "PATH": f"{runtime.link}/bin:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/work",
        "PWD": cwd,  # bubblewrap sets it after --chdir anyway; here it is explicit
        "TMPDIR": TMP,
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        # Determinism: the same submission must score the same twice.
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        # BLAS/OpenMP pools sized to the CPU quota: more threads than cores only thrash.
        "OMP_NUM_THREADS": threads,
        "OPENBLAS_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "NUMEXPR_NUM_THREADS": threads,
        "MPLBACKEND": "Agg",
    }
    for key, value in (extra or {}).items():
        if not key or "=" in key or "\x00" in key or "\x00" in value:
            raise ValueError(f"invalid environment variable {key!r}")
        env[key] = value
    return env


def etc_files(*, uid_base: int, slots: int) -> dict[str, str]:
    """A synthetic /etc: enough for getpwuid, localhost and glibc, nothing from the host."""
    users = "".join(
        f"sandbox{k}:x:{uid_base + k}:{uid_base + k}:Vetta sandbox:/work:/bin/sh\n"
        for k in range(slots)
    )
    groups = "".join(f"sandbox{k}:x:{uid_base + k}:\n" for k in range(slots))
    return {
        "passwd": "root:x:0:0:root:/root:/usr/sbin/nologin\n" + users,
        "group": "root:x:0:\n" + groups,
        "hosts": f"127.0.0.1 localhost {SANDBOX_HOSTNAME}\n::1 localhost ip6-localhost\n",
        "hostname": f"{SANDBOX_HOSTNAME}\n",
        "nsswitch.conf": "passwd: files\ngroup: files\nhosts: files\n",
        "resolv.conf": "",  # no DNS: there is no network to ask
        "ld.so.cache": "",  # placeholder the host's cache is bound over
    }


def ensure_etc(directory: Path, *, uid_base: int, slots: int) -> Path:
    directory.mkdir(mode=0o755, parents=True, exist_ok=True)
    for name, content in etc_files(uid_base=uid_base, slots=slots).items():
        path = directory / name
        try:
            if path.read_text() == content:
                continue
        except OSError:
            pass
        temporary = directory / f".{name}.{os.getpid()}.{threading.get_ident()}"
        temporary.write_text(content)
        temporary.chmod(0o644)
        temporary.replace(path)
    return directory
