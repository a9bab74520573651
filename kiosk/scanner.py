"""Keyboard-wedge scanners: a USB QR reader "types" its text as a fast burst ending in Enter.

The kiosk has no text field to focus, so every key lands here. :class:`KeyBuffer` collects the
keys of one line and, on Enter, says whether they came as a burst (a scanner) or at human
speed (someone typing an ID or a name); :class:`Debouncer` drops the same code read twice while
the badge is still held in front of the reader. Times are passed in (``time.monotonic()``), so
both are plain objects tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scan:
    text: str
    burst: bool  # every key arrived within the scanner's gap: a machine, not a person


@dataclass
class KeyBuffer:
    burst_gap: float = 0.08  # seconds between keys; scanners send a key every few ms
    min_burst: int = 4
    stale_after: float = 10.0  # a half-typed line this old is someone else's leftovers
    _chars: list[str] = field(default_factory=list)
    _times: list[float] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self._chars)

    def feed(self, char: str, at: float) -> None:
        if self._times and at - self._times[-1] > self.stale_after:
            self.clear()
        self._chars.append(char)
        self._times.append(at)

    def backspace(self) -> None:
        if self._chars:
            self._chars.pop()
            self._times.pop()

    def clear(self) -> None:
        self._chars.clear()
        self._times.clear()

    def submit(self, at: float) -> Scan | None:
        """The finished line (Enter pressed), or ``None`` when nothing was typed."""
        text = self.text.strip()
        times = [*self._times, at]
        self.clear()
        if not text:
            return None
        gaps = [later - earlier for earlier, later in zip(times, times[1:])]
        burst = len(text) >= self.min_burst and all(gap <= self.burst_gap for gap in gaps)
        return Scan(text, burst)


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
