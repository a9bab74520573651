"""The one member picker: type Chinese, pinyin, initials or an ID, choose from a short list.

Used for every field that names a person. Typing shows the directory's best matches (the same
pinyin-aware search as the directory screen); ↓ moves into the list and Enter picks. A single
picker shows the picked member as "name（ID）"; a multiple one collects picks in a line above
the input (Backspace on an empty input drops the last). What was typed without picking is
resolved by :func:`store.people.resolve_person`: a member ID or unique exact name is accepted,
anything else is refused, or kept as a marked guest where the field allows guests.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from store.members import Member
from store.people import GUEST, label, resolve_person

PICK_LIMIT = 8


class MemberPicker(Vertical):
    DEFAULT_CSS = """
    MemberPicker { height: auto; }
    MemberPicker OptionList { max-height: 8; display: none; }
    MemberPicker OptionList.open { display: block; }
    MemberPicker .picked { height: auto; color: $text-muted; }
    """

    def __init__(self, value: str | Iterable[str] = "", *, multiple: bool = False,
                 guest_ok: bool = False, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.multiple = multiple
        self.guest_ok = guest_ok
        self._initial = [value] if isinstance(value, str) else list(value)
        self.picked: list[str] = []  # member ids (multiple) or the one picked id
        self.matches: list[Member] = []

    @property
    def directory(self):  # type: ignore[no-untyped-def]
        return self.app.ctx.directory  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Static("", classes="picked")
        yield Input(placeholder=self.app.ctx.i18n("people.picker_help"))  # type: ignore[attr-defined]
        yield OptionList()

    def on_mount(self) -> None:
        values = [v for v in self._initial if v]
        if self.multiple:
            self.picked = values
        elif values:
            self.input.value = self._shown(values[0])
        self._show_picked()

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def _shown(self, value: str) -> str:
        if value.startswith(GUEST):
            return value[len(GUEST):]
        member = self.directory.by_id(value)
        return label(member) if member is not None else value

    def _show_picked(self) -> None:
        line = self.query_one(".picked", Static)
        line.display = self.multiple
        if self.multiple:
            names = "、".join(self._shown(member_id) for member_id in self.picked) or "—"
            line.update(Text(self.app.ctx.i18n("people.picked", names=names)))  # type: ignore[attr-defined]

    @on(Input.Changed)
    def search(self, event: Input.Changed) -> None:
        event.stop()
        options = self.query_one(OptionList)
        text = event.value.strip()
        shown = {label(m) for m in self.matches}
        self.matches = [] if not text or text in shown else self.directory.search(text, PICK_LIMIT)
        options.clear_options()
        options.add_options([Option(Text(f"{label(m)}  {m.department} {m.role}".rstrip()))
                             for m in self.matches])
        options.set_class(bool(self.matches), "open")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        """Enter while the list is open picks the best match; otherwise the form submits."""
        if self.query_one(OptionList).has_class("open") and self.matches:
            event.stop()
            self._take(self.matches[0])

    def on_key(self, event: events.Key) -> None:
        options = self.query_one(OptionList)
        if event.key == "down" and self.input.has_focus and self.matches:
            event.stop()
            options.focus()
            options.highlighted = 0
        elif event.key == "escape" and options.has_class("open"):
            event.stop()
            options.remove_class("open")
            self.input.focus()
        elif (event.key == "backspace" and self.multiple and self.input.has_focus
              and not self.input.value and self.picked):
            event.stop()
            self.picked.pop()
            self._show_picked()

    @on(OptionList.OptionSelected)
    def pick(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(self.matches[event.option_index])

    def _take(self, member: Member) -> None:
        if self.multiple:
            if member.member_id not in self.picked:
                self.picked.append(member.member_id)
            self.input.value = ""
            self._show_picked()
        else:
            self.matches = [member]
            self.input.value = label(member)
        self.query_one(OptionList).remove_class("open")
        self.input.focus()

    def value(self) -> str:
        """The one person (member ID, guest value or ""), or a refusal of what was typed."""
        return resolve_person(self.directory, self.input.value, guest_ok=self.guest_ok)

    def values(self) -> list[str]:
        """Every picked member, plus what is still typed in the input (resolved as above)."""
        typed = self.value()
        return self.picked + ([typed] if typed and typed not in self.picked else [])
