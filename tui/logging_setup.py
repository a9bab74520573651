"""Log to a rotating file in the data directory, never to the terminal the UI draws on."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO, Any

from store.platform import Platform

LOG_DIR = "logs"
LOG_NAME = "mishu.log"


def log_path(data_dir: Path) -> Path:
    return data_dir / LOG_DIR / LOG_NAME


class PrivateLogHandler(RotatingFileHandler):
    """A rotating log whose files are created 0600: tracebacks quote names and phone numbers."""

    def _open(self) -> IO[Any]:
        return Platform.detect().open_private(Path(self.baseFilename), self.mode,
                                              encoding=self.encoding, errors=self.errors)


def setup_logging(data_dir: Path, level: str = "INFO") -> Path:
    path = log_path(data_dir)
    Platform.detect().make_private_dir(path.parent)
    handler = PrivateLogHandler(path, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, RotatingFileHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    return path
