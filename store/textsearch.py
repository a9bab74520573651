"""Search keys for Chinese text: full pinyin and initials, so "zs" and "zhangsan" find 张三.

pypinyin's dictionaries supply the readings; this module decides how text is normalised,
converted and matched, so the directory, the kiosk pick list and the archive search all agree.

Conversion reads pypinyin's phrase and character tables directly, with a forward longest-match
over phrases of up to :data:`MAX_PHRASE` characters, instead of calling ``lazy_pinyin``: the
result is the same reading for the polyphones that matter in office text (部长 *buzhang*,
银行 *yinhang*), at about a fiftieth of the cost, which is what lets the archive index 50 000
titles from cold in well under a second of pinyin work.

The tables are loaded at the first key built (:func:`_tables`), not when this module is
imported: they cost about 25 MB and 0.2 s (the phrases as :mod:`store.phrase_readings` keeps
them; pypinyin's own copy would be 55 MB), and :func:`normalise` alone, which the supplies
and documents indexes use, needs none of it.

People's names are read more generously (:func:`name_keys`): a name is found by every reading
of each of its characters (曾伟 by *zengwei* and *cengwei*), because nobody can guess which one
the directory chose, and ``lv``/``lu``/``lü`` alike, because keyboards spell ü all three ways.
A polyphone surname's own reading (曾 *zeng*, 单 *shan*) comes first, so it is the one the
directory sorts by. A name with more than :data:`MAX_SPELLINGS` combinations keeps each other
reading once, beside the first readings of the rest, so the keys stay small.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, product
from math import prod
from typing import NamedTuple

from .phrase_readings import first_readings

MAX_PHRASE = 4
MAX_SYLLABLE = 6  # zhuang, shuang
MAX_SPELLINGS = 32  # combinations per name: 2–4 characters rarely have more than 8
SEARCHED_CHARS = 1000  # of any one text; names and titles are far shorter
NAME_SPAN = 8  # other readings only this far into a name: past it is no name but a peer's text
# pypinyin reads these characters first as a word, not as the surname they also are.
SURNAME_READINGS = {"曾": "zeng", "单": "shan", "仇": "qiu", "解": "xie", "区": "ou",
                    "朴": "piao", "查": "zha", "盖": "ge", "覃": "qin", "尉": "yu", "乐": "yue",
                    "缪": "miao", "翟": "zhai", "召": "shao", "秘": "bi", "种": "chong",
                    "繁": "po", "员": "yun", "句": "gou", "折": "she", "朝": "chao"}


def normalise(text: str) -> str:
    """Case-folded, width-folded (ＡＢＣ → abc), without spaces: what users type varies."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class SearchKeys:
    text: str
    pinyin: str
    initials: str
    syllables: tuple[str, ...] = ()  # one per character of ``text``; ``pinyin`` joins them
    other_pinyin: tuple[str, ...] = ()  # names only: every other reading, see name_keys
    other_initials: tuple[str, ...] = ()

    syllable_starts: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Offsets in ``pinyin`` where a syllable begins (and its end): pinyin matches start
        only there. Worked out once: a search checks the same title at every keystroke."""
        object.__setattr__(self, "syllable_starts",
                           frozenset(accumulate(map(len, self.syllables), initial=0)))

    def reads_from(self, q: str, position: int) -> bool:
        """Whether ``q`` reads the characters from ``position`` on: whole syllables of
        consecutive characters, each by any of its readings, the last perhaps unfinished."""
        if not q:
            return True
        if position >= len(self.text):
            return False
        for reading in (self.syllables[position], *char_readings(self.text[position])):
            if q.startswith(reading):
                if self.reads_from(q[len(reading):], position + 1):
                    return True
            elif reading.startswith(q):
                return True
        return False

    def reads(self, q: str, first_only: bool = False, every_reading: bool = False) -> bool:
        """``q`` as pinyin from the first character's start, or (``first_only`` false) from
        any; read in context, or (``every_reading``) by every reading of each character."""
        if every_reading:
            return any(self.reads_from(q, position)
                       for position in range(1 if first_only else len(self.text)))
        if first_only:
            return bool(self.syllables) and self.pinyin.startswith(q)
        starts, at = self.syllable_starts, self.pinyin.find(q)
        while at >= 0:  # C-speed finds: most candidates match at the first or not at all
            if at in starts:
                return True
            at = self.pinyin.find(q, at + 1)
        return False


class _Tables(NamedTuple):
    chars: dict[int, str]  # code point → its readings with tones, most common first
    phrases: dict[str, str]  # phrase → each character's first reading, space-separated
    to_normal: Callable[[str], str]  # a reading without its tone


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """pypinyin's tables, imported at the first reading asked for (see the module's doc)."""
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal

    return _Tables(PINYIN_DICT, first_readings(), to_normal)


@lru_cache(maxsize=None)
def _char_reading(char: str) -> str:
    """The most common toneless reading of one character, or ``""`` when it is not hanzi."""
    tables = _tables()
    readings = tables.chars.get(ord(char))
    return tables.to_normal(readings.split(",")[0]) if readings else ""


@lru_cache(maxsize=None)
def char_readings(char: str) -> tuple[str, ...]:
    """Every toneless reading of one character, most common first, ü also spelt u."""
    tables = _tables()
    readings = tables.chars.get(ord(char))
    if not readings:
        return (char,)
    spelt = [tables.to_normal(reading) for reading in readings.split(",")]
    spelt += [reading.replace("v", "u") for reading in spelt if "v" in reading]
    return tuple(dict.fromkeys(spelt))


@lru_cache(maxsize=1)
def _phrase_starts() -> frozenset[str]:
    """The first two characters of every phrase: most positions need no longer lookup."""
    return frozenset(phrase[:2] for phrase in _tables().phrases)


@lru_cache(maxsize=65536)
def _phrase_readings(phrase: str) -> tuple[str, ...]:
    tables = _tables()
    return tuple(tables.to_normal(reading) for reading in tables.phrases[phrase].split(" "))


def syllables(plain: str) -> list[str]:
    """One entry per character of ``plain``: its pinyin syllable, or the character itself."""
    out: list[str] = []
    position, length = 0, len(plain)
    phrase_starts, phrases = _phrase_starts(), _tables().phrases
    while position < length:
        reading = _char_reading(plain[position])
        if not reading:
            out.append(plain[position])
            position += 1
            continue
        if plain[position : position + 2] not in phrase_starts:
            out.append(reading)
            position += 1
            continue
        for size in range(min(MAX_PHRASE, length - position), 1, -1):
            phrase = plain[position : position + size]
            if phrase in phrases:
                out.extend(_phrase_readings(phrase))
                position += size
                break
        else:
            out.append(reading)
            position += 1
    return out


@lru_cache(maxsize=65536)
def search_keys(text: str) -> SearchKeys:
    """Keys for the first :data:`SEARCHED_CHARS` characters of ``text``: a name or a title is
    found by its start, and a peer's megabyte "name" costs no second of reading to index."""
    plain = normalise(text[:SEARCHED_CHARS])
    spoken = tuple(syllables(plain))
    return SearchKeys(plain, "".join(spoken), "".join(s[:1] for s in spoken), spoken)


