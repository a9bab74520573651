"""Another local user can read nothing of a node's data, whatever the umask (issue 15 item 10),
and without ``--data`` the data lands where the platform keeps a user's private files."""

from __future__ import annotations

import io
import logging
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import DocumentStore
from store.archive_blobs import BlobStore
from store.platform import PLATFORM_ENV
from sync.admin_listener import admin_password
from tui.cli import main

from .cli_runner import run


unix_modes = pytest.mark.skipif(sys.platform == "win32",
                                reason="Windows keeps data private by the profile's ACL, not modes")


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def not_private(data: Path) -> list[str]:
    """Every path under ``data`` (``data`` included) another user could read or enter."""
    wrong = []
    for path in [data, *data.rglob("*")]:
        expected = 0o700 if path.is_dir() else 0o600
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode != expected:
            wrong.append(f"{path.relative_to(data.parent)} {mode:o}")
    return wrong


@unix_modes
@pytest.mark.usefixtures("umask_022")
def test_everything_a_node_writes_is_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"0" * 4096)
    assert run(data, "cluster", "init")[0] == 0  # CA and node keys and certificates, the log
    with DocumentStore.open(data) as store:
        store.put({"_id": "member:2026001", "name": "李四", "phone": "13800000000"})
        BlobStore.for_store(store).add_file(scan, max_bytes=1 << 20)
        store.compact()
    logging.getLogger("mishu").error("a line about 李四")
    admin_password(data)
    code, _, err = run(data, "export", "bookings", "--ics", str(data / "bookings.ics"))
    assert code == 0, err
    names = {path.name for path in data.rglob("*")}
    assert {"snapshot", "mishu.log", "ca.pem", "node.key", "bookings.ics"} <= names
    assert not_private(data) == []


@unix_modes
@pytest.mark.usefixtures("umask_022")
def test_a_data_dir_from_an_older_version_is_tightened_on_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "logs").mkdir(parents=True, mode=0o755)
    (data / "logs" / "mishu.log").write_text("old log\n")
    os.chmod(data, 0o755)
    with DocumentStore.open(data) as store:
        store.put({"_id": "member:1"})
    assert not_private(data) == []


def test_without_data_dir_windows_keeps_data_under_local_app_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(PLATFORM_ENV, "windows")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    config = tmp_path / "config.toml"
    config.write_text("[general]\nlanguage = \"en\"\n")  # no data_dir
    export = ["--config", str(config), "export", "bookings", "--ics", "b.ics"]
    assert main(export, out=io.StringIO(), err=io.StringIO()) == 0
    assert (tmp_path / "Local" / "mishu" / "db").is_dir()
    assert not (tmp_path / "data").exists()
    monkeypatch.setenv(PLATFORM_ENV, "linux")  # Linux and macOS keep ./data
    assert main(export, out=io.StringIO(), err=io.StringIO()) == 0
    assert (tmp_path / "data" / "db").is_dir()
