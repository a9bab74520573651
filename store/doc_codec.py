"""Dataclass records ⇄ JSON documents, shared by every area's record types.

Documents come from other nodes and older versions, so reading is forgiving: fields a record
does not know are ignored and fields a document lacks take the record's defaults. Tuples are
stored as JSON lists. What cannot be read safely is refused whole (:class:`InvalidDocument`):
a scalar of the wrong JSON type, a missing required field, or a :data:`LocalTime` /
:data:`LocalDate` / :data:`ClockTime` field that is not one (an optional one, defaulting to ``""``, may be empty).
"""

from __future__ import annotations

import re
import sys
from dataclasses import MISSING, fields
from datetime import datetime
from functools import cache
from typing import Annotated, Any, ClassVar, TypeVar, get_type_hints

from .errors import InvalidDocument

RecordT = TypeVar("RecordT")

TIME_FORMAT, DATE_FORMAT, CLOCK_FORMAT = "%Y-%m-%dT%H:%M", "%Y-%m-%d", "%H:%M"
LocalTime = Annotated[str, TIME_FORMAT]  # the office's wall clock, to the minute
LocalDate = Annotated[str, DATE_FORMAT]
ClockTime = Annotated[str, CLOCK_FORMAT]  # a time of day (opening hours)
YEARS = range(1000, 3000)  # far enough either way for any record, and for date arithmetic on it


def record_to_doc(doc_id: str, record: Any, skip: str = "") -> dict[str, Any]:
    """The document for ``record``; ``skip`` names the field that is the id itself."""
    body = {f.name: getattr(record, f.name) for f in fields(record) if f.name != skip}
    return {"_id": doc_id, **{k: list(v) if isinstance(v, tuple) else v for k, v in body.items()}}


_SCALARS: dict[Any, tuple[type, ...]] = {str: (str,), int: (int,), float: (int, float),
                                         bool: (bool,)}


@cache
def _scalar_fields(cls: type) -> dict[str, tuple[type, ...]]:
    """Field name → the JSON types a document may hold for it (``None`` for anything else)."""
    hints = get_type_hints(cls)
    return {f.name: _SCALARS.get(hints[f.name], ()) for f in fields(cls)}


@cache
def _formatted_fields(cls: type) -> dict[str, tuple[str, bool]]:
    """Field name → (strptime format, may be empty) for its time and date fields."""
    hints = get_type_hints(cls, include_extras=True)
    return {f.name: (hints[f.name].__metadata__[0], f.default == "") for f in fields(cls)
            if hints[f.name] in (LocalTime, LocalDate, ClockTime)}


@cache
def _required_fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls)
                     if f.default is MISSING and f.default_factory is MISSING)


# Each format's zero-padded ASCII form, and the fields strptime fills in for what it lacks.
_PADDED: dict[str, tuple[re.Pattern[str], tuple[int, ...]]] = {
    TIME_FORMAT: (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})"), ()),
    DATE_FORMAT: (re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"), ()),
    CLOCK_FORMAT: (re.compile(r"([0-9]{2}):([0-9]{2})"), (1900, 1, 1)),
}


def is_time(text: object, time_format: str) -> bool:
    """Whether ``text`` is a time (or date) in ``time_format`` within :data:`YEARS`.

    Text in the zero-padded form every writer uses is checked by building the datetime, which
    refuses exactly what ``strptime`` refuses there (month 13, 30 February, 24:00) at a tenth
    of its cost: it was ~40% of building a view of 18k meetings. Anything else (``2026-1-5``,
    full-width digits) still goes to ``strptime``, so what counts as a time is unchanged.
    """
    if not isinstance(text, str):
        return False
    pattern, implied = _PADDED.get(time_format, (None, ()))
    padded = pattern.fullmatch(text) if pattern is not None else None
    try:
        moment = (datetime(*implied, *map(int, padded.groups())) if padded is not None
                  else datetime.strptime(text, time_format))
    except ValueError:
        return False
    return moment.year in YEARS


def text_tuple(doc: dict[str, Any], key: str) -> tuple[str, ...]:
    """A field holding a list of text, as a tuple; anything else refuses the document."""
    value = doc.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidDocument(reason=f"{doc.get('_id')}: {key} is not a list of text")
    return tuple(value)


def record_from_doc(cls: type[RecordT], doc: dict[str, Any]) -> RecordT:
    """The record a document holds; fields it lacks (older or foreign writers) take defaults.

    A scalar field of the wrong JSON type (a number where text belongs) raises
    :class:`InvalidDocument`: a derived view then skips that one document (and logs it)
    instead of failing later on a comparison deep inside a screen.

    Text fields are interned: a view holds thousands of records naming the same rooms,
    members, statuses, nodes and times, one copy per record as JSON decodes them (about half
    of the booking calendar's memory at 1M documents). Only exact ``str`` can be interned; a
    subclass a caller passes (an enum member) is kept as it is. A record whose text is its
    own (an archive record: its title, number and keywords) sets ``INTERN_TEXT = False``:
    interning cost the archive's index build 0.15 s at 50k records and saved nothing.
    """
    known = _scalar_fields(cls)
    values = {key: value for key, value in doc.items() if key in known}
    for key, value in values.items():
        allowed = known[key]
        if allowed and (not isinstance(value, allowed)
                        or (isinstance(value, bool) and bool not in allowed)):
            raise InvalidDocument(reason=f"{doc.get('_id')}: {key} has the wrong type")
    for key, (time_format, optional) in _formatted_fields(cls).items():
        value = values.get(key)
        if key in values and (value or not optional) and not is_time(value, time_format):
            raise InvalidDocument(reason=f"{doc.get('_id')}: {key} is not a valid time")
    missing = _required_fields(cls) - values.keys()
    if missing:
        raise InvalidDocument(reason=f"{doc.get('_id')}: {sorted(missing)[0]} is missing")
    if getattr(cls, "INTERN_TEXT", True):
        for key, value in values.items():
            if type(value) is str and known[key] == (str,):
                values[key] = sys.intern(value)
    return cls(**values)


class DocumentRecord:
    """Mixin for a frozen dataclass stored as one document.

    ``ID_FIELD`` names the field that holds the document id (``"item_id"``); records whose id
    is derived from their content leave it empty and define a ``doc_id`` property instead.
    """

    ID_FIELD: ClassVar[str] = ""

    def to_doc(self) -> dict[str, Any]:
        if self.ID_FIELD:
            return record_to_doc(getattr(self, self.ID_FIELD), self, skip=self.ID_FIELD)
        return record_to_doc(self.doc_id, self)  # type: ignore[attr-defined]

    @classmethod
    def from_doc(cls: type[RecordT], doc: dict[str, Any]) -> RecordT:
        id_field = cls.ID_FIELD  # type: ignore[attr-defined]
        return record_from_doc(cls, {**doc, id_field: doc["_id"]} if id_field else doc)
