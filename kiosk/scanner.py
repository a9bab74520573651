"""Keyboard-wedge scanners: a USB QR reader "types" its text as a fast burst of keys.

Many readers end the burst with Enter or Tab, many with nothing at all. The kiosk has no text
field to focus, so every key lands here. :class:`KeyBuffer` collects the keys and tells a
scanner from a person by *when* they came and *what* they spell: a run of keys at scanner speed
that looks like a code (:func:`looks_like_code`) is a scan, and it ends either at Enter/Tab or
once the reader has been quiet for ``burst_gap``. A run that starts after a pause starts a fresh
entry, so someone's leftover typing never glues onto a badge. A word an input method commits
in one go (``欧阳娜娜``) arrives as fast as a scan but does not look like a code, so it waits for
Enter like any typed name. :class:`Debouncer` drops the same code read twice while the badge is
still held in front of the reader. Times are passed in (the key events' own timestamps), so
both are plain objects tested without a terminal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol


class Stamped(Protocol):
    time: float  # what a Textual key event carries: when the terminal delivered it


class ScannerClock:
    """When each key came, and what time it is now, on one clock.

    A key's time is the event's own (when it arrived, not when a busy kiosk got to it), and
    :meth:`now` is ``None``: the kiosk's timer itself says the reader has been quiet long enough.
    Tests hand the kiosk a clock they move by hand instead, so no test depends on how fast this
    machine delivers keys.
    """

    def stamp(self, key: Stamped) -> float:
        return key.time

    def now(self) -> float | None:
        return None


CODE_SHAPE = re.compile(r"^[A-Z][0-9A-F]{16}$")  # our badges (M…), items (I…), assets (A…)


def looks_like_code(text: str) -> bool:
    """Badge tokens and labels (``M``/``I``/``A`` + hex) and card numbers: ASCII, no spaces,
    at least one digit. Names, in pinyin or 汉字, never have a digit."""
    return text.isascii() and text.isalnum() and any(char.isdigit() for char in text)


@dataclass(frozen=True)
class Scan:
    text: str
    burst: bool  # every key arrived within the scanner's gap: a machine, not a person


@dataclass
class KeyBuffer:
    """The keys of one entry; an entry starts afresh after a pause of ``fresh_after``.

    Within an entry, runs of keys closer than ``burst_gap`` are what a reader sends.
    """

    # Seconds: a reader sends a key every few ms, people need 100 ms or more; keys closer than
    # this are one run, and this long without a key ends the run of a reader with no suffix.
    burst_gap: float = 0.08
    fresh_after: float = 0.5  # a scan this long after the last key is not part of that typing
    min_burst: int = 4
    stale_after: float = 10.0  # a half-typed line this old is someone else's leftovers
    _chars: list[str] = field(default_factory=list)
    _times: list[float] = field(default_factory=list)
    _entry_start: int = 0  # where the keys after the latest pause begin
    _run_start: int = 0  # where the latest run of scanner-speed keys began

    @property
    def text(self) -> str:
        return "".join(self._chars)

    def feed(self, char: str, at: float) -> None:
        if self._times and at - self._times[-1] > self.stale_after:
            self.clear()
        gap = at - self._times[-1] if self._times else float("inf")
        if gap > self.fresh_after:
            self._entry_start = len(self._chars)
        if gap > self.burst_gap:
            self._run_start = len(self._chars)
        self._chars.append(char)
        self._times.append(at)

    def backspace(self) -> None:
        if self._chars:
            self._chars.pop()
            self._times.pop()
            self._run_start = min(self._run_start, len(self._chars))
            self._entry_start = min(self._entry_start, len(self._chars))

    def clear(self) -> None:
        self._chars.clear()
        self._times.clear()
        self._entry_start = self._run_start = 0

    def _entry(self) -> str:
        return "".join(self._chars[self._entry_start:]).strip()

    def _entry_is_burst(self, until: float) -> bool:
        times = [*self._times[self._entry_start:], until]
        return (len(times) > self.min_burst
                and all(later - earlier <= self.burst_gap for earlier, later in zip(times, times[1:])))

    def _take(self, text: str, burst: bool) -> Scan | None:
        self.clear()
        return Scan(text, burst) if text else None

    def submit(self, at: float) -> Scan | None:
        """The finished line (Enter or Tab pressed), or ``None`` when nothing was typed.

        A burst that Enter closed at once is the scan on its own, whatever was typed before the
        pause that preceded it; anything else is the whole line, as typed.
        """
        if self._times and self._entry_is_burst(at):
            return self._take(self._entry(), True)
        return self._take(self.text.strip(), False)

    def quiet_since(self) -> float | None:
        """When the last key came, or ``None`` when nothing waits."""
        return self._times[-1] if self._times else None

    def end_of_burst(self, at: float) -> Scan | None:
        """The scan a reader without a suffix sent, once it has been quiet for ``burst_gap``.

        ``None`` while keys may still come, or when what waits is typing (or an input method's
        word), which Enter finishes instead. Typing before the pause is dropped with it.
        """
        if not self._times or at < self._times[-1] + self.burst_gap:
            return None
        entry = self._entry()
        if len(self._chars) - self._run_start < self.min_burst or not looks_like_code(entry):
            return None
        return self._take(entry, True)

    def ended_by_next_key(self, at: float) -> Scan | None:
        """A key arriving ``burst_gap`` after a complete code of ours closes that code.

        This is how bursts queued behind a busy kiosk are told apart; only a complete code is
        closed this way, so a hiccup inside one burst never cuts it in two.
        """
        if not self._times or at - self._times[-1] <= self.burst_gap:
            return None
        entry = self._entry()
        return self._take(entry, True) if CODE_SHAPE.match(entry) else None


@dataclass
class Debouncer:
    """Accepts a code once per ``window`` seconds; a different code is always accepted.

    A badge left in front of the reader is re-read every second or so; each ignored repeat
    restarts the window, so it never turns into an "already signed in" answer.
    """

    window: float
    _last: str = ""
    _at: float = float("-inf")

    def accept(self, text: str, at: float) -> bool:
        if text == self._last and at - self._at < self.window:
            self._at = at
            return False
        self._last, self._at = text, at
        return True

    def forget(self) -> None:
        self._last, self._at = "", float("-inf")
