"""The command palette in the user's language.

Textual 8.2.8 takes the palette's placeholder as an argument but writes "No matches found"
into the list from a timer of its own; this subclass replaces only that timer, so both texts
come from the catalogs. The theme palette gets the same treatment through ``placeholder``.
"""

from __future__ import annotations

from typing import Any

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option


class TranslatedPalette(CommandPalette):
    def __init__(self, no_matches: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._no_matches_text = no_matches

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's own, with our sentence: shown only when the user typed something."""
        super()._start_no_matches_countdown(search_value)
        if not search_value:
            return
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            self.query_one(CommandList).add_option(Option(
                Align.center(Text(self._no_matches_text, style="not bold")), disabled=True,
                id=self._NO_MATCHES))
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
