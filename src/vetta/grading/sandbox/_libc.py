"""The few libc calls Python 3.11 does not expose: mount, umount2, unshare, setns."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = (
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_ulong,
    ctypes.c_char_p,
)
_libc.umount2.argtypes = (ctypes.c_char_p, ctypes.c_int)
_libc.unshare.argtypes = (ctypes.c_int,)
_libc.setns.argtypes = (ctypes.c_int, ctypes.c_int)

MS_NOSUID = 0x2
MS_NODEV = 0x4
MNT_DETACH = 0x2
CLONE_NEWNET = 0x40000000


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def mount(source: str, target: Path, fstype: str, flags: int, data: str) -> None:
    _check(
        _libc.mount(source.encode(), bytes(target), fstype.encode(), flags, data.encode()),
        f"mount {fstype} on {target}",
    )


def umount_detach(target: Path) -> None:
    _check(_libc.umount2(bytes(target), MNT_DETACH), f"umount {target}")


def unshare(flags: int) -> None:
    _check(_libc.unshare(flags), "unshare")


def setns(fd: int, nstype: int) -> None:
    _check(_libc.setns(fd, nstype), "setns")
