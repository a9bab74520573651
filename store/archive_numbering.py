"""Official document numbers (文号): patterns, per-category-and-year sequences, lookup forms.

A number is rendered from a pattern such as ``{org}发〔{year}〕{seq}号`` (校学生会发〔2026〕12号);
each category may have its own pattern. Out of the box every category has one with its own
mark (发, 收, 纪, …; any other category spells its name), so a fresh install never gives a
发文 and a 收文 the same number; an office that configured one ``number_pattern`` for all
categories keeps exactly the numbers it had. Sequences run per category and year and always
continue after the highest number seen, never filling gaps: a destroyed or renumbered file's
number is not handed out again. A number's identity is its category plus its rendered text
(发文 and 收文 keep separate registers, as paper registers do), so two records of one
category sharing a number is the clash :class:`store.archive_index.ArchiveIndex` reports.

Everything here is pure: the caller passes the sequences already taken.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import ValidationError

DEFAULT_PATTERN = "{org}{category}〔{year}〕{seq}号"  # a category without a mark of its own
DEFAULT_CATEGORY_PATTERNS = {
    "发文": "{org}发〔{year}〕{seq}号",
    "收文": "{org}收〔{year}〕{seq}号",
    "会议纪要": "{org}纪〔{year}〕{seq}号",
    "合同": "{org}合〔{year}〕{seq}号",
    "财务": "{org}财〔{year}〕{seq}号",
    "人事": "{org}人〔{year}〕{seq}号",
}
PLACEHOLDERS = frozenset({"org", "year", "seq", "category"})
_OPENING = "[(（［【〔{｛"
_CLOSING = "])）］】〕}｝"
_BRACKETS = str.maketrans({**{c: "〔" for c in _OPENING}, **{c: "〕" for c in _CLOSING}})
_YEAR_SEQ = re.compile(r"〔(\d{4})〕(\d*)")


def check_pattern(pattern: str) -> str:
    """The pattern, or the reason it cannot number anything uniquely."""
    try:
        names = {name.split(".")[0].split("[")[0]
                 for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name}
    except ValueError:
        names = {""}
    unknown = sorted(names - PLACEHOLDERS)
    if unknown:
        raise ValidationError("archive.error.bad_pattern",
                              "Number pattern {pattern} uses an unknown placeholder {name}",
                              pattern=pattern, name=unknown[0])
    if not {"seq", "year"} <= names:
        raise ValidationError("archive.error.pattern_needs_seq",
                              "Number pattern {pattern} must contain {{year}} and {{seq}}",
                              pattern=pattern)
    return pattern


def parse_category_patterns(lines: Iterable[str]) -> dict[str, str]:
    """``["合同=合〔{year}〕{seq}号"]`` (the config file's form) → ``{"合同": "…"}``."""
    patterns = {}
    for line in lines:
        category, separator, pattern = line.partition("=")
        if not separator or not category.strip():
            raise ValidationError("archive.error.bad_category_pattern",
                                  "Write a category pattern as category=pattern, not {line}",
                                  line=line)
        patterns[category.strip()] = check_pattern(pattern.strip())
    return patterns


@dataclass(frozen=True)
class NumberingScheme:
    """``pattern`` empty: each category's own default; set: the office's one pattern."""

    org: str
    pattern: str = ""
    category_patterns: Mapping[str, str] = field(default_factory=dict)

    def pattern_for(self, category: str) -> str:
        """Configured for the category, else configured for all, else the category's default."""
        return (self.category_patterns.get(category) or self.pattern
                or DEFAULT_CATEGORY_PATTERNS.get(category, DEFAULT_PATTERN))

    def render(self, category: str, year: int, seq: int) -> str:
        pattern = check_pattern(self.pattern_for(category))
        return pattern.format(org=self.org, year=year, seq=seq, category=category)


def next_seq(taken: Collection[int]) -> int:
    """After the highest sequence taken: numbers are never reused, even after a gap."""
    return max(taken, default=0) + 1


@lru_cache(maxsize=1 << 17)  # the index and the search both key every record's number
def number_key(text: str) -> str:
    """The form numbers are compared and searched in: 〔〕, [], （）, 【】 all alike, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_BRACKETS).casefold().split())


@dataclass(frozen=True)
class NumberQuery:
    """What a search text says about a number: ``12`` → seq 12; ``〔2026〕12`` → both."""

    year: int | None = None
    seq: int | None = None

    @classmethod
    def parse(cls, text: str) -> NumberQuery:
        key = number_key(text)
        if key.isdigit() and len(key) <= 6:
            return cls(seq=int(key))
        found = _YEAR_SEQ.search(key)
        if found is None:
            return cls()
        return cls(int(found.group(1)), int(found.group(2)) if found.group(2) else None)

    @property
    def empty(self) -> bool:
        return self.year is None and self.seq is None
