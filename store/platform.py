"""What differs between Linux, macOS and Windows, decided once and used by every file write.

Secretaries run mishu on Windows laptops and MacBooks as well as Linux boxes, and the three
disagree on exactly the calls a durable store leans on:

- **durable flush**: ``fdatasync`` on Linux; macOS has no ``fdatasync`` and its ``fsync`` stops
  at the drive's cache, so only ``fcntl(F_FULLFSYNC)`` reaches the platter; Windows has
  ``os.fsync`` (``FlushFileBuffers``);
- **directory fsync** (making a rename or a new file durable): POSIX only; Windows cannot open
  a directory as a file and NTFS journals the rename itself;
- **atomic replace**: ``os.replace`` everywhere, but on Windows it fails with a sharing
  violation while another process (a backup tool, an antivirus scan) holds the target open, so
  it is retried for a bounded time;
- **the data-dir lock**: ``flock`` or ``msvcrt`` locking, left to the ``filelock`` package;
- **privacy**: Unix modes (directories 0700, files 0600, whatever the umask) where they mean
  something; on Windows the data dir lives under ``%LOCALAPPDATA%`` by default, whose ACL
  grants only the user (and the system) access, and every file inherits it. That ACL claim is
  Windows' documented behaviour and cannot be checked from the Linux test machine: the tests
  check only that the path is chosen.

:class:`Platform` is the seam: :meth:`Platform.detect` chooses the mode from ``sys.platform``
and ``hasattr(os, "fdatasync")``; ``MISHU_PLATFORM=linux|macos|windows`` forces a mode, so the
tests and the crash loop (whose writers are child processes) take the macOS and Windows paths
on Linux wherever the underlying call exists there.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any

import filelock

from .errors import StoreLocked

PLATFORM_ENV = "MISHU_PLATFORM"
LOCK_NAME = "mishu.lock"
PID_NAME = "mishu.pid"
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
F_FULLFSYNC = 51  # from macOS <sys/fcntl.h>; Python's fcntl names it only when built there
_BINARY = getattr(os, "O_BINARY", 0)  # without it Windows writes "\n" as "\r\n"
_REPLACE_ATTEMPTS = 40
_REPLACE_PAUSE = 0.025  # about a second in all: a scan lets go by then, a stuck reader fails


class Kind(Enum):
    LINUX = "linux"
    MACOS = "macos"
    WINDOWS = "windows"


@dataclass(frozen=True)
class Platform:
    """The operating-system mode of this process; every durable file operation goes here."""

    kind: Kind

    @classmethod
    def detect(cls, environ: Mapping[str, str] = os.environ,
               sys_platform: str = sys.platform) -> Platform:
        forced = environ.get(PLATFORM_ENV, "")
        if forced:
            try:
                return cls(Kind(forced))
            except ValueError:
                raise ValueError(f"{PLATFORM_ENV} must be linux, macos or windows, not {forced!r}"
                                 ) from None
        if sys_platform == "win32":
            return cls(Kind.WINDOWS)
        if sys_platform == "darwin" or not hasattr(os, "fdatasync"):
            return cls(Kind.MACOS)  # a Unix without fdatasync: F_FULLFSYNC, else fsync
        return cls(Kind.LINUX)

    @property
    def reads_replaced_files(self) -> bool:
        """Whether a file renamed over stays readable through a descriptor opened before (POSIX
        keeps the old file until its last descriptor closes; Windows refuses the rename)."""
        return self.kind is not Kind.WINDOWS

    @property
    def unix_modes(self) -> bool:
        """Whether file modes protect anything (on Windows the inherited ACL does)."""
        return self.kind is not Kind.WINDOWS

    # -- durability -------------------------------------------------------------------------

    def flush(self, fd: int) -> None:
        """Return only when the bytes written to ``fd`` are on the disk itself."""
        if self.kind is Kind.LINUX:
            os.fdatasync(fd)
        elif self.kind is Kind.MACOS:
            import fcntl

            try:
                fcntl.fcntl(fd, F_FULLFSYNC)
            except OSError:  # SMB shares and some USB file systems refuse it: fsync is their best
                os.fsync(fd)
        else:
            os.fsync(fd)

    def sync_directory(self, directory: Path) -> None:
        """Make a rename or a new file in ``directory`` durable (POSIX needs it, NTFS does not)."""
        if self.kind is Kind.WINDOWS:
            return
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def replace(self, source: Path, target: Path) -> None:
        """``os.replace``; on Windows retried while another process holds ``target`` open."""
        attempts = _REPLACE_ATTEMPTS if self.kind is Kind.WINDOWS else 1
        for attempt in range(1, attempts + 1):
            try:
                os.replace(source, target)
                return
            except PermissionError:  # ERROR_SHARING_VIOLATION and ERROR_ACCESS_DENIED
                if attempt == attempts:
                    raise
                time.sleep(_REPLACE_PAUSE)

    def write_atomically(self, path: Path, data: bytes) -> None:
        """Write ``path`` private and whole: a crash leaves the old file or the new, not half."""
        temp = path.with_name(path.name + ".tmp")
        with self.open_private(temp, "wb") as out:
            out.write(data)
            out.flush()
            self.flush(out.fileno())
        self.replace(temp, path)
        self.sync_directory(path.parent)

    # -- privacy ----------------------------------------------------------------------------

    def open_private(self, path: Path, mode: str = "wb", **kwargs: Any) -> IO[Any]:
        """Open ``path`` for writing, created readable by its owner only (0600) from the start."""
        flags = os.O_WRONLY | os.O_CREAT | _BINARY
        flags |= os.O_APPEND if mode.startswith("a") else os.O_TRUNC
        fd = os.open(path, flags, PRIVATE_FILE)
        try:
            if self.unix_modes:
                _set_mode(fd, PRIVATE_FILE)  # exact whatever the umask, and for an older file
            return os.fdopen(fd, mode, **kwargs)
        except BaseException:
            os.close(fd)
            raise

    def open_private_fd(self, path: Path, flags: int) -> int:
        """A raw descriptor for ``path`` (binary, created 0600), for the journal's appends."""
        return os.open(path, flags | os.O_CREAT | _BINARY, PRIVATE_FILE)

    def make_private_dir(self, directory: Path) -> None:
        """Create ``directory`` (and missing parents) as 0700; an existing one is left alone."""
        if directory.is_dir():
            return
        self.make_private_dir(directory.parent)
        try:
            directory.mkdir(PRIVATE_DIR)
        except FileExistsError:
            if directory.is_dir():  # made meanwhile by another process
                return
            raise  # a file of that name is in the way: the caller names it
        if self.unix_modes:
            _set_mode(directory, PRIVATE_DIR)

    def make_private_tree(self, data_dir: Path) -> None:
        """Create the data dir 0700, or tighten one written by an older version or a restore.

        Only a data dir that is not already 0700 is walked: everything mishu writes inside it
        is created private, so a private top means a private tree, and opening stays quick.
        """
        self.make_private_dir(data_dir)
        if not self.unix_modes or stat.S_IMODE(data_dir.stat().st_mode) == PRIVATE_DIR:
            return
        for root, dirs, files in os.walk(data_dir):
            for name in dirs:
                _tighten(Path(root, name), PRIVATE_DIR)
            for name in files:
                _tighten(Path(root, name), PRIVATE_FILE)
        _set_mode(data_dir, PRIVATE_DIR)  # last: a walk cut short by a crash is done again

    # -- where the data lives ---------------------------------------------------------------

    def default_data_dir(self, environ: Mapping[str, str] = os.environ) -> Path:
        """``./data`` on Linux and macOS; ``%LOCALAPPDATA%\\mishu`` on Windows (a per-user ACL)."""
        if self.kind is not Kind.WINDOWS:
            return Path("data")
        local = environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(local) / "mishu"

    def lock(self, data_dir: Path) -> DataDirLock:
        return DataDirLock(data_dir, self)


