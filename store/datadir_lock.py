"""One process per data directory.

Two processes appending to the same journal would interleave and corrupt it, so the directory
is guarded by an advisory ``flock`` on ``mishu.lock``. The kernel drops the lock when the
holder dies (even by ``kill -9``), so a crash never leaves a stale lock behind. The holder's
pid is written into the file so the refusal can name it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .errors import StoreLocked

LOCK_NAME = "mishu.lock"


class DataDirLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self._fd = -1

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise StoreLocked(path=str(self.path.parent), pid=holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
