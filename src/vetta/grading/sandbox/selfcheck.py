"""What works on this host: the data behind `vetta sandbox check` and the test suite's gate."""

from __future__ import annotations

import functools
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from vetta.grading.sandbox import bwrap, seccomp
from vetta.grading.sandbox.config import config
from vetta.grading.sandbox.errors import SandboxError
from vetta.grading.sandbox.runtime import find_runtime, runtime_key
from vetta.grading.sandbox.types import Limits, Verdict

# The tiny run: proves the command starts, the uid is not root, seccomp and no_new_privs are on,
# /proc/sys is read-only and the network is empty.
_PROBE = r"""
import json, os, socket
status = dict(l.split(":", 1) for l in open("/proc/self/status") if ":" in l)
try:
    open("/proc/sys/kernel/core_pattern", "w")
    proc_sys = "writable"
except OSError as e:
    proc_sys = e.strerror
print(json.dumps({
    "uid": os.getuid(),
    "seccomp": status["Seccomp"].strip(),
    "no_new_privs": status["NoNewPrivs"].strip(),
    "cap_eff": status["CapEff"].strip(),
    "proc_sys": proc_sys,
    "interfaces": [n for _, n in socket.if_nameindex()],
    "answer": 6 * 7,
}))
"""


@dataclass(frozen=True)
class CheckItem:
    name: str
    ok: bool
    detail: str
    required: bool = True


@dataclass
class CheckReport:
    items: list[CheckItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(item.ok for item in self.items if item.required)

    @property
    def problems(self) -> list[CheckItem]:
        return [item for item in self.items if item.required and not item.ok]

    def summary(self) -> str:
        if self.ok:
            return "this host can sandbox candidate code"
        names = ", ".join(item.name for item in self.problems)
        return f"this host cannot sandbox candidate code: {names} failed"

    def add(self, name: str, ok: bool, detail: str, *, required: bool = True) -> bool:
        self.items.append(CheckItem(name, ok, detail, required))
        return ok


def _tool(report: CheckReport, name: str, package: str) -> str | None:
    try:
        path = bwrap.find_tool(name)
    except SandboxError:
        report.add(name, False, f"not installed: apt-get install {package}")
        return None
    return path


def self_check(*, run_probe: bool = True) -> CheckReport:
    """Checks every prerequisite and (unless told not to) makes one real sandboxed run."""
    from vetta.grading.sandbox.runner import cgroup_layout, run

    report = CheckReport()
    try:
        cfg = config()
    except SandboxError as error:
        report.add("configuration", False, str(error))
        return report
    report.add(
        "configuration",
        True,
        f"{cfg.slots} slot(s), uids {cfg.uid_base}-{cfg.uid_base + cfg.slots - 1}, "
        f"state in {cfg.state_dir}",
    )
    report.add(
        "root",
        os.geteuid() == 0,
        "the supervisor runs as root (it creates cgroups, mounts /work and drops to slot uids)"
        if os.geteuid() == 0
        else f"running as uid {os.geteuid()}: the supervisor must run as root",
    )
    bwrap_path = _tool(report, "bwrap", "bubblewrap")
    if bwrap_path is not None:
        version = subprocess.run(
            [bwrap_path, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        report.add("bubblewrap", bool(version), f"{version} at {bwrap_path}")
    setpriv = _tool(report, "setpriv", "util-linux")
    if setpriv is not None:
        report.add("setpriv", True, setpriv)
    try:
        max_userns = int(Path("/proc/sys/user/max_user_namespaces").read_text())
    except (OSError, ValueError):
        max_userns = 0
    report.add(
        "user namespaces",
        max_userns > 0,
        f"user.max_user_namespaces = {max_userns}"
        + (
            "" if max_userns > 0 else ": set it above 0 (sysctl) so bubblewrap can run unprivileged"
        ),
    )
    try:
        layout = cgroup_layout()
        report.add("cgroups", True, layout.describe())
    except (SandboxError, OSError) as error:
        report.add("cgroups", False, str(error))
    try:
        size = len(seccomp.filter_bpf())
        skipped = seccomp.skipped_syscalls()
        detail = f"deny-list compiled to {size} bytes of BPF"
        if skipped:
            detail += f"; unknown here and skipped: {', '.join(skipped)}"
        report.add("seccomp", True, detail)
    except (OSError, RuntimeError, ValueError) as error:
        report.add("seccomp", False, f"cannot build the filter: {error}")
    runtime = find_runtime()
    if runtime is None:
        report.add("runtime", False, f"not built at {cfg.runtime}: run `vetta sandbox setup`")
    else:
        current = runtime.key == runtime_key()
        report.add(
            "runtime",
            True,
            f"{runtime.link} -> {runtime.real.name}"
            + ("" if current else " (outdated: run `vetta sandbox setup`)"),
        )
    if run_probe and report.ok:
        _probe(report, run)
    elif run_probe:
        report.add("sandboxed run", False, "skipped: fix the problems above first", required=False)
    return report


def _probe(report: CheckReport, run: object) -> None:
    from vetta.grading.sandbox.runner import run as run_fn

    outcome = run_fn(
        ["python", "-I", "-c", _PROBE],
        limits=Limits(cpu_seconds=5, wall_seconds=20),
    )
    if outcome.verdict is not Verdict.OK:
        detail = outcome.message or outcome.stderr.decode(errors="replace")[-500:]
        report.add("sandboxed run", False, f"{outcome.verdict.value}: {detail}")
        return
    try:
        facts = json.loads(outcome.stdout)
    except ValueError:
        report.add("sandboxed run", False, f"unexpected output {outcome.stdout[:200]!r}")
        return
    checks = {
        "runs the command": facts.get("answer") == 42,
        "not root inside": facts.get("uid") != 0,
        "seccomp filter on": facts.get("seccomp") == "2",
        "no_new_privs on": facts.get("no_new_privs") == "1",
        "no capabilities": int(str(facts.get("cap_eff", "1")), 16) == 0,
        "/proc/sys read-only": facts.get("proc_sys") != "writable",
        "only loopback": facts.get("interfaces") == ["lo"],
    }
    failed = [name for name, good in checks.items() if not good]
    report.add(
        "sandboxed run",
        not failed,
        (
            f"python ran as uid {facts.get('uid')} with seccomp, no capabilities, "
            f"read-only /proc/sys, network {facts.get('interfaces')} "
            f"in {outcome.wall_seconds * 1000:.0f} ms"
        )
        if not failed
        else f"isolation checks failed: {', '.join(failed)} ({facts})",
    )


@functools.cache
def sandbox_available() -> bool:
    """True when this host can sandbox (checked once per process, with a real run)."""
    return self_check().ok
