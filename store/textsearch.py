"""Search keys for Chinese text: full pinyin and initials, so "zs" and "zhangsan" find 张三.

pypinyin does the conversion; this module only decides how text is normalised and matched,
so the directory, the kiosk pick list and the archive search all agree.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin


def normalise(text: str) -> str:
    """Case-folded, width-folded (ＡＢＣ → abc), without spaces: what users type varies."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class SearchKeys:
    text: str
    pinyin: str
    initials: str


@lru_cache(maxsize=65536)
def search_keys(text: str) -> SearchKeys:
    plain = normalise(text)
    syllables = [normalise(s) for s in lazy_pinyin(plain, errors=lambda chars: list(chars))]
    firsts = lazy_pinyin(plain, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return SearchKeys(plain, "".join(syllables), normalise("".join(firsts)))


def match_rank(query: str, keys: SearchKeys) -> int | None:
    """Lower is better; ``None`` means no match. Exact beats prefix beats substring."""
    q = normalise(query)
    if not q:
        return None
    best: int | None = None
    for weight, field in enumerate((keys.text, keys.initials, keys.pinyin)):
        if field == q:
            rank = weight
        elif field.startswith(q):
            rank = 10 + weight
        elif q in field:
            rank = 20 + weight
        else:
            continue
        best = rank if best is None else min(best, rank)
    return best
