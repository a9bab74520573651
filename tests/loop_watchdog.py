"""The blocked-loop watchdog: a TUI or kiosk test fails if one event-loop callback ran > 200 ms.

Every asyncio callback (a task step is one too) runs through ``Handle._run``; the watchdog
times each with the loop thread's CPU clock (``time.thread_time``), not the wall clock. On a
loaded two-core machine the OS may deschedule the loop thread for a long while through no
fault of the code under test, which would make a wall-clock limit flaky; CPU time spent inside
one callback is the code's own. The price: a callback that blocks without computing (waiting
on a lock or a disk) is not caught.

Three things are left out, each measured the same way and taken off its callback. A test's
own setup is not a frozen screen: only callbacks of a Textual app (those running with an
active message pump) count. Textual's rebuild of the whole stylesheet when a screen is first
shown (0.1-0.3 s of CPU here, growing with the app's CSS, not ours to fix) is subtracted. And
so are pauses of Python's cyclic garbage collector, which land on whichever callback happens to
allocate and grow with everything the test session holds: counted, they made the watchdog fail
at random in small tests (200-250 ms) on this loaded two-core machine.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from textual._context import active_message_pump
from textual.css.stylesheet import Stylesheet

LIMIT_SECONDS = 0.2
STYLESHEET_REBUILDS = ("parse", "reparse", "update", "update_nodes")


class LoopWatchdog:
    """Collects the callbacks that held the event loop longer than :data:`LIMIT_SECONDS`."""

    def __init__(self) -> None:
        self.stalls: list[str] = []
        self._excused = threading.local()

    def report(self) -> str:
        return "the event loop was blocked (CPU time in one callback):\n  " + "\n  ".join(
            self.stalls)

    def excused_seconds(self) -> float:
        return getattr(self._excused, "seconds", 0.0)

    def on_gc(self, phase: str, _info: dict[str, int]) -> None:
        """A ``gc.callbacks`` hook: the collection's CPU time is excused."""
        excused = self._excused
        if phase == "start":
            excused.gc_started = time.thread_time()
        elif hasattr(excused, "gc_started"):
            excused.seconds = self.excused_seconds() + time.thread_time() - excused.gc_started
            del excused.gc_started

    def excuse(self, method: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap ``method`` so that its CPU time (outermost call only) is not held against us."""
        excused = self._excused

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if getattr(excused, "inside", False):
                return method(*args, **kwargs)
            excused.inside = True
            started = time.thread_time()
            try:
                return method(*args, **kwargs)
            finally:
                excused.inside = False
                excused.seconds = self.excused_seconds() + time.thread_time() - started

        return wrapper


@contextmanager
def _patched(owner: type, name: str, replacement: Callable[..., Any]) -> Iterator[None]:
    original = owner.__dict__[name]
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


@contextmanager
def watch_event_loops() -> Iterator[LoopWatchdog]:
    """Time every event-loop callback while the block runs."""
    watchdog = LoopWatchdog()
    original = asyncio.events.Handle._run

    def timed_run(handle: asyncio.events.Handle) -> None:
        started = time.thread_time()
        excused_before = watchdog.excused_seconds()
        try:
            original(handle)
        finally:
            spent = time.thread_time() - started - (watchdog.excused_seconds() - excused_before)
            if spent > LIMIT_SECONDS and handle._context.get(active_message_pump) is not None:
                watchdog.stalls.append(f"{spent * 1e3:.0f} ms in {handle!r}")

    with ExitStack() as patches:
        patches.enter_context(_patched(asyncio.events.Handle, "_run", timed_run))
        for name in STYLESHEET_REBUILDS:
            method = getattr(Stylesheet, name)
            patches.enter_context(_patched(Stylesheet, name, watchdog.excuse(method)))
        gc.callbacks.append(watchdog.on_gc)
        patches.callback(gc.callbacks.remove, watchdog.on_gc)
        yield watchdog
