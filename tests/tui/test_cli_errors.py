"""The command line on bad paths: a clear message in the user's language, never a traceback."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest

from store import DocumentStore
from tui.cli import main

from .cli_runner import empty_config, run

EXPORT = ("export", "bookings", "--ics")


def no_traceback(err: str) -> bool:
    return "Traceback" not in err and "Errno" not in err


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Cannot use {path}: not a directory."), ("zh", "无法使用 {path}：不是目录。")])
def test_data_dir_that_is_a_file(tmp_path: Path, lang: str, expected: str) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# not a data directory\n", encoding="utf-8")
    code, _, err = run(readme, "--lang", lang, *EXPORT, str(tmp_path / "a.ics"))
    assert (code, err.strip()) == (1, expected.format(path=readme))
    assert readme.read_text(encoding="utf-8") == "# not a data directory\n"


def test_data_dir_that_cannot_be_made(tmp_path: Path) -> None:
    err = StringIO()
    code = main(["--config", str(empty_config(tmp_path / "data")), "--data", "/proc/mishu-data",
                 "--lang", "en", *EXPORT, str(tmp_path / "a.ics")], out=StringIO(), err=err)
    assert code == 1 and no_traceback(err.getvalue())
    assert err.getvalue().startswith("Cannot use /proc/mishu-data")


def test_logs_in_the_way(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "logs").write_text("a file where the log folder belongs", encoding="utf-8")
    code, _, err = run(data, "--lang", "en", *EXPORT, str(tmp_path / "a.ics"))
    assert code == 1 and no_traceback(err)
    assert err.strip() == f"Cannot use {data / 'logs'}: something of that name is already there."


def test_log_file_that_cannot_be_opened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "logs" / "mishu.log").mkdir(parents=True)
    code, _, err = run(data, "--lang", "zh", *EXPORT, str(tmp_path / "a.ics"))
    assert (code, err.strip()) == (1, f"无法使用 {data / 'logs' / 'mishu.log'}：这是一个目录。")


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "There is no configuration file {path}."), ("zh", "找不到配置文件 {path}。")])
def test_missing_config_stops_with_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 lang: str, expected: str) -> None:
    monkeypatch.chdir(tmp_path)  # where ./data would be made if the command ran on
    missing = tmp_path / "office.toml"
    err = StringIO()
    code = main(["--config", str(missing), "--lang", lang, *EXPORT, "a.ics"], out=StringIO(),
                err=err)
    assert code == 2 and err.getvalue().startswith(expected.format(path=missing))
    assert sorted(path.name for path in tmp_path.iterdir()) == []


def test_failed_write_names_the_path(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "bookings.ics"
    code, _, err = run(tmp_path / "data", "--lang", "en", *EXPORT, str(target))
    assert (code, err.strip()) == (1, f"Cannot use {target}: no such file or directory.")
    code, _, err = run(tmp_path / "data", "--lang", "zh", *EXPORT, str(tmp_path))
    assert (code, err.strip()) == (1, f"无法使用 {tmp_path}：这是一个目录。")


def test_failed_attendance_write_names_the_path(tmp_path: Path) -> None:
    from store.meetings import Meeting, save_meeting

    with DocumentStore.open(tmp_path / "data") as store:
        save_meeting(store, Meeting("meeting:m", "例会", "2026-12-02T09:00", "2026-12-02T10:00"))
    target = tmp_path / "missing" / "a.xlsx"
    code, _, err = run(tmp_path / "data", "--lang", "en", "export", "attendance", "m",
                       "--format", "xlsx", "--out", str(target))
    assert (code, err.strip()) == (1, f"Cannot use {target}: no such file or directory.")


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Cannot use data/logs: permission denied."), ("zh", "无法使用 data/logs：没有权限。")])
def test_unreadable_path_reads_in_the_users_language(lang: str, expected: str) -> None:
    """What an unreadable ``data/logs`` gives (tests run as root, where nothing is unreadable)."""
    import errno

    from tui.i18n import Translator

    error = PermissionError(errno.EACCES, "Permission denied", "data/logs")
    assert Translator(lang).error(error) == expected
