"""``mishu --help``, every subcommand's help and argparse's errors in the user's language."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.cli import build_parser, main
from tui.i18n import Translator

from .cli_runner import run
from .test_i18n import half_width_punctuation

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_ARGPARSE = ("usage:", "options:", "positional arguments", "show this help", "error:")


def every_parser(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield from every_parser(child)


@pytest.fixture
def chinese_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")


def test_every_help_text_is_chinese() -> None:
    untranslated = []
    for parser in every_parser(build_parser(Translator("zh"))):
        shown = parser.format_help()
        if (not shown.startswith("用法：") or any(word in shown for word in ENGLISH_ARGPARSE)
                or half_width_punctuation(shown)):
            untranslated.append(f"{parser.prog}: {shown}")
        for action in parser._actions:
            if (not isinstance(action, argparse._SubParsersAction)
                    and not CJK.search(action.help or "")):
                untranslated.append(f"{parser.prog} {action.dest}: {action.help!r}")
    assert untranslated == []


@pytest.mark.parametrize("args", [["--help"], ["labels", "--help"], ["export", "bookings", "-h"]])
def test_help_follows_lang(chinese_locale: None, capsys: pytest.CaptureFixture[str],
                           args: list[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(args)
    shown = capsys.readouterr().out
    assert stop.value.code == 0
    assert shown.startswith("用法：mishu") and "选项：" in shown and "显示此帮助并退出" in shown


@pytest.mark.parametrize(("args", "expected"), [
    (["labels"], "mishu labels：错误：缺少必需的参数：kind, --out"),
    (["labels", "chairs", "--out", "x.pdf"],
     "mishu labels：错误：参数 kind：无效的选择：'chairs'（可选：'assets', 'items'）"),
    (["labels", "assets", "--out", "x.pdf", "--rows", "many"],
     "mishu labels：错误：参数 --rows：无效的 int 值：'many'"),
    (["export", "bookings", "--ics"], "mishu export bookings：错误：参数 --ics：需要一个值"),
    (["demo", "--fast"], "mishu：错误：无法识别的参数：--fast"),
])
def test_usage_errors_in_chinese(chinese_locale: None, capsys: pytest.CaptureFixture[str],
                                 args: list[str], expected: str) -> None:
    with pytest.raises(SystemExit) as stop:
        main(args)
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert err.startswith("用法：") and err.rstrip().splitlines()[-1] == expected


def test_lang_option_wins_over_the_locale(chinese_locale: None,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "en", "labels"])
    err = capsys.readouterr().err
    assert err.rstrip().splitlines()[-1] == (
        "mishu labels: error: the following arguments are required: kind, --out")


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("missing.csv", None, "{path}：找不到文件"),
    ("roster.xlsx", b"not a workbook", "{path}：不是可读取的 XLSX 文件（文件已损坏，或不是 Excel 工作簿）"),
    ("roster.csv", "部门,职务\n秘书处,干事\n".encode(), "{path}：缺少列："),
    ("roster.csv", b"", "{path}：文件是空的"),
])
def test_roster_file_errors_in_chinese(tmp_path: Path, name: str, content: bytes | None,
                                       expected: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, _, err = run(tmp_path / "data", "--lang", "zh", "import", "members", str(path))
    assert code == 1 and err.startswith(expected.format(path=path))