@lru_cache(maxsize=65536)
def name_keys(name: str) -> SearchKeys:
    """Search keys for a person's name: :func:`search_keys` plus every other reading.

    The first reading of each character is the one :func:`syllables` gives in context, except
    that a polyphone surname is read as a surname; the other readings follow.
    """
    keys = search_keys(name)
    choices = [(spoken, *(r for r in char_readings(char) if r != spoken))
               for char, spoken in zip(keys.text, keys.syllables)]
    if choices and keys.text[0] in SURNAME_READINGS:
        surname = SURNAME_READINGS[keys.text[0]]
        choices[0] = (surname, *(r for r in choices[0] if r != surname))
    if not choices:
        return keys
    head, tail = choices[:NAME_SPAN], tuple(readings[0] for readings in choices[NAME_SPAN:])
    if prod(len(readings) for readings in head) <= MAX_SPELLINGS:
        spellings = list(product(*head))
    else:  # too many to list: each other reading at least once, beside the first of the rest
        first_choice = tuple(readings[0] for readings in head)
        spellings = [first_choice, *(first_choice[:at] + (reading,) + first_choice[at + 1:]
                                     for at, readings in enumerate(head)
                                     for reading in readings[1:])]
    pinyin = dict.fromkeys("".join(spelling) for spelling in spellings)
    initials = dict.fromkeys("".join(s[:1] for s in spelling) for spelling in spellings)
    first, *others = pinyin
    first_initials, *other_initials = initials
    return SearchKeys(keys.text, first + "".join(tail),
                      first_initials + "".join(syllable[:1] for syllable in tail),
                      spellings[0] + tail, tuple(others), tuple(other_initials))


def pinyin_splits(query: str, known: Container[str], limit: int = 16
                  ) -> list[tuple[tuple[str, ...], str]]:
    """Ways to read ``query`` as whole syllables from ``known`` plus an unfinished last one.

    ``"yundongh"`` → ``[(("yun", "dong"), "h")]``; ambiguous input gives several readings
    (``"xian"`` is 先 or 西安). An empty list means the query cannot be pinyin.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    unfinished: dict[str, bool] = {}

    def starts_some(rest: str) -> bool:
        if rest not in unfinished:
            unfinished[rest] = any(s.startswith(rest) and s != rest for s in known)
        return unfinished[rest]

    def walk(position: int, taken: tuple[str, ...]) -> None:
        if len(found) >= limit:
            return
        if position == len(query):
            found.append((taken, ""))
            return
        rest = query[position:]
        if len(rest) < MAX_SYLLABLE and starts_some(rest):
            found.append((taken, rest))
        for size in range(min(MAX_SYLLABLE, len(rest)), 0, -1):
            if rest[:size] in known:
                walk(position + size, (*taken, rest[:size]))

    if query.isascii() and query.isalpha():
        walk(0, ())
    return found


def match_rank(query: str, keys: SearchKeys) -> int | None:
    """Lower is better; ``None`` means no match. Exact beats prefix beats substring."""
    q = normalise(query)
    if not q:
        return None
    spelt = q.replace("ü", "v")
    best: int | None = None
    for weight, (wanted, fields) in enumerate((
            (q, (keys.text,)), (spelt, (keys.initials, *keys.other_initials)),
            (spelt, (keys.pinyin, *keys.other_pinyin)))):
        for spelling in fields:
            if spelling == wanted:
                rank = weight
            elif spelling.startswith(wanted):
                rank = 10 + weight
            elif wanted in spelling:
                rank = 20 + weight
            else:
                continue
            best = rank if best is None else min(best, rank)
    return best
