"""Run the ``mishu`` command line in-process against a data directory, capturing its output."""

from __future__ import annotations

import io
from pathlib import Path

from tui.cli import main


def run(data_dir: Path, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr); no config file, so every setting is its default."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["--config", str(data_dir / "none.toml"), "--data", str(data_dir), *args],
                out=out, err=err)
    return code, out.getvalue(), err.getvalue()
