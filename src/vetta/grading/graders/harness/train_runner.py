"""Runs the candidate's training command, then packs its model directory into one tar file.

Usage (inside the sandbox):
    python train_runner.py MODEL_DIR ARCHIVE STATUS_JSON MAX_BYTES MAX_FILES -- COMMAND...

The sandbox collects single files, so the model directory crosses to the prediction run as one
uncompressed tar. Only regular files are packed (a symlink could point at anything; it is
reported, never followed), with fixed metadata so the same model gives the same bytes. The
trusted side treats the archive as opaque, hostile bytes and never loads anything from it;
STATUS_JSON only explains a missing archive in the candidate's own words.
"""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import tarfile


def _status(path: str, status: str, detail: str = "", files: int = 0) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"status": status, "detail": detail[:500], "files": files}, handle)


def _collect(model_dir: str, max_bytes: int, max_files: int) -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    total = 0
    for dirpath, dirnames, filenames in os.walk(model_dir, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames) + [
            d for d in dirnames if os.path.islink(os.path.join(dirpath, d))
        ]:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, model_dir).replace(os.sep, "/")
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                raise ValueError(
                    f"{model_dir}/{rel} is a link or a special file; save regular files"
                )
            if len(found) >= max_files:
                raise ValueError(f"{model_dir}/ holds more than {max_files} files")
            total += info.st_size
            if total > max_bytes:
                raise ValueError(f"{model_dir}/ is larger than {max_bytes // (1024 * 1024)} MiB")
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as handle:
                found.append((rel, handle.read(max_bytes + 1)))
    return found


def main() -> None:
    model_dir, archive, status_path = sys.argv[1], sys.argv[2], sys.argv[3]
    max_bytes, max_files = int(sys.argv[4]), int(sys.argv[5])
    command = sys.argv[sys.argv.index("--") + 1 :]
    code = subprocess.call(command)
    if code != 0:
        _status(status_path, "failed", f"the training command exited with code {code}")
        sys.stdout.flush()
        if code < 0:
            # Die of the same signal, so that the sandbox sees what ended the training.
            if -code not in (signal.SIGKILL, signal.SIGSTOP):
                signal.signal(-code, signal.SIG_DFL)
            os.kill(os.getpid(), -code)
        sys.exit(code if 0 < code < 256 else 1)
    if not os.path.isdir(model_dir) or os.path.islink(model_dir):
        _status(
            status_path, "missing", f"the training finished but wrote no {model_dir}/ directory"
        )
        return
    try:
        files = _collect(model_dir, max_bytes, max_files)
    except (ValueError, OSError) as exc:
        _status(status_path, "rejected", str(exc))
        return
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel, data in files:
            info = tarfile.TarInfo(rel)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    with open(archive, "wb") as handle:
        handle.write(buffer.getvalue())
    _status(status_path, "ok", files=len(files))


if __name__ == "__main__":
    main()