def open_private(path: Path, mode: str = "wb", **kwargs: Any) -> IO[Any]:
    """:meth:`Platform.open_private` on this OS: exports and logs hold personal data too."""
    return Platform.detect().open_private(path, mode, **kwargs)


def _set_mode(target: Path | int, mode: int) -> None:
    """chmod a path or descriptor; a FAT or exFAT USB stick (an export, a data dir carried
    around) has no Unix modes and refuses, which leaves the file as private as it can be."""
    with contextlib.suppress(PermissionError):
        os.chmod(target, mode)


def _tighten(path: Path, mode: int) -> None:
    if not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) != mode:
        _set_mode(path, mode)


class DataDirLock:
    """One process per data directory.

    Two processes appending to the same journal would interleave and corrupt it. ``filelock``
    holds an OS lock on ``mishu.lock`` (``flock`` on Unix, ``msvcrt`` locking on Windows),
    which the OS drops when the holder dies, even by ``kill -9``, so a crash never leaves a
    stale lock. Windows locks bar others from reading the locked file, so the holder's pid
    goes into ``mishu.pid`` beside it, for the refusal to name.
    """

    def __init__(self, data_dir: Path, platform: Platform) -> None:
        self.path = data_dir / LOCK_NAME
        self._platform = platform
        # thread_local=False: a store may be closed by another thread than the one that opened it
        self._lock = filelock.FileLock(self.path, timeout=0, mode=PRIVATE_FILE, thread_local=False)

    def acquire(self) -> None:
        self._platform.make_private_dir(self.path.parent)
        try:
            self._lock.acquire()
        except filelock.Timeout:
            raise StoreLocked(path=str(self.path.parent), pid=self._holder()) from None
        try:  # under the lock, so no other mishu renames files while the tree is walked
            self._platform.make_private_tree(self.path.parent)
            self._platform.write_atomically(self.path.with_name(PID_NAME),
                                            f"{os.getpid()}\n".encode())
        except BaseException:
            self._lock.release()
            raise

    def _holder(self) -> str:
        try:
            return self.path.with_name(PID_NAME).read_text("ascii").strip() or "?"
        except (OSError, UnicodeDecodeError):
            return "?"

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()
