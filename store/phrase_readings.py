"""pypinyin's phrase readings as search keys need them: the first reading of each character.

pypinyin keeps its 47 000 phrases as lists of lists of readings (``"银行": [["yín"], ["háng"]]``),
about 35 MB once loaded, and builds from them a word-splitting table (7 MB more) that mishu does
not use. Search keys read only each character's first reading, so this reads pypinyin's own
data file one phrase at a time with the standard JSON decoder and keeps ``"银行": "yín háng"``
(about 8 MB); ``PYPINYIN_NO_PHRASES``, set at the console script's entry, keeps pypinyin from
loading its own copy. Should a pypinyin release ship its phrases otherwise, the module pypinyin
itself loads is read instead: the readings are the same either way.
"""

from __future__ import annotations

import json
import logging
import re
from importlib import resources

log = logging.getLogger(__name__)

_BETWEEN = re.compile(r"[\s,:]*")  # what separates a key, its value and the next key


def first_readings() -> dict[str, str]:
    """Phrase -> the first reading of each of its characters, space-separated, with tones."""
    try:
        text = (resources.files("pypinyin") / "phrases_dict.json").read_text(encoding="utf-8")
        return _streamed(text)
    except (OSError, ValueError, TypeError, IndexError) as exc:
        log.info("pypinyin's phrases read from its module (%s)", exc)
        from pypinyin.phrases_dict import phrases_dict

        return {phrase: " ".join(choices[0] for choices in readings)
                for phrase, readings in phrases_dict.items()}


def _streamed(text: str) -> dict[str, str]:
    """The phrases of ``{"phrase": [["reading", …], …], …}``, one value decoded at a time, so
    no phrase's lists outlive its line of the table."""
    decode = json.JSONDecoder().raw_decode
    between = _BETWEEN.match
    table: dict[str, str] = {}
    position = between(text, text.index("{") + 1).end()
    while text[position] != "}":
        phrase, position = decode(text, position)
        readings, position = decode(text, between(text, position).end())
        position = between(text, position).end()
        if not isinstance(phrase, str) or not all(
                isinstance(choices, list) and choices and isinstance(choices[0], str)
                for choices in readings):
            raise ValueError(f"unexpected phrase entry {phrase!r}")
        table[phrase] = " ".join(choices[0] for choices in readings)
    return table
