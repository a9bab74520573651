"""One date of a repeating booking changed on its own: cancelled, or moved to another time/room.

Each exception is its own document with a deterministic id, ``bookingexc:{series}:{date}``
(the date is the occurrence's original date, RFC 5545's RECURRENCE-ID). Two offline nodes that
cancel different dates of one series therefore write different documents and the merge keeps
both; two nodes changing the *same* date meet as an ordinary revision conflict of one small
document. Keeping the list of skipped dates inside the series document instead would make the
second node's cancellation overwrite the first's.

Undoing an exception is deleting its document (a tombstone that replicates).
"""

from __future__ import annotations

from dataclasses import dataclass

from .doc_codec import DocumentRecord

BOOKING_EXCEPTION = "bookingexc"


def exception_id(series_id: str, day: str) -> str:
    """``bookingexc:<series hex>:<YYYY-MM-DD>`` for the booking ``booking:<series hex>``."""
    return f"{BOOKING_EXCEPTION}:{series_id.split(':', 1)[-1]}:{day}"


def series_of(exception_doc_id: str) -> str:
    """The ``booking:…`` id an exception document id belongs to (readable without the body)."""
    return f"booking:{exception_doc_id.split(':')[1]}"


@dataclass(frozen=True)
class SeriesException(DocumentRecord):
    """How one occurrence differs from its series; empty fields keep the series' values."""

    series: str  # booking:… id of the series
    day: str  # the original date, YYYY-MM-DD
    cancelled: bool = False
    room: str = ""
    start: str = ""  # the moved occurrence, ISO minutes; "" keeps the series' time
    end: str = ""
    title: str = ""

    @property
    def doc_id(self) -> str:
        return exception_id(self.series, self.day)
