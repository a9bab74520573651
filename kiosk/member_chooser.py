"""Who is standing at the kiosk: a badge, a typed member ID, or a name picked from a short list.

Both kiosks start the same way, so the rules live here once. A burst at scanner speed (or text
shaped like a badge token) that names nobody is an unknown badge; slower typing is a name
search in pinyin or 汉字, answered with a pick list of at most :data:`PICK_LIMIT` people that
↑/↓ and Enter choose from. What is shown about a person is only ever their name and department.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.members import Member
from tui.plain_text import cell, clip

from .scanner import Scan

if TYPE_CHECKING:
    from .base import KioskApp

TOKEN_SHAPE = re.compile(r"^M[0-9A-F]{16}$")
PICK_LIMIT = 6
PICK_ID = "kiosk-pick"


def who(member: Member) -> str:
    """What a kiosk may show about a person: name and department, never contact details
    (each cut to a line's worth, whatever a roster or a peer put in)."""
    name = clip(member.name)
    return f"{name}（{clip(member.department)}）" if member.department else name


def pick_list() -> OptionList:
    """The pick list widget a kiosk using :class:`MemberChooser` yields in its layout."""
    pick = OptionList(id=PICK_ID)
    pick.can_focus = False
    pick.display = False
    return pick


class MemberChooser:
    def __init__(self, app: KioskApp) -> None:
        self.app = app
        self.choices: list[Member] = []

    @property
    def _pick(self) -> OptionList:
        return self.app.kiosk_screen.query_one(f"#{PICK_ID}", OptionList)

    def find(self, text: str) -> tuple[Member, str] | None:
        """The member a badge token or a typed ID names, with how they were identified."""
        directory = self.app.ctx.directory
        member = directory.by_token(text)
        if member is not None:
            return member, "badge"
        member = directory.by_id(text)
        return (member, "id") if member is not None else None

    def answer(self, scan: Scan) -> tuple[Member, str] | None:
        """The member ``scan`` names; otherwise a pick list is offered or a refusal shown."""
        t = self.app.ctx.i18n
        found = self.find(scan.text)
        if found is not None:
            return found
        if scan.burst or TOKEN_SHAPE.match(scan.text):
            self.app.show_refused(t("kiosk.unknown_badge"), t("kiosk.ask_secretary"))
            return None
        matches = self.app.ctx.directory.search(scan.text, limit=PICK_LIMIT)
        if not matches:
            self.app.show_refused(t("kiosk.no_match", query=scan.text), t("kiosk.ask_secretary"))
        else:
            self.offer(matches)
        return None

    def offer(self, matches: list[Member]) -> None:
        self.choices = matches
        pick = self._pick
        pick.clear_options()
        pick.add_options(Option(cell(who(member))) for member in matches)
        pick.display = True
        pick.highlighted = 0
        self.app.result.show("idle", self.app.ctx.i18n("kiosk.pick_title"))
        self.app.showing_personal_data = True
        self.app.set_hint(self.app.ctx.i18n("kiosk.pick_hint"))

    @property
    def offering(self) -> bool:
        return bool(self.choices)

    def take_choice(self) -> Member | None:
        """The highlighted person (Enter), and the list closes."""
        if not self.choices:
            return None
        member = self.choices[self._pick.highlighted or 0]
        self.drop()
        return member

    def navigate(self, delta: int) -> None:
        if self.choices:
            pick = self._pick
            current = pick.highlighted or 0
            pick.highlighted = max(0, min(len(self.choices) - 1, current + delta))

    def drop(self) -> None:
        self.choices = []
        pick = self._pick
        pick.clear_options()
        pick.display = False
