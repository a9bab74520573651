"""An issued official document (公文) as the parts GB/T 9704-2012 lays out, and their wording.

The record holds what a person wrote, part by part; the renderer (:mod:`store.gongwen_docx`)
decides where each part goes on the page. The wording rules that are the same in every output
(the date in full with Arabic numerals, the separators between 主送 and 抄送 bodies, how wide a
line of text is in characters) live here, so a preview and the .docx cannot disagree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TERMINAL_CONTROLS = re.compile("[\u007f-\u009f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class OfficialDocument:
    """One issued 公文. ``recipients`` (主送) and ``cc`` (抄送) are bodies, in order;
    ``attachments`` are the names listed under 附件; an empty ``issuer`` (印发机关) is the
    ``org`` and an absent ``issue_date`` (印发日期) is the ``date`` (成文日期)."""

    org: str  # 发文机关, full name or its accepted short form
    number: str  # 发文字号, 校学生会发〔2026〕3号
    title: str
    recipients: tuple[str, ...]
    body: tuple[str, ...]  # paragraphs; a line break inside one starts another
    signatory: str  # 落款 (发文机关署名)
    date: date  # 成文日期
    attachments: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    issuer: str = ""
    issue_date: date | None = None
    mark: str = ""  # 发文机关标志; empty: the org followed by 文件

    @property
    def mark_text(self) -> str:
        return self.mark or f"{self.org}文件"

    @property
    def issuer_text(self) -> str:
        return self.issuer or self.org

    @property
    def issued_on(self) -> date:
        return self.issue_date or self.date


def document_text(text: str) -> str:
    """``text`` as a document may hold it: characters XML cannot carry (NUL, escapes, lone
    surrogates) and the bidi overrides that would reorder a printed line are dropped."""
    return _TERMINAL_CONTROLS.sub("", _NOT_XML.sub("", text))


def chinese_date(day: date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: the year in full, no leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def recipients_line(recipients: tuple[str, ...]) -> str:
    return "、".join(recipients) + "：" if recipients else ""


def cc_line(cc: tuple[str, ...]) -> str:
    return "抄送：" + "，".join(cc) + "。" if cc else ""


def attachment_lines(attachments: tuple[str, ...]) -> list[str]:
    """附件说明: one name as it is, several numbered ``1．`` on; a name ends unpunctuated."""
    if len(attachments) == 1:
        return [f"附件：{attachments[0]}"]
    lines = [f"{number}．{name}" for number, name in enumerate(attachments, 1)]
    return ["附件：" + lines[0], *lines[1:]] if lines else []


def text_width(text: str) -> float:
    """How many characters of the page's grid ``text`` fills: CJK and full-width forms one
    each, Latin letters and digits half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "FWA" else 0.5 for ch in text)
