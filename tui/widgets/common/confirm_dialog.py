"""Ask before an action that removes or overwrites: what will change, then one button per way.

One dialog serves a plain yes/no ("Cancel “周例会” 12-07 14:00–15:00?"), a choice of scope
("only 12-07 / 12-07 and following (4 dates) / the whole series (6 dates)"), a bulk action
(the count, and the first few items by name) and a list to be read in full before saying yes
(every adjustment a stock-take will write, scrolling when it is long). It dismisses with the chosen :class:`Choice`
key, or ``None`` when the user backs out; :meth:`AreaScreen.confirm_then` pairs it with undo.
Everything shown is data-safe text: titles and names come from people and peers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from ...screens.base import Dialog

SHOWN_ITEMS = 8  # a bulk action lists this many by name, then "and N more"


@dataclass(frozen=True)
class Choice:
    key: str
    label: str  # already translated
    variant: str = "error"  # a button that removes or overwrites; "primary" for a mere choice


class ConfirmDialog(Dialog[str | None]):
    DEFAULT_CLASSES = "form-dialog confirm-dialog"
    BINDINGS = [("escape", "back", "common.go_back")]
    AUTO_FOCUS = "#back"  # a destructive action is never one Enter away

    def __init__(self, title: str, choices: Sequence[Choice], detail: str = "",
                 items: Sequence[str] = (), lines: Sequence[Text] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.detail = detail
        self.items = list(items)
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with Vertical():
            yield Static(Text(self.title_text), classes="dialog-title")
            if self.detail:
                yield Static(Text(self.detail), id="confirm-detail")
            if self.items:
                shown = [f"• {item}" for item in self.items[:SHOWN_ITEMS]]
                if len(self.items) > SHOWN_ITEMS:
                    shown.append(t("common.and_more", count=len(self.items) - SHOWN_ITEMS))
                yield Static(Text("\n".join(shown)), id="confirm-items")
            if self.lines:
                with VerticalScroll(id="confirm-lines"):
                    for line in self.lines:
                        yield Static(line)
            with Vertical(classes="choices"):
                for number, choice in enumerate(self.choices):
                    yield Button(Text(choice.label), id=f"choice-{number}",
                                 variant=choice.variant)  # type: ignore[arg-type]
                yield Button(t("common.go_back"), id="back")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        _, _, number = (event.button.id or "").partition("-")
        self.dismiss(self.choices[int(number)].key if number.isdigit() else None)

    def action_back(self) -> None:
        self.dismiss(None)
