"""Badges and labels print Chinese names on a machine with no Chinese font of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops

from store import label_sheet
from store.badges import badge_pages
from store.label_sheet import DPI, font, save_pages, system_cjk_font
from store.members import Member

NAMES = ["欧阳娜娜", "曾伟", "单雪", "仇明", "吕一", "解放"]
NOT_A_GLYPH = "\ue000"  # private use: every font draws it as its "missing glyph" box


@pytest.fixture
def no_system_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """fontconfig reads an empty configuration: the machine has no fonts of its own."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><fontconfig></fontconfig>\n', encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    label_sheet.cjk_font_path.cache_clear()
    yield
    label_sheet.cjk_font_path.cache_clear()


def printed(pages: list[Image.Image], out: Path) -> Image.Image:
    """The first page as a printer gets it: saved as PDF and rendered back."""
    save_pages(pages, out)
    return pypdfium2.PdfDocument(out)[0].render(scale=DPI / 72).to_pil().convert("L")


def test_system_fonts_are_hidden(no_system_fonts: None) -> None:
    assert system_cjk_font() is None


def test_every_character_of_the_names_has_a_glyph(no_system_fonts: None) -> None:
    face = font(56)
    missing = face.getmask(NOT_A_GLYPH)
    boxes = [char for char in sorted(set("".join(NAMES)))
             if bytes(face.getmask(char)) == bytes(missing)]
    assert boxes == []


def test_badge_sheet_shows_the_names_not_boxes(no_system_fonts: None, tmp_path: Path) -> None:
    def sheet(names: list[str], out: str) -> Image.Image:
        members = [Member(f"2026{n:03d}", name, "秘书处", qr_token=f"M{n:016X}")
                   for n, name in enumerate(names, start=1)]
        return printed(badge_pages(members), tmp_path / out)

    real = sheet(NAMES, "names.pdf")
    boxes = sheet([NOT_A_GLYPH * len(name) for name in NAMES], "boxes.pdf")
    assert ImageChops.difference(real, boxes).getbbox() is not None


def test_hostile_names_print_on_one_line_within_their_cell() -> None:
    """A peer's megabyte name or control characters once made Pillow fail (raqm) or lay out
    an image too large to draw (DecompressionBombError), ending the print job."""
    from bench.hostile_data import HOSTILE_TEXTS, MEGABYTE
    from store.labels import label_pages
    from store.supplies import Item

    names = [*HOSTILE_TEXTS, "纸" * MEGABYTE, "a\n" * 5000]
    items = [Item(f"item:{n}", name, unit=name, code=f"I{n:08d}") for n, name in enumerate(names)]
    pages = label_pages(items, 3, 8)
    assert len(pages) == -(-len(items) // 24)
    assert all(page.size == label_sheet.PAGE for page in pages)


def test_a_long_line_is_cut_with_an_ellipsis_and_fits() -> None:
    face = font(22)
    line = label_sheet.fitted("学生会秘书处" * 40 + "\r\n\x1b[2J", face, 200)
    assert line.endswith("…") and line.startswith("学生会秘书处")
    assert face.getlength(line) <= 200
    assert label_sheet.fitted("曾伟", face, 200) == "曾伟"
