"""The seccomp deny-list every sandboxed process runs under.

A deny-list, not an allow-list: the sandbox runs arbitrary Python with numpy, torch and uvicorn, and
an allow-list precise enough to be worth it would break on every library upgrade. What we deny is
what an escape or a host attack needs (SANDBOX.md finding 7: without seccomp, sandboxed code
ptrace-attached to pid 1 and hung the run) and what no grading workload uses. Denied calls fail
with EPERM, except where a library relies on another errno to fall back gracefully.

The filter is built once per process with libseccomp (pyseccomp) and exported as BPF; bubblewrap
loads it from an fd (`--seccomp FD`) right before it execs the command, after its own setup calls.
Only the native architecture is allowed: a 32-bit `int 0x80` call kills the process (libseccomp's
default for a foreign architecture), so the deny-list cannot be bypassed through compat syscalls.
"""

from __future__ import annotations

import errno
import functools
import os
import socket

import pyseccomp

# Namespace flags of clone(2): creating namespaces is how nested sandboxes and the "nested user
# namespace gets full capabilities" escape (finding 7) start. CLONE_NEWTIME (0x80) shares its bit
# with the exit signal in clone(2) and only matters to unshare/clone3, which are denied outright.
CLONE_NEW_FLAGS = (
    0x00020000  # CLONE_NEWNS
    | 0x02000000  # CLONE_NEWCGROUP
    | 0x04000000  # CLONE_NEWUTS
    | 0x08000000  # CLONE_NEWIPC
    | 0x10000000  # CLONE_NEWUSER
    | 0x20000000  # CLONE_NEWPID
    | 0x40000000  # CLONE_NEWNET
)
TIOCSTI = 0x5412  # push bytes into a terminal's input queue: a classic sandbox-to-shell escape
TIOCLINUX = 0x541C  # same effect on a virtual console

# fmt: off
DENIED_SYSCALLS: tuple[str, ...] = (
    # Debugging and reading other processes' memory.
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
    # Kernel keyrings: shared per-uid state and a long CVE history.
    "keyctl", "add_key", "request_key",
    # Large, bug-prone kernel attack surfaces no grading workload needs.
    "io_uring_setup", "io_uring_enter", "io_uring_register", "bpf", "perf_event_open",
    "userfaultfd", "fanotify_init",
    # Namespaces and mounts (nested sandboxes, remounting read-only paths).
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount",
    "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    # Opening files by handle bypasses path checks (the "shocker" container escape).
    "open_by_handle_at", "name_to_handle_at",
    # Kernel and machine control.
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
    "swapon", "swapoff", "acct", "syslog", "quotactl", "quotactl_fd", "lookup_dcookie",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "sethostname",
    "setdomainname", "iopl", "ioperm", "vhangup", "uselib", "personality",
)
# fmt: on
# Socket families sandboxed code may open: AF_UNIX and IP for loopback servers and clients,
# AF_NETLINK because glibc's getaddrinfo asks the kernel for local addresses through it (only the
# sandbox's own network namespace answers). Everything else gets EAFNOSUPPORT.
ALLOWED_FAMILIES = frozenset({socket.AF_UNIX, socket.AF_INET, socket.AF_INET6, socket.AF_NETLINK})


def _build(denied: tuple[str, ...]) -> tuple[pyseccomp.SyscallFilter, list[str]]:
    flt = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    eperm = pyseccomp.ERRNO(errno.EPERM)
    skipped = []
    for name in denied:
        try:
            flt.add_rule(eperm, name)
        except (OSError, ValueError):  # a syscall this kernel/libseccomp does not know
            skipped.append(name)
    # glibc (2.34+) tries clone3 first and falls back to clone on ENOSYS, but not on EPERM; clone3
    # passes its flags in memory that seccomp cannot inspect, so it is refused as "not there".
    flt.add_rule(pyseccomp.ERRNO(errno.ENOSYS), "clone3")
    # libseccomp compares one value per argument and rule: one rule per namespace flag.
    for bit in range(32):
        flag = 1 << bit
        if CLONE_NEW_FLAGS & flag:
            flt.add_rule(eperm, "clone", pyseccomp.Arg(0, pyseccomp.MASKED_EQ, flag, flag))
    # ioctl's command is an unsigned int: compare only the low 32 bits, or a caller could set high
    # bits that the kernel ignores and slip TIOCSTI past an exact 64-bit comparison.
    for request in (TIOCSTI, TIOCLINUX):
        flt.add_rule(eperm, "ioctl", pyseccomp.Arg(1, pyseccomp.MASKED_EQ, 0xFFFFFFFF, request))
    eafnosupport = pyseccomp.ERRNO(errno.EAFNOSUPPORT)
    highest = max(ALLOWED_FAMILIES)
    for family in range(highest):
        if family not in ALLOWED_FAMILIES:
            flt.add_rule(
                eafnosupport, "socket", pyseccomp.Arg(0, pyseccomp.MASKED_EQ, 0xFFFFFFFF, family)
            )
    # Families above the highest allowed one, and any value with high bits set that the kernel
    # would truncate to an int.
    flt.add_rule(eafnosupport, "socket", pyseccomp.Arg(0, pyseccomp.GT, highest))
    return flt, skipped


@functools.cache
def filter_bpf() -> bytes:
    """The compiled BPF program, as bubblewrap's `--seccomp FD` expects it."""
    flt, _skipped = _build(DENIED_SYSCALLS)
    fd = os.memfd_create("vetta-seccomp-export", os.MFD_CLOEXEC)
    try:
        with os.fdopen(os.dup(fd), "wb") as handle:
            flt.export_bpf(handle)
        size = os.lseek(fd, 0, os.SEEK_END)
        return os.pread(fd, size, 0)
    finally:
        os.close(fd)


def skipped_syscalls() -> list[str]:
    """Denied names this host's libseccomp does not know (reported by the self-check)."""
    return _build(DENIED_SYSCALLS)[1]
