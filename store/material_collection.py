"""Material collection: "each department's 工作总结 by Friday", and who has not sent it yet.

A collection (title, deadline, the departments asked) is one document the secretary edits.
What the departments hand in are facts, one immutable document each (a text, or files kept in
the blob store like the archive's scans), with a random id, so two offline laptops that each
record a submission both keep theirs and the merge is the union. Taking a submission back is
another fact (a withdrawal with the submission's own id), so it too replicates and is undone by
removing it. Who is missing is derived: the departments asked with no submission standing; a
collection past its deadline with someone missing is a needs-attention item.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import uuid4

from .archive import Attachment, attachment_list, attachments_in
from .attention import AttentionItem
from .doc_codec import DocumentRecord, LocalTime, record_from_doc, record_to_doc, text_tuple
from .docstore import DocumentStore, doc_type
from .errors import StoreError, ValidationError

log = logging.getLogger(__name__)

COLLECTION, ITEM, WITHDRAWAL = "collection", "collection_item", "collection_withdrawal"


def refuse(reason: str, english: str, **params: Any) -> ValidationError:
    return ValidationError(f"collections.error.{reason}", english, **params)


@dataclass(frozen=True)
class MaterialCollection(DocumentRecord):
    ID_FIELD: ClassVar[str] = "collection_id"

    collection_id: str
    title: str
    deadline: LocalTime
    departments: tuple[str, ...]
    opened_at: LocalTime = ""

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> MaterialCollection:
        return record_from_doc(cls, {**doc, "collection_id": doc["_id"],
                                     "departments": text_tuple(doc, "departments")})


@dataclass(frozen=True)
class Submission:
    """What one department handed in once: text, files, or both."""

    item_id: str
    collection_id: str
    department: str
    submitted_at: LocalTime
    text: str = ""
    attachments: tuple[Attachment, ...] = ()
    recorded_by: str = ""  # the laptop that recorded it

    def to_doc(self) -> dict[str, Any]:
        doc = record_to_doc(self.item_id, self, skip="item_id")
        doc["attachments"] = attachment_list(self.attachments)
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Submission:
        return record_from_doc(cls, {**doc, "item_id": doc["_id"],
                                     "attachments": attachments_in(doc)})

    @property
    def withdrawal_id(self) -> str:
        return f"{WITHDRAWAL}:{self.item_id.partition(':')[2]}"


def new_collection(title: str, deadline: str, departments: tuple[str, ...],
                   now: datetime) -> MaterialCollection:
    """A collection as it will be stored, or the first reason it cannot be."""
    title = title.strip()
    asked = tuple(dict.fromkeys(d.strip() for d in departments if d.strip()))
    if not title:
        raise refuse("no_title", "A collection needs a title.")
    if not asked:
        raise refuse("no_departments", "Name at least one department to collect from.")
    return MaterialCollection(f"{COLLECTION}:{uuid4().hex}", title, _minute(deadline), asked,
                              now.isoformat(timespec="minutes"))


def split_departments(text: str) -> tuple[str, ...]:
    """Departments as typed: separated by commas (either width), 、, semicolons or lines
    (not spaces: "Arts Department" is one)."""
    for separator in "，、;；\n":
        text = text.replace(separator, ",")
    return tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))


def _minute(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise refuse("bad_deadline", "{text} is not a date and time (2026-12-04 17:00).",
                     text=text) from None
    if moment.hour == moment.minute == 0 and len(text.strip()) == 10:
        moment = moment.replace(hour=23, minute=59)  # a date alone: by the end of that day
    return moment.isoformat(timespec="minutes")


def save_collection(store: DocumentStore, collection: MaterialCollection) -> str:
    return store.put_latest(collection.to_doc())


def submit(store: DocumentStore, collection: MaterialCollection, department: str, text: str,
           attachments: tuple[Attachment, ...], now: datetime, node: str) -> Submission:
    """Record one department's submission as a new fact."""
    if department not in collection.departments:
        raise refuse("not_asked", "{department} was not asked for this collection.",
                     department=department)
    if not text.strip() and not attachments:
        raise refuse("empty", "A submission needs some text or a file.")
    item = Submission(f"{ITEM}:{uuid4().hex}", collection.collection_id, department,
                      now.isoformat(timespec="minutes"), text.strip(), attachments, node)
    store.put(item.to_doc())
    return item


