"""Printable member badges: the QR codes the sign-in kiosk reads, eight to an A4 page.

Each badge carries the member's name, ID and department beside a QR code of their opaque
``qr_token`` (never the phone number or the ID in the code). Pages are Pillow images, saved as
one multi-page PDF or as PNG files. Chinese names need a CJK font: the first one fontconfig
knows is used; without one the badges still print (with Pillow's own font, which lacks CJK
glyphs) and a warning is logged, because the QR codes are what the kiosk needs.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

from store.members import Member

log = logging.getLogger(__name__)

DPI = 150
PAGE = (1240, 1754)  # A4 at 150 dpi
COLUMNS, ROWS = 2, 4
MARGIN = 60
FontType = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
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


def _font(size: int) -> FontType:
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


def _badge(member: Member, size: tuple[int, int], fonts: tuple[FontType, FontType]) -> Image.Image:
    width, height = size
    badge = Image.new("L", size, 255)
    draw = ImageDraw.Draw(badge)
    draw.rectangle((0, 0, width - 1, height - 1), outline=160, width=2)
    code = qr_image(member.qr_token)
    side = min(height - 40, code.width)
    code = code.resize((side, side), Image.Resampling.NEAREST)
    badge.paste(code, (20, (height - side) // 2))
    left = 40 + side
    big, small = fonts
    draw.text((left, height // 2 - 70), member.name, fill=0, font=big)
    draw.text((left, height // 2 + 10), member.member_id, fill=0, font=small)
    draw.text((left, height // 2 + 50), member.department, fill=0, font=small)
    return badge


def badge_pages(members: Sequence[Member]) -> list[Image.Image]:
    """A4 pages, ``COLUMNS × ROWS`` badges each, in the order given."""
    if cjk_font_path() is None:
        log.warning("no CJK font found (fc-list :lang=zh); Chinese names may print as boxes")
    fonts = (_font(56), _font(32))
    cell = ((PAGE[0] - 2 * MARGIN) // COLUMNS, (PAGE[1] - 2 * MARGIN) // ROWS)
    per_page = COLUMNS * ROWS
    pages = []
    for first in range(0, max(len(members), 1), per_page):
        page = Image.new("L", PAGE, 255)
        for slot, member in enumerate(members[first:first + per_page]):
            column, row = slot % COLUMNS, slot // COLUMNS
            badge = _badge(member, (cell[0] - 20, cell[1] - 20), fonts)
            page.paste(badge, (MARGIN + column * cell[0] + 10, MARGIN + row * cell[1] + 10))
        pages.append(page)
    return pages


def save_pages(pages: list[Image.Image], out: Path) -> list[Path]:
    """One PDF with every page, or ``out.png``, ``out-2.png``, … for PNG."""
    if out.suffix.lower() == ".pdf":
        pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=DPI)
        return [out]
    written = []
    for number, page in enumerate(pages, start=1):
        path = out if number == 1 else out.with_name(f"{out.stem}-{number}{out.suffix}")
        page.save(path, "PNG", dpi=(DPI, DPI))
        written.append(path)
    return written
