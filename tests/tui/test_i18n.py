"""Both languages carry exactly the same keys and placeholders."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.align import Align
from textual.command import CommandInput, CommandList, CommandPalette

import store as store_package
import sync as sync_package
from store import DocumentStore
from store.errors import StoreError
from store.members import Member, save_member
from store.roster import RosterError
from tui.app import MishuApp
from tui.context import AppContext
from tui.i18n import LANGUAGES, Translator, load_catalog
from tui.settings import Settings

from ..kiosk.driving import wait_until

PLACEHOLDER = re.compile(r"{(\w+)}")
ROOT = Path(__file__).resolve().parents[2]
HANZI = "\u4e00-\u9fff"
CJK_RE = re.compile(f"[{HANZI}]")
# ASCII punctuation touching a Chinese character, or ASCII brackets around Chinese text.
HALF_WIDTH = re.compile(rf"[{HANZI}][,:;()!?]|[,:;()!?][{HANZI}]|\([^()]*[{HANZI}][^()]*\)")


def half_width_punctuation(text: str) -> list[str]:
    """Where zh text uses ASCII punctuation that should be full-width (，：；（）！？)."""
    return [found.group() for found in HALF_WIDTH.finditer(text)]


def test_catalogs_have_the_same_keys() -> None:
    zh, en = load_catalog("zh"), load_catalog("en")
    assert sorted(set(zh) ^ set(en)) == []
    assert len(zh) > 50


# A library's own words (an exception's text) are English: the Chinese sentence may leave them
# out and say what they mean instead.
LIBRARY_WORDS = {"detail"}


def test_catalogs_use_the_same_placeholders() -> None:
    zh, en = load_catalog("zh"), load_catalog("en")
    mismatched = [key for key in en if set(PLACEHOLDER.findall(zh[key])) not in (
        set(PLACEHOLDER.findall(en[key])), set(PLACEHOLDER.findall(en[key])) - LIBRARY_WORDS)]
    assert mismatched == []


def test_zh_catalog_uses_full_width_punctuation() -> None:
    zh = load_catalog("zh")
    assert {key: half_width_punctuation(text) for key, text in zh.items()
            if half_width_punctuation(text)} == {}


def test_half_width_punctuation_is_found() -> None:
    assert half_width_punctuation("6 小时 (超过 4 小时)") == ["(超", "时)"]
    assert half_width_punctuation("名单 (CSV 或 XLSX)") == ["(CSV 或 XLSX)"]
    assert half_width_punctuation("错误:文件") == ["误:"]
    assert half_width_punctuation("127.0.0.1:PORT。（CSV 或 XLSX）") == []


def test_unknown_key_shows_the_key_rather_than_crashing() -> None:
    assert Translator("en")("no.such.key") == "no.such.key"


@pytest.mark.parametrize(("lang_env", "expected"), [("zh_CN.UTF-8", "zh"), ("en_US.UTF-8", "en"), ("", "en")])
def test_auto_language_follows_lang(monkeypatch: pytest.MonkeyPatch, lang_env: str, expected: str) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", lang_env)
    assert Settings().language() == expected
    assert expected in LANGUAGES


def palette_texts(app: MishuApp) -> list[str]:
    """The palette's placeholder and every line of its list, as the user sees them."""
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    lines = [str(palette.query_one(CommandInput).placeholder)]
    commands = palette.query_one(CommandList)
    for index in range(commands.option_count):
        prompt = commands.get_option_at_index(index).prompt
        lines.append(prompt.renderable.plain if isinstance(prompt, Align) else str(prompt))
    return lines


@pytest.mark.parametrize("language", LANGUAGES)
async def test_command_palette_speaks_the_users_language(
        store: DocumentStore, make_ctx: Callable[..., AppContext], language: str) -> None:
    save_member(store, Member("2026001", "张三"))
    app = MishuApp(make_ctx(language))
    t = Translator(language)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await wait_until(lambda: isinstance(app.screen, CommandPalette), pilot)
        await pilot.press(*"qqxqq")
        await wait_until(lambda: app.screen.query_one(CommandList).option_count == 1
                         and app.screen.query_one(CommandList).get_option_at_index(0).disabled,
                         pilot)
        assert palette_texts(app) == [t("palette.placeholder"), t("palette.no_matches")]
        await pilot.press("escape")
        await wait_until(lambda: not isinstance(app.screen, CommandPalette), pilot)
        app.action_change_theme()
        await wait_until(lambda: isinstance(app.screen, CommandPalette)
                         and bool(app.screen.query(CommandInput)), pilot)
        assert palette_texts(app)[0] == t("palette.theme_placeholder")
        await pilot.press("escape")


def raised_keys() -> set[str]:
    """Every catalog key mishu's own errors can carry into the UI: the error classes' keys,
    the roster's reasons and the keys written as the first argument where one is raised."""
    for package in (store_package, sync_package):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")

    def subclasses(cls: type[StoreError]) -> Iterator[type[StoreError]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    keys = {StoreError.key, *(cls.key for cls in subclasses(StoreError))}
    keys |= {f"roster.error.{reason}" for reason in RosterError.REASONS}
    written = re.compile(r'Error\(\s*"([a-z_]+(?:\.[a-z_0-9]+)+)"')
    for folder in ("store", "sync", "tui", "kiosk"):
        for path in (ROOT / folder).rglob("*.py"):
            keys |= set(written.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_error_mishu_raises_is_in_both_catalogs() -> None:
    keys = raised_keys()
    assert len(keys) > 30
    for language in LANGUAGES:
        catalog = load_catalog(language)
        assert sorted(keys - set(catalog)) == [], language


@pytest.mark.parametrize("code", ["ENOENT", "EACCES", "ENOSPC", "EROFS", "ENOTDIR", "EISDIR"])
def test_common_system_errors_are_said_in_chinese(code: str) -> None:
    assert CJK_RE.search(load_catalog("zh")[f"error.os.{code}"])


def test_zh_messages_say_what_to_type_without_a_double_negative() -> None:
    """Before: typing ``abc`` as a quantity said ``abc 不是不小于 1 的整数。`` (is not a not-
    less-than-1 whole number), which a secretary has to read twice."""
    zh = load_catalog("zh")
    assert [key for key, text in zh.items() if "不是不" in text] == []


def test_a_broken_roster_file_is_explained_in_chinese_only() -> None:
    """Before: ``members.xlsx：不是可读取的 XLSX 文件（File is not a zip file）`` – the
    library's English inside the Chinese sentence. Its words stay in the English one."""
    import zipfile

    broken = RosterError("not_xlsx", path="members.xlsx",
                         detail=zipfile.BadZipFile("File is not a zip file"))
    assert Translator("zh").error(broken) == "members.xlsx：不是可读取的 XLSX 文件（文件已损坏，或不是 Excel 工作簿）"
    assert "File is not a zip file" in Translator("en").error(broken)


def test_zh_catalog_writes_units_and_comparisons_in_chinese() -> None:
    """Before: the short-notice flag read ``A类<4h``: an English unit and a math sign in a
    Chinese cell."""
    zh = load_catalog("zh")
    assert [key for key, text in zh.items() if re.search(r"}\s?h\b|[<>]", text)] == []
