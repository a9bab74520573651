"""Issuing a signed document: its number, its archive record, its file.

At issue the document gets the next number of its archive category and year (the archive's
own numbering rules, :mod:`store.archive_numbering`), is registered in the archive with the
final document as its attachment, and the ``issue`` fact records both. The final document is a
:class:`FinalDocument`, the parts a 公文 is printed from; the attachment is that document laid
out per GB/T 9704-2012 as ``.docx`` (:mod:`store.gongwen_docx`).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .archive import ArchiveRecord, Attachment, propose_number, register
from .archive_blobs import BlobStore
from .archive_numbering import NumberingScheme
from .docstore import DocumentStore
from .gongwen import OfficialDocument
from .documents import (ISSUE, SIGNED, Actor, DocEvent, DocumentState, make_event, once_id,
                        refuse, save_event)

ISSUE_CATEGORY = "发文"


@dataclass(frozen=True)
class FinalDocument:
    org: str
    number: str  # 发文字号
    title: str
    recipients: str  # 主送
    body: tuple[str, ...]  # paragraphs
    attachments: tuple[str, ...]
    signatory: str  # 落款
    date: str  # 成文日期
    cc: tuple[str, ...]  # 抄送
    issuer: str  # 印发机关
    issue_date: str  # 印发日期

    def as_text(self) -> str:
        """The plain-text rendering, parts in the order GB/T 9704 prints them."""
        lines = [self.org, self.number, "", self.title, "", self.recipients, *self.body, ""]
        lines += [f"附件：{i}. {name}" if len(self.attachments) > 1 else f"附件：{name}"
                  for i, name in enumerate(self.attachments, 1)]
        lines += ["", self.signatory, self.date, ""]
        if self.cc:
            lines.append("抄送：" + "，".join(self.cc) + "。")
        lines.append(f"{self.issuer}　　{self.issue_date}印发")
        return "\n".join(lines) + "\n"


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_LIST_SEPARATORS = re.compile(r"[、，,；;]\s*")


def docx_bytes(final: FinalDocument, issued: date) -> bytes:
    """``final`` laid out per GB/T 9704-2012, as the bytes of a ``.docx``.

    The renderer is imported here, when a document is issued: python-docx costs 14 MB and
    30 ms that the app would otherwise pay at start for an action many sessions never take."""
    from .gongwen_docx import render_docx

    official = OfficialDocument(
        final.org, final.number, final.title,
        tuple(name for name in _LIST_SEPARATORS.split(final.recipients.rstrip("：:")) if name),
        final.body, final.signatory, issued, final.attachments, final.cc, final.issuer, issued)
    with tempfile.TemporaryDirectory() as folder:
        return render_docx(official, Path(folder) / "final.docx").read_bytes()


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def final_document(state: DocumentState, org: str, number: str, issued: date) -> FinalDocument:
    """The signed submission as the document to print, numbered ``number``."""
    content = state.rounds[-1].submit.content
    paragraphs = tuple(p.strip() for p in content.body.splitlines() if p.strip())
    return FinalDocument(org, number, content.title, content.recipients, paragraphs,
                         content.attachments, content.signatory or org,
                         content.date or chinese_date(issued), content.cc, org,
                         chinese_date(issued))


def issue(store: DocumentStore, state: DocumentState, actor: Actor, scheme: NumberingScheme,
          categories: Collection[str], taken: Collection[int], blobs: BlobStore,
          category: str = ISSUE_CATEGORY) -> tuple[DocEvent, ArchiveRecord]:
    """Number, file and record the issue of a signed document; ``taken`` is the sequences
    of ``category`` this year the archive knows (the number continues after them)."""
    if state.issue is not None:
        raise refuse("already_issued", "This document is issued already")
    if state.stage != SIGNED:
        raise refuse("not_signed", "Only a signed-off document can be issued")
    year = actor.at.year
    _seq, number = propose_number(scheme, category, year, taken)
    final = final_document(state, scheme.org, number, actor.at.date())
    data = docx_bytes(final, actor.at.date())
    sha256 = hashlib.sha256(data).hexdigest()
    blobs.put_bytes(sha256, data)
    draft = ArchiveRecord(ArchiveRecord.new_id(), "", category, year, 0, final.title,
                          scheme.org, actor.at.date().isoformat(), (state.department,),
                          attachments=(Attachment(f"{number}.docx", sha256, len(data),
                                                  DOCX_TYPE),))
    record = register(store, draft, scheme, categories, taken, actor.at, actor.person)
    event = make_event(state, ISSUE, actor, once_id(state.doc_key, ISSUE), number=record.number,
                   archive_id=record.archive_id, title=final.title,
                   recipients=final.recipients, body="\n".join(final.body),
                   attachments=final.attachments, signatory=final.signatory, date=final.date,
                   cc=final.cc)
    return save_event(store, event), record
