"""The fast pinyin path reads pypinyin's own tables; it must say what pypinyin says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from store.archive_demo import EVENTS, ISSUERS, MEETINGS
from store.demo import DEPARTMENTS, GIVEN, SURNAMES
from store.textsearch import normalise, search_keys, syllables

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