def withdraw(store: DocumentStore, item: Submission, now: datetime) -> str:
    """Take a submission back (a fact of its own: the submission itself is never changed)."""
    return store.put_latest({"_id": item.withdrawal_id, "item_id": item.item_id,
                             "withdrawn_at": now.isoformat(timespec="minutes")})


@dataclass(frozen=True)
class DepartmentStatus:
    department: str
    submissions: tuple[Submission, ...]  # standing ones, oldest first

    @property
    def missing(self) -> bool:
        return not self.submissions

    def late(self, deadline: str) -> bool:
        return bool(self.submissions) and self.submissions[0].submitted_at > deadline


class CollectionIndex:
    """Collections, their standing submissions and who is missing, kept from the changes feed."""

    doc_types = (COLLECTION, ITEM, WITHDRAWAL)

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._collections: dict[str, MaterialCollection] = {}
        self._items: dict[str, Submission] = {}
        self._withdrawn: set[str] = set()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        kind = doc_type(doc_id)
        self._collections.pop(doc_id, None)
        self._items.pop(doc_id, None)
        self._withdrawn.discard(doc_id)
        if doc is None:
            return
        try:
            if kind == COLLECTION:
                self._collections[doc_id] = MaterialCollection.from_doc(doc)
            elif kind == ITEM:
                self._items[doc_id] = Submission.from_doc(doc)
            elif kind == WITHDRAWAL:
                self._withdrawn.add(doc_id)
        except (StoreError, TypeError, ValueError):
            log.warning("collection document %s is unreadable and is left out", doc_id)

    def collections(self) -> list[MaterialCollection]:
        """Soonest deadline first."""
        return sorted(self._collections.values(), key=lambda c: (c.deadline, c.title))

    def get(self, collection_id: str) -> MaterialCollection | None:
        return self._collections.get(collection_id)

    def submissions(self, collection_id: str) -> list[Submission]:
        """Standing submissions (not withdrawn), oldest first."""
        return sorted((item for item in self._items.values()
                       if item.collection_id == collection_id
                       and item.withdrawal_id not in self._withdrawn),
                      key=lambda item: (item.submitted_at, item.item_id))

    def statuses(self, collection: MaterialCollection) -> list[DepartmentStatus]:
        """One per department asked, in the order they were named."""
        items = self.submissions(collection.collection_id)
        return [DepartmentStatus(department, tuple(i for i in items if i.department == department))
                for department in collection.departments]

    def missing(self, collection: MaterialCollection) -> list[str]:
        return [status.department for status in self.statuses(collection) if status.missing]

    def open_collections(self) -> list[OpenCollection]:
        """Collections still waiting for a department, soonest deadline first."""
        found = (OpenCollection(c, tuple(self.missing(c))) for c in self.collections())
        return [open_one for open_one in found if open_one.missing]


@dataclass(frozen=True)
class OpenCollection:
    collection: MaterialCollection
    missing: tuple[str, ...]  # in the order the departments were named

    def overdue(self, now: datetime) -> bool:
        return self.collection.deadline < now.isoformat(timespec="minutes")


@dataclass(frozen=True)
class CollectionAttention:
    """Collections past their deadline with departments still missing, for the inbox: the
    secretary's next step is the reminder that names them."""

    index: CollectionIndex
    now: datetime

    def attention_items(self) -> list[AttentionItem]:
        return [AttentionItem(
            "collection_missing", f"collection_missing:{late.collection.collection_id}",
            (late.collection.collection_id,), "collections.attention.missing",
            {"title": late.collection.title, "missing": "、".join(late.missing)})
            for late in self.index.open_collections() if late.overdue(self.now)]

