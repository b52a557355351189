"""cgroup layout detection (v1, v2, none) from mountinfo text, and settings validation.

This machine kind runs cgroup v1; v2 is only exercised here, through its detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetta.grading.sandbox.cgroups import detect_layout
from vetta.grading.sandbox.config import load_config
from vetta.grading.sandbox.errors import ConfigError, SandboxError

V1_MOUNTINFO = """\
30 25 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755
31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw
34 30 0:30 / /sys/fs/cgroup/memory rw,nosuid shared:14 - cgroup cgroup rw,memory
35 30 0:31 / /sys/fs/cgroup/pids rw,nosuid shared:15 - cgroup cgroup rw,pids
36 30 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:16 - cgroup cgroup rw,cpu,cpuacct
"""
V1_OWN = """\
5:pids:/system.slice/vetta.service
4:cpu,cpuacct:/system.slice/vetta.service
3:memory:/system.slice/vetta.service
0::/system.slice/vetta.service
"""


def test_v1_runs_nest_under_the_workers_own_cgroups_and_share_cpu_cpuacct() -> None:
    layout = detect_layout(name="vetta-sandbox", mountinfo=V1_MOUNTINFO, own_cgroup=V1_OWN)
    assert layout.version == 1
    base = "/system.slice/vetta.service/vetta-sandbox"
    assert layout.bases == {
        "memory": Path("/sys/fs/cgroup/memory" + base),
        "pids": Path("/sys/fs/cgroup/pids" + base),
        "cpu": Path("/sys/fs/cgroup/cpu,cpuacct" + base),
        "cpuacct": Path("/sys/fs/cgroup/cpu,cpuacct" + base),
    }


def test_v2_is_detected_when_the_unified_root_has_the_controllers(tmp_path: Path) -> None:
    (tmp_path / "cgroup.controllers").write_text("cpuset cpu io memory hugetlb pids rdma\n")
    mountinfo = f"30 25 0:26 / {tmp_path} rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
    layout = detect_layout(
        name="vetta-sandbox", mountinfo=mountinfo, own_cgroup="0::/init.scope\n", v2_root=tmp_path
    )
    assert layout.version == 2
    assert layout.bases == {"unified": tmp_path / "vetta-sandbox"}


def test_v2_without_the_memory_controller_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "cgroup.controllers").write_text("cpu pids\n")
    mountinfo = f"30 25 0:26 / {tmp_path} rw - cgroup2 cgroup2 rw\n"
    with pytest.raises(SandboxError, match="lacks the memory controller"):
        detect_layout(name="x", mountinfo=mountinfo, own_cgroup="0::/\n", v2_root=tmp_path)


def test_no_cgroups_at_all_is_a_clear_error() -> None:
    with pytest.raises(SandboxError, match="no usable cgroups"):
        detect_layout(name="x", mountinfo="", own_cgroup="")


def test_settings_fail_loudly_on_bad_values() -> None:
    assert load_config({"VETTA_SANDBOX_SLOTS": "3"}).slots == 3
    bad = {
        "VETTA_SANDBOX_SLOTS": ("zero", "not a whole number"),
        "VETTA_SANDBOX_UID_BASE": ("12", "at least 1000"),
        "VETTA_SANDBOX_RUNTIME": ("relative/path", "absolute path"),
        "VETTA_UNSAFE_NO_SANDBOX": ("maybe", "not a boolean"),
        "VETTA_SANDBOX_CGROUP": ("a/b", "single directory name"),
    }
    for name, (value, message) in bad.items():
        with pytest.raises(ConfigError, match=message):
            load_config({name: value})
    with pytest.raises(ConfigError, match="nobody"):
        load_config({"VETTA_SANDBOX_UID_BASE": "65530", "VETTA_SANDBOX_SLOTS": "8"})
