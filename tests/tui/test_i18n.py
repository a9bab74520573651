"""Both languages carry exactly the same keys and placeholders."""

from __future__ import annotations

import re

import pytest

from tui.i18n import LANGUAGES, Translator, load_catalog
from tui.settings import Settings

PLACEHOLDER = re.compile(r"{(\w+)}")


def test_catalogs_have_the_same_keys() -> None:
    zh, en = load_catalog("zh"), load_catalog("en")
    assert sorted(set(zh) ^ set(en)) == []
    assert len(zh) > 50


def test_catalogs_use_the_same_placeholders() -> None:
    zh, en = load_catalog("zh"), load_catalog("en")
    mismatched = [key for key in en if set(PLACEHOLDER.findall(en[key])) != set(PLACEHOLDER.findall(zh[key]))]
    assert mismatched == []


def test_unknown_key_shows_the_key_rather_than_crashing() -> None:
    assert Translator("en")("no.such.key") == "no.such.key"


@pytest.mark.parametrize(("lang_env", "expected"), [("zh_CN.UTF-8", "zh"), ("en_US.UTF-8", "en"), ("", "en")])
def test_auto_language_follows_lang(monkeypatch: pytest.MonkeyPatch, lang_env: str, expected: str) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", lang_env)
    assert Settings().language() == expected
    assert expected in LANGUAGES
