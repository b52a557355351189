"""Safe reading of results and safe extraction of candidate archives (attacks 21, 22, 25)."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vetta.grading.sandbox.safeio import (
    ArchiveError,
    UnsafeFileError,
    extract_archive,
    read_regular_file,
    read_under,
)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("host secret")
    return path


def test_read_regular_file_reads_a_file_within_its_cap(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text("{}")
    assert read_regular_file(tmp_path / "r.json", 10) == b"{}"


def test_21_read_regular_file_refuses_symlinks_fifos_directories_and_big_files(
    tmp_path: Path, secret: Path
) -> None:
    (tmp_path / "link").symlink_to(secret)
    os.mkfifo(tmp_path / "fifo")  # opening it blocking would hang the grader forever
    (tmp_path / "big").write_bytes(b"x" * 11)
    cases = {
        "link": "is a symlink",
        "fifo": "is not a regular file",
        "big": "over the 10-byte cap",
        "missing": "does not exist",
    }
    for name, reason in cases.items():
        with pytest.raises(UnsafeFileError, match=reason):
            read_regular_file(tmp_path / name, 10)
    with pytest.raises(UnsafeFileError, match="not a regular file"):
        read_regular_file(tmp_path, 10)


def test_read_under_refuses_a_symlink_in_any_parent(tmp_path: Path, secret: Path) -> None:
    root = tmp_path / "work"
    (root / "real").mkdir(parents=True)
    (root / "real" / "ok.json").write_text("1")
    (root / "out").symlink_to(secret.parent)
    assert read_under(root, "real/ok.json", 10) == b"1"
    with pytest.raises(UnsafeFileError, match="not a directory"):
        read_under(root, f"out/{secret.name}", 100)
    for bad in ("../secret.txt", "/etc/passwd", ""):
        with pytest.raises(ValueError, match="path"):
            read_under(root, bad, 100)


FLIPPER = """
import os, sys
work, secret = sys.argv[1], sys.argv[2]
while True:
    os.symlink(secret, work + "/tmp-link")
    os.replace(work + "/tmp-link", work + "/result")
    os.link(work + "/regular", work + "/tmp-file")
    os.replace(work + "/tmp-file", work + "/result")
