"""Slows down guessing of the kiosk's admin PIN: a lock that doubles after repeated failures.

A four-digit PIN falls to a patient passer-by in minutes if every guess is free. After
``FREE_TRIES`` wrong PINs in a row the dialog refuses any PIN for ``FIRST_LOCK`` seconds, and
each further wrong PIN doubles the lock (up to ``MAX_LOCK``). Every failure is logged, and the
admin who finally unlocks is told how many wrong PINs came before, so a guessing attempt does
not go unnoticed. The clock is injected so a test can move time without sleeping.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from store.kiosk_pin import verify_pin

log = logging.getLogger(__name__)

FREE_TRIES = 5
FIRST_LOCK = 30.0
MAX_LOCK = 3600.0


class PinVerdict(Enum):
    RIGHT = "right"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass
class PinGuard:
    clock: Callable[[], float] = time.monotonic
    failures: int = 0  # wrong PINs since the last right one
    locked_until: float = field(default=0.0)

    def seconds_locked(self) -> int:
        """Whole seconds until a PIN is accepted for checking again (0: not locked)."""
        return max(0, int(self.locked_until - self.clock() + 0.999))

    def check(self, pin: str, stored: str) -> PinVerdict:
        if self.seconds_locked():
            log.warning("kiosk admin PIN tried while locked (%d wrong so far)", self.failures)
            return PinVerdict.LOCKED
        if verify_pin(pin, stored):
            return PinVerdict.RIGHT
        self.failures += 1
        log.warning("wrong kiosk admin PIN (%d in a row)", self.failures)
        if self.failures >= FREE_TRIES:
            lock = min(MAX_LOCK, FIRST_LOCK * 2 ** (self.failures - FREE_TRIES))
            self.locked_until = self.clock() + lock
            log.warning("kiosk admin PIN locked for %.0f s", lock)
        return PinVerdict.WRONG

    def take_failures(self) -> int:
        """After a right PIN: how many wrong ones came before it; the count starts again."""
        count, self.failures, self.locked_until = self.failures, 0, 0.0
        return count
