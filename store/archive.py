"""Archive records (档案): registration with an official number, classification, retention.

An archive record is ``archive:<uuid hex>``: what the paper file is (number, title, category,
issuing body, date, keywords), where it is kept (cabinet/shelf/box), how secret it is and how
long it must be kept, plus the scanned attachments' content addresses (see
:mod:`store.archive_blobs`). What happens to the file afterwards — filing, loans, approvals,
copies, destruction — is appended as ``archive_event:`` facts (:mod:`store.archive_events`),
so two offline nodes merge without conflicts; the record's status is derived from them.

Numbers come from :mod:`store.archive_numbering`; registration takes the sequences already
taken (from :class:`store.archive_index.ArchiveIndex`) so this module stays pure.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any, ClassVar

from .archive_numbering import NumberingScheme, next_seq
from .doc_codec import LocalDate, LocalTime, record_from_doc, record_to_doc
from .docstore import DocumentStore
from .errors import ConflictError, ValidationError

ARCHIVE = "archive"
PUBLIC, INTERNAL, CONFIDENTIAL = "public", "internal", "confidential"
CONFIDENTIALITY = (PUBLIC, INTERNAL, CONFIDENTIAL)
RETENTION_YEARS: dict[str, int | None] = {"10y": 10, "30y": 30, "permanent": None}
REGISTERED, FILED, ON_LOAN, DESTROYED = "registered", "filed", "on_loan", "destroyed"
STATUSES = (REGISTERED, FILED, ON_LOAN, DESTROYED)


def refuse(key: str, english: str, **params: Any) -> ValidationError:
    return ValidationError(f"archive.error.{key}", english, **params)


def format_time(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


@dataclass(frozen=True)
class Attachment:
    """A scanned file, by content address: the bytes live in the blob store, once."""

    name: str
    sha256: str
    size: int
    content_type: str


def attachment_list(attachments: tuple[Attachment, ...]) -> list[dict[str, Any]]:
    """Attachments as a document holds them (a list of plain objects)."""
    return [asdict(attachment) for attachment in attachments]


def attachments_in(doc: dict[str, Any]) -> tuple[Attachment, ...]:
    """The attachments a document lists; an entry that is not an object is skipped."""
    return tuple(Attachment(**a) for a in doc.get("attachments", ()) if isinstance(a, dict))


@dataclass(frozen=True)
class ArchiveRecord:
    INTERN_TEXT: ClassVar[bool] = False  # titles and numbers are each record's own

    archive_id: str
    number: str
    category: str
    year: int
    seq: int
    title: str
    issuer: str = ""
    date: LocalDate = ""  # YYYY-MM-DD: when the document was issued or received
    keywords: tuple[str, ...] = ()
    cabinet: str = ""
    shelf: str = ""
    box: str = ""
    confidentiality: str = INTERNAL
    retention: str = "30y"
    registered_at: LocalTime = ""
    registered_by: str = ""
    attachments: tuple[Attachment, ...] = ()
    renumbered_from: tuple[str, ...] = ()  # earlier numbers, after a duplicate was resolved

    @staticmethod
    def new_id() -> str:
        return f"{ARCHIVE}:{uuid.uuid4().hex}"

    @property
    def key(self) -> str:
        return self.archive_id.split(":", 1)[1]

    @property
    def location(self) -> str:
        return "/".join(part for part in (self.cabinet, self.shelf, self.box) if part)

    @property
    def confidential(self) -> bool:
        return self.confidentiality == CONFIDENTIAL

    def retention_ends(self) -> date | None:
        """When the file may be destroyed: retention counts from 1 January after its year
        (档案保管期限自文件形成之次年起算); ``None`` for permanent files."""
        years = RETENTION_YEARS.get(self.retention)
        return None if years is None else date(self.year + 1 + years, 1, 1)

    def retention_expired(self, today: date) -> bool:
        ends = self.retention_ends()
        return ends is not None and today >= ends

    def to_doc(self) -> dict[str, Any]:
        doc = record_to_doc(self.archive_id, self, skip="archive_id")
        doc["attachments"] = attachment_list(self.attachments)
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ArchiveRecord:
        return record_from_doc(cls, {
            **doc, "archive_id": doc["_id"],
            "keywords": tuple(str(k) for k in doc.get("keywords", ())),
            "renumbered_from": tuple(str(n) for n in doc.get("renumbered_from", ())),
            "attachments": attachments_in(doc),
        })


def split_keywords(text: str) -> tuple[str, ...]:
    """Keywords as typed: separated by commas (either width), 、 or spaces."""
    for separator in "，、;；":
        text = text.replace(separator, ",")
    return tuple(dict.fromkeys(part for chunk in text.split(",") for part in chunk.split() if part))


def check_record(record: ArchiveRecord, categories: Collection[str]) -> ArchiveRecord:
    """The record as it will be stored, or the first reason it cannot be."""
    record = replace(record, title=record.title.strip(), issuer=record.issuer.strip(),
                     cabinet=record.cabinet.strip(), shelf=record.shelf.strip(),
                     box=record.box.strip())
    if not record.title:
        raise refuse("title_required", "An archive record needs a title")
    if record.category not in categories:
        raise refuse("bad_category", "Unknown category {category}", category=record.category)
    if not 1900 <= record.year <= 2200:
        raise refuse("bad_year", "The year {year} is not valid", year=record.year)
    if record.date:
        try:
            date.fromisoformat(record.date)
        except ValueError:
            raise refuse("bad_date", "Dates are written YYYY-MM-DD") from None
    if record.confidentiality not in CONFIDENTIALITY:
        raise refuse("bad_confidentiality", "Unknown confidentiality {level}",
                     level=record.confidentiality)
    if record.retention not in RETENTION_YEARS:
        raise refuse("bad_retention", "Unknown retention period {retention}",
                     retention=record.retention)
    return record


def propose_number(scheme: NumberingScheme, category: str, year: int,
                   taken: Collection[int]) -> tuple[int, str]:
    """The next sequence and its rendered number, shown before the secretary registers."""
    seq = next_seq(taken)
    return seq, scheme.render(category, year, seq)


def register(store: DocumentStore, draft: ArchiveRecord, scheme: NumberingScheme,
             categories: Collection[str], taken: Collection[int], now: datetime,
             by: str = "") -> ArchiveRecord:
    """Give ``draft`` the next number of its category and year and store it.

    ``taken`` is the sequences this node knows for that category and year. Another node,
    offline, may hand out the same number meanwhile; the index flags that after the merge.
    """
    draft = check_record(draft, categories)
    seq, number = propose_number(scheme, draft.category, draft.year, taken)
    record = replace(draft, seq=seq, number=number, registered_at=format_time(now),
                     registered_by=by)
    store.put(record.to_doc())
    return record


def save_record(store: DocumentStore, record: ArchiveRecord) -> ArchiveRecord:
    """Store an edit of an existing record (attachments, location, a new number)."""
    existing = store.get_or_none(record.archive_id)
    if existing is None:
        raise refuse("no_record", "No archive record {archive_id}", archive_id=record.archive_id)
    try:
        store.put({**record.to_doc(), "_rev": existing["_rev"]})
    except ConflictError:
        raise refuse("changed", "This record was changed elsewhere; reload and retry") from None
    return record


def renumbered(record: ArchiveRecord, scheme: NumberingScheme, taken: Collection[int]
               ) -> ArchiveRecord:
    """``record`` with the next free number of its category and year; the old one is kept in
    ``renumbered_from`` so a paper that already carries it can still be found."""
    seq, number = propose_number(scheme, record.category, record.year, taken)
    return replace(record, seq=seq, number=number,
                   renumbered_from=(*record.renumbered_from, record.number))


def load_record(store: DocumentStore, archive_id: str) -> ArchiveRecord | None:
    doc = store.get_or_none(archive_id)
    return ArchiveRecord.from_doc(doc) if doc is not None else None

