"""Run the ``mishu`` command line in-process against a data directory, capturing its output."""

from __future__ import annotations

import io
from pathlib import Path

from tui.cli import main


def empty_config(beside: Path) -> Path:
    """An empty config file next to ``beside``: every setting takes its default."""
    path = beside.parent / f"{beside.name}-empty.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="utf-8")
    return path


def run(data_dir: Path, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr); an empty config file, so every setting is its default."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["--config", str(empty_config(data_dir)), "--data", str(data_dir), *args],
                out=out, err=err)
    return code, out.getvalue(), err.getvalue()
