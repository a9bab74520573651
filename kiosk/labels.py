"""Printable supply-room labels: a QR code of each asset's or item's opaque code, with its tag
number (or unit) and name, on an A4 sheet whose grid comes from ``[supplies]`` in config.toml.

The QR holds only the record's ``code``, which the supplies kiosk and the stock-take look up;
a typed tag number works too, for a label that has worn off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PIL import Image

from store.supplies import Asset, Item

from .label_sheet import font, qr_cell, sheet_pages


def label_pages(records: Sequence[Asset | Item], columns: int, rows: int,
                progress: Callable[[int, int], None] | None = None) -> list[Image.Image]:
    big, small = font(28), font(22)

    def label(record: Asset | Item, size: tuple[int, int]) -> Image.Image:
        detail = record.tag if isinstance(record, Asset) else record.unit
        return qr_cell(record.code, [(detail, big), (record.name, small)], size)

    return sheet_pages(records, columns, rows, label, progress)
