"""Reading what sandboxed code wrote, and unpacking what candidates upload, without trusting either.

Results: a grader that checks a path and then opens it loses a race against code that swaps the
file for a symlink to a host secret (SANDBOX.md finding 8: 1,961 leaks in 25,418 reads). We open
first (`O_NOFOLLOW` on every path component, `O_NONBLOCK` so a FIFO cannot block us), then decide
with `fstat` on the descriptor we actually hold.

Archives: every entry is vetted before the first byte is written, and sizes are enforced again
while writing, because a zip's declared sizes are only claims. Each refusal has its own message.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

MiB = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class UnsafeFileError(OSError):
    """A result file we refused to read; the message says why."""


class ArchiveError(ValueError):
    """An uploaded archive we refused to extract; the message says why."""


def safe_relative_path(name: str) -> PurePosixPath:
    """A clean relative path, or ValueError: no absolute paths, no `..`, no empty parts."""
    if not name or "\x00" in name:
        raise ValueError(f"invalid path {name!r}")
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("/"):
        raise ValueError(f"absolute path {name!r} is not allowed")
    if any(part in {"..", "."} for part in name.split("/") if part) or ".." in path.parts:
        raise ValueError(f"path {name!r} must not contain '..' or '.' parts")
    if not path.parts:
        raise ValueError(f"invalid path {name!r}")
    return path


def _read_fd(fd: int, max_bytes: int, label: str) -> bytes:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFileError(f"{label} is not a regular file")
    if info.st_size > max_bytes:
        raise UnsafeFileError(f"{label} is {info.st_size} bytes, over the {max_bytes}-byte cap")
    chunks = []
    remaining = max_bytes + 1  # one byte more tells us it grew past the cap after fstat
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise UnsafeFileError(f"{label} grew over the {max_bytes}-byte cap while being read")
    return data


def _open_error(error: OSError, label: str) -> UnsafeFileError:
    if error.errno == 40:  # ELOOP: the last component is a symlink and O_NOFOLLOW refused it
        return UnsafeFileError(f"{label} is a symlink")
    if error.errno == 20:  # ENOTDIR: a parent is a symlink or a file
        return UnsafeFileError(f"a parent of {label} is not a directory (or is a symlink)")
    if error.errno == 2:
        return UnsafeFileError(f"{label} does not exist")
    return UnsafeFileError(f"{label} cannot be opened: {error.strerror}")


def read_regular_file(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """Reads a regular file of at most `max_bytes`; the last component must not be a symlink."""
    label = os.fspath(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise _open_error(error, label) from None
    try:
        return _read_fd(fd, max_bytes, label)
    finally:
        os.close(fd)


def read_under(root: str | os.PathLike[str], relative: str, max_bytes: int) -> bytes:
    """Reads `root/relative`, refusing a symlink in *any* component below `root`.

    Each directory is opened with O_NOFOLLOW relative to the previous one, so a sandbox that made
    `out` a symlink to `/etc` cannot redirect `out/result.json`.
    """
    parts = safe_relative_path(relative).parts
    try:
        current = os.open(root, _DIR_FLAGS)
    except OSError as error:
        raise _open_error(error, os.fspath(root)) from None
    try:
        for part in parts[:-1]:
            try:
                following = os.open(part, _DIR_FLAGS, dir_fd=current)
            except OSError as error:
                raise _open_error(error, relative) from None
            os.close(current)
            current = following
        try:
            fd = os.open(parts[-1], _OPEN_FLAGS, dir_fd=current)
        except OSError as error:
            raise _open_error(error, relative) from None
        try:
            return _read_fd(fd, max_bytes, relative)
        finally:
            os.close(fd)
    finally:
        os.close(current)


# --- archives ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    name: str
    is_dir: bool
    size: int
    executable: bool


def _vet_name(raw: str) -> str:
    if "\\" in raw:
        raise ArchiveError(f"entry {raw!r} has a backslash in its name (a Windows path trick)")
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise ArchiveError(f"entry {raw!r} has an absolute path")
    cleaned = raw.rstrip("/")
    if any(part == ".." for part in cleaned.split("/")):
        raise ArchiveError(f"entry {raw!r} escapes the destination with '..' (zip-slip)")
    try:
        return str(safe_relative_path(cleaned.replace("/./", "/").removeprefix("./")))
    except ValueError as error:
        raise ArchiveError(f"entry {raw!r} has an unusable name: {error}") from None


class _Budget:
    def __init__(self, *, max_total_bytes: int, max_files: int) -> None:
        self.max_total_bytes = max_total_bytes
        self.max_files = max_files
        self.files = 0
        self.total = 0

    def add_file(self, size: int) -> None:
        self.files += 1
        if self.files > self.max_files:
            raise ArchiveError(f"archive has more than {self.max_files} files")
        self.add_bytes(size, declared=True)

    def add_bytes(self, size: int, *, declared: bool) -> None:
        self.total += size
        if self.total > self.max_total_bytes:
            kind = "declares" if declared else "unpacks to"
            raise ArchiveError(
                f"archive {kind} more than {self.max_total_bytes} bytes (a decompression bomb?)"
            )


def _zip_entries(archive: zipfile.ZipFile, budget: _Budget, max_ratio: float) -> list[_Entry]:
    entries = []
    for info in archive.infolist():
        name = _vet_name(info.filename)
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode)
        if kind == stat.S_IFLNK:
            raise ArchiveError(f"entry {info.filename!r} is a symlink; links are not accepted")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise ArchiveError(f"entry {info.filename!r} is a device, FIFO or socket")
        if info.is_dir():
            entries.append(_Entry(name, True, 0, False))
            continue
        if info.file_size > 0 and info.file_size / max(info.compress_size, 1) > max_ratio:
            raise ArchiveError(
                f"entry {info.filename!r} has a compression ratio over {max_ratio:g} "
                "(a decompression bomb?)"
            )
        budget.add_file(info.file_size)
        entries.append(_Entry(name, False, info.file_size, bool(mode & 0o111)))
    return entries


def _tar_entries(
    archive: tarfile.TarFile, budget: _Budget
) -> Iterator[tuple[_Entry, tarfile.TarInfo]]:
    for member in archive:  # lazily: a bomb is stopped at the first header over budget
        name = _vet_name(member.name)
        if member.issym():
            raise ArchiveError(f"entry {member.name!r} is a symlink; links are not accepted")
        if member.islnk():
            raise ArchiveError(f"entry {member.name!r} is a hard link; links are not accepted")
        if member.isdir():
            yield _Entry(name, True, 0, False), member
            continue
        if not member.isreg():
            raise ArchiveError(f"entry {member.name!r} is a device, FIFO or socket")
        budget.add_file(member.size)
        yield _Entry(name, False, member.size, bool(member.mode & 0o111)), member


def _make_parents(root_fd: int, parts: tuple[str, ...]) -> int:
    """Opens (creating) the directory `parts` under root_fd, never following a symlink."""
    current = os.dup(root_fd)
    for part in parts:
        with contextlib.suppress(FileExistsError):
            os.mkdir(part, 0o755, dir_fd=current)
        try:
            following = os.open(part, _DIR_FLAGS, dir_fd=current)
        except OSError:
            os.close(current)
            raise ArchiveError(f"{'/'.join(parts)} clashes with a file of the archive") from None
        os.close(current)
        current = following
    return current


def _write_entry(root_fd: int, entry: _Entry, source: IO[bytes], budget: _Budget) -> None:
    parts = PurePosixPath(entry.name).parts
    parent = _make_parents(root_fd, parts if entry.is_dir else parts[:-1])
    try:
        if entry.is_dir:
            return
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(parts[-1], flags, 0o755 if entry.executable else 0o644, dir_fd=parent)
        except FileExistsError:
            raise ArchiveError(f"entry {entry.name!r} appears twice in the archive") from None
        with os.fdopen(fd, "wb") as target:
            written = 0
            while chunk := source.read(1 << 16):
                written += len(chunk)
                if written > entry.size:
                    raise ArchiveError(f"entry {entry.name!r} unpacks to more than it declares")
                budget.add_bytes(len(chunk), declared=False)
                target.write(chunk)
    finally:
        os.close(parent)


def _archive_size(data: bytes | None, path: Path | None) -> int:
    return len(data) if data is not None else path.stat().st_size if path else 0


def extract_archive(
    archive: str | os.PathLike[str] | bytes,
    dest: str | os.PathLike[str],
    *,
    max_total_bytes: int = 64 * MiB,
    max_files: int = 2000,
    max_ratio: float = 100.0,
) -> list[str]:
    """Extracts a zip or tar(.gz/.bz2/.xz) archive into `dest` (created, or an empty directory).

    Refuses absolute and `..` names, symlink, hard-link and device entries, more than `max_files`
    files, more than `max_total_bytes` unpacked, and (zip per entry, tar overall) a compression
    ratio over `max_ratio`. On refusal `dest` is left empty. Returns the extracted file names.
    """
    data = bytes(archive) if isinstance(archive, bytes | bytearray) else None
    path = None if data is not None else Path(os.fspath(archive))  # type: ignore[arg-type]
    dest_path = Path(dest)
    dest_path.mkdir(mode=0o755, parents=True, exist_ok=True)
    if any(dest_path.iterdir()):
        raise ArchiveError(f"destination {dest_path} is not empty")
    budget = _Budget(max_total_bytes=max_total_bytes, max_files=max_files)
    root_fd = os.open(dest_path, _DIR_FLAGS)
    names: list[str] = []
    try:
        with _open_source(data, path) as source:
            if zipfile.is_zipfile(source):
                source.seek(0)
                names = _extract_zip(source, root_fd, budget, max_ratio)
            else:
                source.seek(0)
                names = _extract_tar(source, root_fd, budget, max_ratio, _archive_size(data, path))
    except BaseException:
        _empty(dest_path)
        raise
    finally:
        os.close(root_fd)
    return names


@contextlib.contextmanager
def _open_source(data: bytes | None, path: Path | None) -> Iterator[IO[bytes]]:
    if data is not None:
        yield io.BytesIO(data)
        return
    assert path is not None
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        raise ArchiveError(f"cannot open archive {path}: {error.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ArchiveError(f"archive {path} is not a regular file")
        yield handle


def _extract_zip(source: IO[bytes], root_fd: int, budget: _Budget, max_ratio: float) -> list[str]:
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as error:
        raise ArchiveError(f"not a valid zip archive: {error}") from None
    with archive:
        entries = _zip_entries(archive, budget, max_ratio)
        seen: set[str] = set()
        for entry in entries:
            if entry.name in seen and not entry.is_dir:
                raise ArchiveError(f"entry {entry.name!r} appears twice in the archive")
            seen.add(entry.name)
        budget.total = 0  # declared sizes were checked; now count what really comes out
        names = []
        for entry, info in zip(entries, archive.infolist(), strict=True):
            try:
                with archive.open(info) as member:
                    _write_entry(root_fd, entry, member, budget)
            except (zipfile.BadZipFile, OSError) as error:
                if isinstance(error, ArchiveError):
                    raise
                raise ArchiveError(f"entry {entry.name!r} is corrupt: {error}") from None
            if not entry.is_dir:
                names.append(entry.name)
        return names


def _open_tar(source: IO[bytes]) -> tarfile.TarFile:
    try:
        return tarfile.open(fileobj=source, mode="r:*")
    except tarfile.TarError:
        raise ArchiveError("not a zip or tar archive (or a corrupt one)") from None


def _extract_tar(
    source: IO[bytes], root_fd: int, budget: _Budget, max_ratio: float, packed_size: int
) -> list[str]:
    names = []
    declared = _Budget(max_total_bytes=budget.max_total_bytes, max_files=budget.max_files)
    with _open_tar(source) as archive:
        try:
            # First pass over headers only: nothing is written from an archive that fails.
            members = list(_tar_entries(archive, declared))
            if declared.total > max_ratio * max(packed_size, 1):
                raise ArchiveError(
                    f"archive unpacks to over {max_ratio:g} times its size (a decompression bomb?)"
                )
            for entry, member in members:
                if entry.is_dir:
                    _write_entry(root_fd, entry, io.BytesIO(), budget)
                    continue
                handle = archive.extractfile(member)
                assert handle is not None  # a regular member always has data
                with handle:
                    _write_entry(root_fd, entry, handle, budget)
                names.append(entry.name)
        except tarfile.TarError as error:
            raise ArchiveError(f"corrupt tar archive: {error}") from None
    return names


def _empty(directory: Path) -> None:
    for child in directory.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