"""


def test_22_open_then_fstat_never_leaks_under_a_symlink_flip_race(
    tmp_path: Path, secret: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "regular").write_text("honest")
    # A separate process, so the race runs truly in parallel with our reads.
    flipper = subprocess.Popen([sys.executable, "-c", FLIPPER, str(work), str(secret)])
    seen = {"regular": 0, "refused": 0}
    try:
        reads = 0
        # Thousands of reads, and on until both states were seen often: the race was real.
        while reads < 5000 or min(seen.values()) < 100:
            assert reads < 500_000, seen
            reads += 1
            try:
                data = read_under(work, "result", 100)
            except UnsafeFileError:
                seen["refused"] += 1
                continue
            assert data == b"honest"
            seen["regular"] += 1
    finally:
        flipper.kill()
        flipper.wait()


# --- archives ------------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes], *, symlinks: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def _tar(members: list[tarfile.TarInfo], data: dict[str, bytes], mode: str = "w:gz") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for member in members:
            payload = data.get(member.name)
            if payload is not None:
                member.size = len(payload)
            archive.addfile(member, io.BytesIO(payload) if payload is not None else None)
    return buffer.getvalue()


def _member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type = kind
    member.linkname = linkname
    return member


def test_a_clean_zip_and_a_clean_tar_gz_extract(tmp_path: Path) -> None:
    names = extract_archive(_zip({"a.py": b"1", "pkg/b.py": b"2"}), tmp_path / "z")
    assert sorted(names) == ["a.py", "pkg/b.py"]
    assert (tmp_path / "z" / "pkg" / "b.py").read_bytes() == b"2"
    tar = _tar([_member("src", tarfile.DIRTYPE), _member("src/m.py")], {"src/m.py": b"3"})
    archive = tmp_path / "s.tar.gz"
    archive.write_bytes(tar)
    assert extract_archive(archive, tmp_path / "t") == ["src/m.py"]
    assert (tmp_path / "t" / "src" / "m.py").read_bytes() == b"3"


def _refused(archive: bytes, dest: Path, match: str, **limits: float) -> None:
    outside_before = sorted(p.name for p in dest.parent.iterdir())
    with pytest.raises(ArchiveError, match=match):
        extract_archive(archive, dest, **limits)  # type: ignore[arg-type]
    assert list(dest.iterdir()) == []  # nothing kept from a refused archive
    assert sorted(p.name for p in dest.parent.iterdir()) == sorted({*outside_before, dest.name})


@pytest.mark.parametrize(
    "name", ["../evil.py", "a/../../evil.py", "/etc/evil", "C:/evil", "..\\evil"]
)
def test_25_zip_slip_names_are_refused_and_nothing_is_written_outside(
    tmp_path: Path, name: str
) -> None:
    _refused(_zip({"ok.py": b"1", name: b"x"}), tmp_path / "dest", "absolute|zip-slip|backslash")


def test_25_tar_slip_names_are_refused(tmp_path: Path) -> None:
    tar = _tar([_member("ok.py"), _member("../../evil.py")], {"ok.py": b"1", "../../evil.py": b"x"})
    _refused(tar, tmp_path / "dest", "zip-slip")


def test_25_symlink_hardlink_and_device_entries_are_refused(tmp_path: Path) -> None:
    _refused(_zip({"a": b"1"}, symlinks={"link": "/etc/passwd"}), tmp_path / "z", "symlink")
    sym = _tar([_member("link", tarfile.SYMTYPE, "/etc/passwd")], {})
    _refused(sym, tmp_path / "s", "symlink")
    hard = _tar([_member("link", tarfile.LNKTYPE, "/etc/passwd")], {})
    _refused(hard, tmp_path / "h", "hard link")
    device = _tar([_member("dev", tarfile.CHRTYPE)], {})
    _refused(device, tmp_path / "d", "device")
    fifo = _tar([_member("fifo", tarfile.FIFOTYPE)], {})
    _refused(fifo, tmp_path / "f", "device, FIFO")


def test_bombs_are_refused_by_total_size_ratio_and_file_count(tmp_path: Path) -> None:
    zeros = _zip({"zeros.bin": b"\0" * (4 << 20)})  # 4 MiB that compress ~1000:1
    _refused(zeros, tmp_path / "ratio", "compression ratio", max_ratio=100)
    _refused(
        zeros, tmp_path / "size", "more than 1048576 bytes", max_total_bytes=1 << 20, max_ratio=1e9
    )
    many = _zip({f"f{i}.txt": b"x" for i in range(50)})
    _refused(many, tmp_path / "count", "more than 10 files", max_files=10)
    tar_bomb = _tar([_member("zeros.bin")], {"zeros.bin": b"\0" * (4 << 20)})
    _refused(tar_bomb, tmp_path / "tar", "times its size", max_ratio=100)


def test_an_archive_lying_about_its_sizes_is_caught_while_writing(tmp_path: Path) -> None:
    data = bytearray(_zip({"a.txt": b"y" * 1000}))
    # Patch the central directory's uncompressed size of a.txt down to 10 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(ArchiveError):
        extract_archive(bytes(data), tmp_path / "dest", max_ratio=1e9)
    assert list((tmp_path / "dest").iterdir()) == []


def test_duplicates_garbage_and_a_non_empty_destination_are_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", b"1")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("a.txt", b"2")
    _refused(buffer.getvalue(), tmp_path / "dup", "appears twice")
    _refused(b"this is not an archive", tmp_path / "junk", "not a zip or tar")
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("")
    with pytest.raises(ArchiveError, match="not empty"):
        extract_archive(_zip({"a": b"1"}), full)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["a", "b", ".", "..", "", "\\", "C:"]), min_size=1, max_size=5
        ).map("/".join),
        min_size=1,
        max_size=5,
        unique=True,
    )
)
def test_no_entry_name_ever_lands_outside_the_destination(names: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as root:
        dest = Path(root) / "dest"
        try:
            archive = _zip(dict.fromkeys(names, b"x"))
        except (IndexError, ValueError):
            assume(False)  # a name zipfile itself cannot write
        try:
            written = extract_archive(archive, dest)
        except ArchiveError:
            written = []
        for path in Path(root).rglob("*"):
            assert path == dest or dest in path.parents
        for name in written:
            assert (dest / name).resolve().is_relative_to(dest.resolve())
