"""Printable supply-room labels: a QR code of each asset's or item's opaque code, with its tag
number (or unit), its name and the code in print, on an A4 sheet whose grid comes from
``[supplies]`` in config.toml.

The QR holds only the record's ``code``, which the supplies kiosk and the stock-take look up;
the printed code (or a typed tag number) serves where a scanner is missing or a label has worn.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PIL import Image

from .supplies import Asset, Item

from .label_sheet import font, qr_cell, sheet_pages


def label_lines(record: Asset | Item) -> list[str]:
    """The printed lines: tag (or unit), name, and the code a counter can type."""
    return [record.tag if isinstance(record, Asset) else record.unit, record.name, record.code]


def label_pages(records: Sequence[Asset | Item], columns: int, rows: int,
                progress: Callable[[int, int], None] | None = None) -> list[Image.Image]:
    fonts = (font(28), font(22), font(16))

    def label(record: Asset | Item, size: tuple[int, int]) -> Image.Image:
        return qr_cell(record.code, list(zip(label_lines(record), fonts)), size)

    return sheet_pages(records, columns, rows, label, progress)
