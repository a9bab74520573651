"""Dataclass records ⇄ JSON documents, shared by every area's record types.

Documents come from other nodes and older versions, so reading is forgiving: fields a record
does not know are ignored and fields a document lacks take the record's defaults. Tuples are
stored as JSON lists.
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache
from typing import Any, TypeVar

RecordT = TypeVar("RecordT")


def record_to_doc(doc_id: str, record: Any, skip: str = "") -> dict[str, Any]:
    """The document for ``record``; ``skip`` names the field that is the id itself."""
    body = {f.name: getattr(record, f.name) for f in fields(record) if f.name != skip}
    return {"_id": doc_id, **{k: list(v) if isinstance(v, tuple) else v for k, v in body.items()}}


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def record_from_doc(cls: type[RecordT], doc: dict[str, Any]) -> RecordT:
    """The record a document holds; fields it lacks (older or foreign writers) take defaults."""
    known = _field_names(cls)
    return cls(**{key: value for key, value in doc.items() if key in known})
