"""The big answer a person at the door reads in a glance: green yes, red no, grey idle."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.plain_text import clip, plain


ICONS = {"ok": "✔", "refused": "✘"}
LINE_WIDTH = 120  # a glance answer: longer lines (a name a peer made huge) are cut


class ResultPanel(Vertical):
    """A headline ("Signed in") over a detail line ("张三 · 14:02"), coloured by outcome."""

    DEFAULT_CLASSES = "-idle"

    def compose(self) -> ComposeResult:
        yield Static("", id="result-icon")
        yield Static("", id="result-headline")
        yield Static("", id="result-detail")

    @property
    def headline(self) -> str:
        return str(self.query_one("#result-headline", Static).content)

    @property
    def detail(self) -> str:
        return str(self.query_one("#result-detail", Static).content)

    @property
    def outcome(self) -> str:
        """``"ok"``, ``"refused"`` or ``"idle"``."""
        for outcome in ("ok", "refused"):
            if self.has_class(f"-{outcome}"):
                return outcome
        return "idle"

    def show(self, outcome: str, headline: str, detail: str = "") -> None:
        self.set_classes(f"-{outcome}")
        self.query_one("#result-icon", Static).update(ICONS.get(outcome, ""))
        self.query_one("#result-headline", Static).update(plain(clip(headline, LINE_WIDTH)))
        self.query_one("#result-detail", Static).update(
            plain("\n".join(clip(line, LINE_WIDTH) for line in detail.splitlines())))
