"""The fast pinyin path reads pypinyin's own tables; it must say what pypinyin says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from store.phrase_readings import first_readings
from store.archive_demo import EVENTS, ISSUERS, MEETINGS
from store.demo import DEPARTMENTS, GIVEN, SURNAMES
from store.textsearch import (
    MAX_SPELLINGS,
    NAME_SPAN,
    SEARCHED_CHARS,
    SURNAME_READINGS,
    char_readings,
    match_rank,
    name_keys,
    normalise,
    search_keys,
    syllables,
)

OFFICE_TEXT = "".join([*EVENTS, *ISSUERS, *MEETINGS, *DEPARTMENTS, SURNAMES, GIVEN,
                       "关于召开银行部长会议的通知重庆长沙音乐行长朝阳调整调查还款"])
CHARACTERS = sorted(set(OFFICE_TEXT)) + list("AZaz09 -〔〕")


@settings(max_examples=400)
@given(st.text(alphabet=CHARACTERS, min_size=1, max_size=16))
def test_syllables_agree_with_pypinyin(text: str) -> None:
    plain = normalise(text)
    assert syllables(plain) == lazy_pinyin(plain, errors=lambda chars: list(chars))


@settings(max_examples=200)
@given(st.text(alphabet=CHARACTERS, min_size=1, max_size=16))
def test_initials_agree_with_pypinyin(text: str) -> None:
    plain = normalise(text)
    firsts = lazy_pinyin(plain, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    assert search_keys(text).initials == normalise("".join(firsts))


def test_polyphones_read_as_in_office_text() -> None:
    assert search_keys("部长").pinyin == "buzhang"
    assert search_keys("银行").pinyin == "yinhang"
    assert search_keys("张三").initials == "zs"


def test_a_polyphone_surname_is_read_as_a_surname_first() -> None:
    assert [name_keys(name).pinyin for name in ("曾伟", "单雪", "仇明", "解放", "吕一")] == [
        "zengwei", "shanxue", "qiuming", "xiefang", "lvyi"]
    assert "cengwei" in name_keys("曾伟").other_pinyin
    assert "luyi" in name_keys("吕一").other_pinyin


def test_surname_readings_are_readings_pypinyin_knows() -> None:
    assert [char for char, reading in SURNAME_READINGS.items()
            if reading not in char_readings(char)] == []


@settings(max_examples=200)
@given(st.text(alphabet=CHARACTERS + list("仇单解折朴"), min_size=1, max_size=6))
def test_a_name_is_found_by_every_reading_of_its_characters(name: str) -> None:
    keys = name_keys(name)
    plain = normalise(name)
    for char in plain:
        for reading in char_readings(char):
            assert any(reading in spelling for spelling in (keys.pinyin, *keys.other_pinyin))
    assert len(keys.other_pinyin) < max(MAX_SPELLINGS, 8 * len(plain))


def test_a_huge_name_lists_other_readings_of_its_first_characters_only() -> None:
    """A peer's 1 MB "name" once listed a copy of the whole name per other reading: gigabytes."""
    keys = name_keys("解" * 600)
    assert keys.pinyin == "xie" + "jie" * 599 and len(keys.syllables) == 600
    assert 0 < len(keys.other_pinyin) <= MAX_SPELLINGS
    assert all(len(spelling) <= NAME_SPAN * len("xie") for spelling in keys.other_pinyin)
    assert match_rank("jiejie", keys) is not None


def test_a_megabyte_text_is_searched_by_its_start() -> None:
    """Reading a peer's 1 MB name took a second of the event loop; its start is what is found."""
    keys = name_keys("张三" + "丰" * 1_000_000)
    assert len(keys.text) == SEARCHED_CHARS and keys.pinyin.startswith("zhangsanfeng")
    assert match_rank("zhangsan", keys) is not None


def test_phrases_read_one_at_a_time_match_pypinyins_own_first_readings() -> None:
    """store.phrase_readings reads pypinyin's data file phrase by phrase (35 -> 8 MB): every
    phrase and each character's first reading must be what pypinyin itself loads."""
    from pypinyin.phrases_dict import phrases_dict

    table = first_readings()
    assert len(table) == len(phrases_dict) > 40_000
    assert all(table[phrase] == " ".join(choices[0] for choices in readings)
               for phrase, readings in phrases_dict.items())
    assert table["银行"] == "yín háng"
