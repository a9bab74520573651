"""Printable member badges: the QR codes the sign-in kiosk reads, eight to an A4 page.

Each badge carries the member's name, ID and department beside a QR code of their opaque
``qr_token`` (never the phone number or the ID in the code).
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from .members import Member

from .label_sheet import font, qr_cell, sheet_pages

COLUMNS, ROWS = 2, 4


def badge_pages(members: Sequence[Member]) -> list[Image.Image]:
    """A4 pages, ``COLUMNS × ROWS`` badges each, in the order given."""
    big, small = font(56), font(32)

    def badge(member: Member, size: tuple[int, int]) -> Image.Image:
        return qr_cell(member.qr_token, [(member.name, big), (member.member_id, small),
                                         (member.department, small)], size)

    return sheet_pages(members, COLUMNS, ROWS, badge)
