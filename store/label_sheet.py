"""A4 sheets of QR labels: the grid, the fonts and the file formats every printout shares.

Member badges and supply-room labels are both a grid of cells, each with a QR code and a few
lines of text. Pages are Pillow images, saved as one multi-page PDF or as PNG files. Chinese
text needs a CJK font, and many office machines have none: Noto Sans SC comes with mishu (the
``pylopdf-fonts-zh-cn`` dependency) and is used first, so a name prints the same everywhere;
a font fontconfig knows is the fallback should that file be missing. Without either the labels
still print (with Pillow's own font, which lacks CJK glyphs) and a warning is logged, because
the QR codes are what the scanners need.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import qrcode
from PIL import Image, ImageDraw, ImageFont
from pylopdf_fonts_zh_cn import sans_path
from qrcode.constants import ERROR_CORRECT_M

from .platform import open_private

log = logging.getLogger(__name__)

DPI = 150
PAGE = (1240, 1754)  # A4 at 150 dpi
MARGIN = 60
GAP = 20  # white space between cells, so a cutter has room
FontType = ImageFont.FreeTypeFont | ImageFont.ImageFont
_NOT_PRINTED = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}  # controls, format marks, unpaired halves
CellT = TypeVar("CellT")


def packaged_cjk_font() -> str | None:
    """Noto Sans SC as installed with mishu; ``None`` if the file has gone missing."""
    path = sans_path()
    return str(path) if path.is_file() else None


def system_cjk_font() -> str | None:
    """A font file with Chinese glyphs, as fontconfig lists them; ``None`` when there is none."""
    if shutil.which("fc-list") is None:
        return None
    try:
        listing = subprocess.run(["fc-list", "-f", "%{file}\n", ":lang=zh"], capture_output=True,
                                 text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.strip() for line in listing.splitlines() if line.strip())
    return files[0] if files else None


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    """The font labels are drawn in: the packaged one first, then the system's."""
    return packaged_cjk_font() or system_cjk_font()


def font(size: int) -> FontType:
    path = cjk_font_path()
    if path is not None:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            log.warning("could not load the CJK font %s", path)
    return ImageFont.load_default(size=size)


def qr_image(token: str, box_size: int = 8) -> Image.Image:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(token)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("L")


def qr_cell(token: str, lines: Sequence[tuple[str, FontType]], size: tuple[int, int]
            ) -> Image.Image:
    """One cell: a framed QR code on the left, the text lines beside it, vertically centred."""
    width, height = size
    cell = Image.new("L", size, 255)
    draw = ImageDraw.Draw(cell)
    draw.rectangle((0, 0, width - 1, height - 1), outline=160, width=2)
    code = qr_image(token)
    side = min(height - 20, width // 2, code.width)
    code = code.resize((side, side), Image.Resampling.NEAREST)
    cell.paste(code, (10, (height - side) // 2))
    left = 20 + side
    heights = [line_font.size if isinstance(line_font, ImageFont.FreeTypeFont) else 12
               for _, line_font in lines]
    top = (height - sum(h + 10 for h in heights)) // 2
    for (text, line_font), line_height in zip(lines, heights):
        draw.text((left, top), fitted(text, line_font, width - left - 10), fill=0,
                  font=line_font)
        top += line_height + 10
    return cell


def fitted(text: str, line_font: FontType, width: int) -> str:
    """``text`` on one line no wider than ``width`` pixels, cut with "…" if need be.

    A name comes from people and peers: a megabyte of it, line breaks or control characters
    would make Pillow lay out a page-sized (or failing) image, so controls become spaces and
    no more characters are measured than could ever fit (no glyph is under two pixels).
    """
    line = "".join(" " if unicodedata.category(char) in _NOT_PRINTED else char
                   for char in text[:max(width // 2, 1) + 1])
    if line_font.getlength(line) <= width and len(line) <= width // 2:
        return line
    low, high = 0, len(line)  # the longest prefix that fits with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if line_font.getlength(line[:middle] + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return line[:low] + "…"


def sheet_pages(cells: Sequence[CellT], columns: int, rows: int,
                draw: Callable[[CellT, tuple[int, int]], Image.Image],
                progress: Callable[[int, int], None] | None = None) -> list[Image.Image]:
    """A4 pages, ``columns × rows`` cells each, in the order given; ``draw`` renders one cell.

    ``progress(done, total)`` is called after each page, for a progress bar.
    """
    if cjk_font_path() is None:
        log.warning("no CJK font found (packaged or fc-list); Chinese text may print as boxes")
    pitch = ((PAGE[0] - 2 * MARGIN) // columns, (PAGE[1] - 2 * MARGIN) // rows)
    size = (pitch[0] - GAP, pitch[1] - GAP)
    per_page = columns * rows
    pages = []
    for first in range(0, max(len(cells), 1), per_page):
        page = Image.new("L", PAGE, 255)
        for slot, cell in enumerate(cells[first:first + per_page]):
            column, row = slot % columns, slot // columns
            page.paste(draw(cell, size), (MARGIN + column * pitch[0] + GAP // 2,
                                          MARGIN + row * pitch[1] + GAP // 2))
        pages.append(page)
        if progress is not None:
            progress(min(len(cells), first + per_page), len(cells))
    return pages


def save_pages(pages: list[Image.Image], out: Path) -> list[Path]:
    """One PDF with every page, or ``out.png``, ``out-2.png``, … for PNG."""
    if out.suffix.lower() == ".pdf":
        with open_private(out) as pdf:
            pages[0].save(pdf, "PDF", save_all=True, append_images=pages[1:], resolution=DPI)
        return [out]
    written = []
    for number, page in enumerate(pages, start=1):
        path = out if number == 1 else out.with_name(f"{out.stem}-{number}{out.suffix}")
        with open_private(path) as png:
            page.save(png, "PNG", dpi=(DPI, DPI))
        written.append(path)
    return written
