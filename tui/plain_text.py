"""Data is text: what people, files and peers wrote is shown exactly as typed, nothing more.

Textual and Rich parse a plain ``str`` as markup, so a member named ``[/]`` would crash a
screen and ``[red]`` would colour it; a terminal obeys escape sequences, so a node name could
clear the screen. Everything a screen shows goes through :func:`plain` (or :func:`cell` in a
table), which builds a ``rich.text.Text`` that is never parsed, from a string stripped of
control characters by :func:`printable`. Catalog strings hold no markup, so a translated
sentence with data substituted into it is shown the same way. The command line strips the same
characters from everything it prints (:class:`PrintableStream`).
"""

from __future__ import annotations

import io
import re
from typing import TextIO

from rich.text import Text

# ESC sequences (CSI, OSC/DCS/APC/PM/SOS strings up to BEL or ST, two-byte escapes), the
# 8-bit CSI/OSC forms, then any other C0/C1 control and the bidi overrides that reorder text.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|[\x1b][\]PX^_].*?(?:\x07|\x1b\\|$)"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|[\x90\x98\x9d\x9e\x9f].*?(?:\x07|\x9c|\x1b\\|$)"
    r"|\x1b[ -/]*[0-~]?",
    re.DOTALL,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\r\n\t]+")

CELL_WIDTH = 32
"""Widest a table cell grows (terminal cells); longer text is cut with an ellipsis."""


def printable(text: str, *, newlines: bool = True) -> str:
    """``text`` without escape sequences or control characters (tabs and newlines kept
    when ``newlines``; otherwise each run of them becomes one space)."""
    text = _ESCAPES.sub("", text)
    if not newlines:
        text = _LINE_BREAKS.sub(" ", text)
    return _CONTROLS.sub("", text)


PLAIN_LENGTH = 4000
"""Most characters a detail view wraps; wrapping a peer's megabyte stalled the screen a second."""


def plain(text: object, style: str = "") -> Text:
    """Data (or a translated sentence holding data) as text a widget shows literally, cut with
    an ellipsis after :data:`PLAIN_LENGTH` characters."""
    shown = str(text)
    if len(shown) > PLAIN_LENGTH:
        shown = shown[:PLAIN_LENGTH] + "…"
    return Text(printable(shown), style=style)


def clip(text: object, width: int = CELL_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` terminal cells (CJK counts two) with an ellipsis.

    Only the start of ``text`` is read (a few times ``width`` characters, leaving room for
    control characters that are dropped), so a megabyte costs no more than a short name.
    """
    head = Text(printable(str(text)[: width * 4 + 1], newlines=False)[: width + 1])
    head.truncate(width, overflow="ellipsis")
    return head.plain


def cell(text: object, style: str = "", width: int = CELL_WIDTH) -> Text:
    """One table cell (or list entry): :func:`clip` as text that is never parsed."""
    return Text(clip(text, width), style=style, no_wrap=True, end="")


class PrintableStream(io.TextIOBase):
    """A terminal stream that drops escape sequences and control characters from all it is
    given, so no printer of the command line can forget to."""

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self.target = target

    def write(self, text: str) -> int:
        self.target.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()


class PlainNotifications:
    """For apps: every notification is shown as plain text, whoever sends it.

    ``Widget.notify`` asks for markup by default; no catalog string holds any, and a sentence
    with a name in it must not be parsed, so the request is overruled here, in one place.
    """

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        super().notify(printable(message), title=printable(title),  # type: ignore[misc]
                       severity=severity, timeout=timeout, markup=False)
