"""The platform layer: each OS's mode is chosen as the OS dictates and uses its own primitives.

Where the OS call itself exists on Linux the modes are exercised for real (see the
``platform_mode`` fixture); where it does not (``fdatasync`` on macOS, sharing violations on
Windows) the OS function is replaced by a recording or failing one, never our own store.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from store import DocumentStore, StoreLocked, StoreWriteFailed
from store.platform import F_FULLFSYNC, PLATFORM_ENV, Kind, Platform

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="needs fcntl and directory fsync")


@pytest.fixture
def native(monkeypatch: pytest.MonkeyPatch) -> None:
    """No forced mode: :meth:`Platform.detect` looks at the OS."""
    monkeypatch.delenv(PLATFORM_ENV, raising=False)


@pytest.mark.usefixtures("native")
def test_the_mode_follows_the_os(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Platform.detect(sys_platform="win32").kind is Kind.WINDOWS
    assert Platform.detect(sys_platform="darwin").kind is Kind.MACOS
    assert Platform.detect(sys_platform="linux").kind is Kind.LINUX
    monkeypatch.delattr(os, "fdatasync")
    assert Platform.detect(sys_platform="linux").kind is Kind.MACOS
    assert Platform.detect({PLATFORM_ENV: "windows"}).kind is Kind.WINDOWS
    with pytest.raises(ValueError, match=PLATFORM_ENV):
        Platform.detect({PLATFORM_ENV: "beos"})


@posix_only
@pytest.mark.usefixtures("native")
def test_without_fdatasync_writes_reach_the_disk_through_full_fsync(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    monkeypatch.delattr(os, "fdatasync", raising=False)
    commands: list[int] = []
    fsynced: list[int] = []
    real_fcntl, real_fsync = fcntl.fcntl, os.fsync

    def recording_fcntl(fd: int, command: int, *args: object) -> object:
        commands.append(command)
        return real_fcntl(fd, command, *args)

    def recording_fsync(fd: int) -> None:
        fsynced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(fcntl, "fcntl", recording_fcntl)
    monkeypatch.setattr(os, "fsync", recording_fsync)
    with DocumentStore.open(tmp_path) as store:
        assert store.platform.kind is Kind.MACOS
        fsynced.clear()
        store.put({"_id": "member:1", "name": "王五"})
    assert F_FULLFSYNC in commands
    assert fsynced  # Linux refuses F_FULLFSYNC, as SMB shares do on a Mac: fsync is the fallback
    with DocumentStore.open(tmp_path) as store:
        assert store.get("member:1")["name"] == "王五"


def recorded_fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each ``os.fsync`` was given from now on: "file" or "dir"."""
    kinds: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        kinds.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    return kinds


def test_windows_mode_flushes_files_with_fsync_and_never_opens_a_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fdatasync", raising=False)
    kinds = recorded_fsyncs(monkeypatch)
    with DocumentStore.open(tmp_path, platform=Platform(Kind.WINDOWS)) as store:
        kinds.clear()
        store.put({"_id": "member:1"})
        assert kinds == ["file"]
        store.compact()
    assert "dir" not in kinds


@posix_only
def test_posix_modes_make_a_rename_durable_by_syncing_the_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kinds = recorded_fsyncs(monkeypatch)
    with DocumentStore.open(tmp_path, platform=Platform(Kind.MACOS)) as store:
        store.put({"_id": "member:1"})
        kinds.clear()
        store.compact()
    assert "dir" in kinds


def failing_replace(monkeypatch: pytest.MonkeyPatch, failures: int) -> list[int]:
    """``os.replace`` failing as Windows does while a reader holds the target open."""
    calls: list[int] = []
    real = os.replace

    def replace(source: Path, target: Path) -> None:
        calls.append(1)
        if len(calls) <= failures:
            raise PermissionError(13, "The process cannot access the file because it is being "
                                      "used by another process")
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr("store.platform.time.sleep", lambda seconds: None)
    return calls


def test_windows_replace_waits_out_a_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    source, target = tmp_path / "new", tmp_path / "old"
    source.write_text("new")
    target.write_text("old")
    calls = failing_replace(monkeypatch, failures=3)
    Platform(Kind.WINDOWS).replace(source, target)
    assert target.read_text() == "new" and len(calls) == 4


def test_windows_replace_gives_up_after_a_bounded_wait(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "new"
    source.write_text("new")
    calls = failing_replace(monkeypatch, failures=10_000)
    with pytest.raises(PermissionError):
        Platform(Kind.WINDOWS).replace(source, tmp_path / "old")
    assert 1 < len(calls) < 100
    calls.clear()
    with pytest.raises(PermissionError):  # elsewhere a refusal is real: no retry
        Platform(Kind.LINUX).replace(source, tmp_path / "old")
    assert len(calls) == 1


def test_a_compaction_blocked_by_a_reader_keeps_every_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with DocumentStore.open(tmp_path, platform=Platform(Kind.WINDOWS)) as store:
        store.put({"_id": "member:1", "n": 1})
        failing_replace(monkeypatch, failures=10_000)
        with pytest.raises(StoreWriteFailed):
            store.compact()
        store.put({"_id": "member:2", "n": 2})
        monkeypatch.undo()
    with DocumentStore.open(tmp_path) as store:
        assert store.doc_count == 2


def test_windows_data_lives_under_local_app_data() -> None:
    """Only the path is checked: that its ACL admits only the user is Windows' own promise."""
    windows = Platform(Kind.WINDOWS)
    local = r"C:\Users\li\AppData\Local"
    assert windows.default_data_dir({"LOCALAPPDATA": local}) == Path(local) / "mishu"
    assert windows.default_data_dir({}) == Path.home() / "AppData" / "Local" / "mishu"
    assert Platform(Kind.LINUX).default_data_dir({"LOCALAPPDATA": local}) == Path("data")
    assert Platform(Kind.MACOS).default_data_dir({}) == Path("data")


def test_another_process_holding_the_data_dir_is_named(platform_mode: Kind, tmp_path: Path
                                                        ) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from store import DocumentStore; "
         "s = DocumentStore.open(sys.argv[1]); print('ready', flush=True); sys.stdin.read()",
         str(tmp_path)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLocked) as refused:
            DocumentStore.open(tmp_path)
        assert f"pid {holder.pid}" in str(refused.value)
    finally:
        holder.kill()
        holder.wait()
    with DocumentStore.open(tmp_path) as store:  # the OS dropped the dead holder's lock
        assert store.platform.kind is platform_mode


def test_a_file_system_without_unix_modes_still_takes_exports_and_a_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")  # chmod on a FAT USB stick

    monkeypatch.setattr(os, "chmod", refused)
    platform = Platform(Kind.LINUX if hasattr(os, "fdatasync") else Kind.MACOS)
    with platform.open_private(tmp_path / "attendance.csv", "w", encoding="utf-8") as out:
        out.write("李四\n")
    with DocumentStore.open(tmp_path / "data", platform=platform) as store:
        store.put({"_id": "member:1"})
        store.compact()
    assert (tmp_path / "attendance.csv").read_text(encoding="utf-8") == "李四\n"
