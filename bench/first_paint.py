"""How long the real app takes to put a screen on view, measured through a Pilot.

The dashboard and desk benches share it: an app on an already open store with the clock fixed,
marks taken when a method runs or once the frame it changed is on screen, and the median of the
runs. A mark "on screen" is taken from ``call_after_refresh``, which Textual runs only after
the screen has been refreshed. Beside the wall-clock time a :class:`Mark` holds the processor
time the event loop's thread spent: on a shared machine the wall clock also counts the waits
for a processor, the event loop's own time does not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NamedTuple

from textual.pilot import Pilot
from textual.widget import Widget

from store import DocumentStore
from tui.app import MishuApp
from tui.context import AppContext
from tui.i18n import Translator
from tui.settings import Settings
from tui.widgets.dashboard.panel import DashboardPanel

NOW = datetime(2026, 11, 25, 9, 30)


class Mark(NamedTuple):
    wall: float  # time.perf_counter()
    loop: float  # time.thread_time() of the event loop's thread

    @staticmethod
    def now() -> Mark:
        return Mark(time.perf_counter(), time.thread_time())

    def since(self, start: Mark) -> Mark:
        return Mark(self.wall - start.wall, self.loop - start.loop)

    def text(self) -> str:
        return f"{self.wall * 1e3:.0f} ms (event loop {self.loop * 1e3:.0f} ms)"


def bench_context(store: DocumentStore) -> AppContext:
    return AppContext(settings=Settings(), store=store, i18n=Translator("zh"), clock=lambda: NOW)


@contextmanager
def _wrapped(cls: type, name: str, after: Callable[[Any], None] | None,
             before: Callable[[Any], None] | None = None) -> Iterator[None]:
    original = getattr(cls, name)
    own = name in cls.__dict__

    def timed(widget: Any, *args: Any, **kwargs: Any) -> Any:
        if before is not None:
            before(widget)
        result = original(widget, *args, **kwargs)
        if after is not None:
            after(widget)
        return result

    setattr(cls, name, timed)
    try:
        yield
    finally:
        if own:
            setattr(cls, name, original)
        else:
            delattr(cls, name)


@contextmanager
def painted_after(cls: type[Widget], name: str,
                  ready: Callable[[Any], bool] = lambda _widget: True) -> Iterator[list[Mark]]:
    """The moments a frame is on screen after a call of ``cls.name`` left ``ready`` true."""
    moments: list[Mark] = []

    def mark(widget: Widget) -> None:
        if ready(widget):
            widget.call_after_refresh(lambda: moments.append(Mark.now()))

    with _wrapped(cls, name, mark):
        yield moments


async def dashboard_settled(app: MishuApp, pilot: Pilot[None], step: float = 0.005) -> None:
    """Until every dashboard panel is filled (the screen the app opens on)."""
    while not app.screen.query(DashboardPanel) or not all(
            panel.loaded for panel in app.screen.query(DashboardPanel)):
        await pilot.pause(step)


async def wait_for(moments: list[Mark], pilot: Pilot[None]) -> Mark:
    while not moments:
        await pilot.pause(0.001)
    return moments[0]


def median(runs: Sequence[Sequence[Any]], column: int) -> Any:
    """The median of one figure over the runs (an odd number of them; marks by wall clock)."""
    return sorted(run[column] for run in runs)[len(runs) // 2]
