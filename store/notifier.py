"""Tell the UI and the replication server that the store changed.

Writes may come from the event loop or from a worker thread; waiters are asyncio futures
completed with ``call_soon_threadsafe`` so either is safe. Callbacks run synchronously right
after a commit, in the writer's thread, and must be quick.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

ChangeCallback = Callable[[int], None]


class ChangeNotifier:
    def __init__(self) -> None:
        self._callbacks: list[ChangeCallback] = []
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()

    def subscribe(self, callback: ChangeCallback) -> Callable[[], None]:
        self._callbacks.append(callback)

        def unsubscribe() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return unsubscribe

    def notify(self, update_seq: int) -> None:
        for callback in list(self._callbacks):
            try:
                callback(update_seq)
            except Exception:
                log.exception("change subscriber failed")
        for loop, future in list(self._waiters):
            try:
                loop.call_soon_threadsafe(_resolve, future)
            except RuntimeError:
                self._waiters.discard((loop, future))  # its loop is closed

    async def wait(self, timeout: float) -> None:
        """Return at the next notification or after ``timeout`` seconds, whichever is first."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        entry = (loop, future)
        self._waiters.add(entry)
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            pass
        finally:
            self._waiters.discard(entry)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
