"""The views attached to a store, changed only on the thread that reads them.

The UI reads its views (member directory, calendars, the trust ledger) on its event loop
without any lock, while replication commits in worker threads (the sync server's
``_bulk_docs``, the pull replicator's ``put_revisions``). Were a view updated in the writer's
thread, a screen iterating it would meet a dictionary changing size under it, or half of an
update. So a view attached from an event loop is owned by that loop: a write committed on the
loop's thread updates it at once, as before, and a write committed in any other thread queues
its updates, in commit order, and the loop applies them in one callback
(``call_soon_threadsafe``), before it wakes anything waiting for that write. Views attached
with no loop running (the command line, plain tests) are updated in the writer's thread.

A worker thread that reads views uses :meth:`DocumentStore.without_writes`, which holds
:attr:`IndexFeed.lock` too, so the loop applies no queued update while it reads.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import InvalidDocument

if TYPE_CHECKING:
    from .docstore import DocIndex

log = logging.getLogger(__name__)

RETRY_SECONDS = 0.01  # how soon the loop tries again to apply updates while a worker reads


Update = tuple["DocIndex", str, "dict[str, Any] | None"]  # a view, a document id, its winner


class IndexFeed:
    """Every attached view, and the updates waiting for the owning loop."""

    def __init__(self, on_late: Callable[[], None] = lambda: None) -> None:
        self.lock = threading.RLock()  # held while views change (and by without_writes)
        self._on_late = on_late  # tells the store's subscribers again, after a late delivery
        self._indexes: list[DocIndex] = []
        self._owner: tuple[asyncio.AbstractEventLoop, int] | None = None
        self._pending: deque[Update] = deque()
        self._scheduled = False

    def attach(self, index: DocIndex, build: Callable[[DocIndex], None]) -> None:
        """Fill ``index`` with ``build`` and feed it from now on; the caller holds the store's
        write lock, so no commit lands between the build and the first update."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        with self.lock:
            if loop is not None and not self._owner_running():
                self._owner = (loop, threading.get_ident())
            build(index)
            self._indexes.append(index)

    def detach(self, index: DocIndex) -> None:
        with self.lock:
            if index in self._indexes:
                self._indexes.remove(index)

    def interested(self, kind: str) -> list[DocIndex]:
        return [index for index in self._indexes if kind in index.doc_types]

    def deliver(self, updates: list[Update]) -> None:
        """Apply ``updates`` now if this is the owning thread (or none is), else queue them
        for the owning loop. Called under the store's write lock, in commit order."""
        if not updates:
            return
        with self.lock:
            owner = self._owner if self._owner_running() else None
            if owner is None or threading.get_ident() == owner[1]:
                self._apply_pending()
                self._apply(updates)
                return
            self._pending.extend(updates)
            if self._scheduled:
                return
            self._scheduled = True
            loop = owner[0]
        try:
            loop.call_soon_threadsafe(self.drain)
        except RuntimeError:  # the loop closed since the check: nobody reads there any more
            with self.lock:
                self._scheduled = False
                self._apply_pending()

    def drain(self, late: bool = False) -> None:
        """Apply every queued update (on the owning loop). While a worker thread reads the
        views (``without_writes``, building a search index, say) the loop does not wait for
        it: it tries again a moment later, and then tells the subscribers once more, since
        they were told of the write before their views had it."""
        if not self.lock.acquire(blocking=False):
            asyncio.get_running_loop().call_later(RETRY_SECONDS, self.drain, True)
            return
        try:
            self._scheduled = False
            self._apply_pending()
        finally:
            self.lock.release()
        if late:
            self._on_late()

    def _owner_running(self) -> bool:
        """Whether the owning loop still runs; a closed or stopped one gives the views up
        (to whichever thread writes next), its queued updates applied first."""
        if self._owner is not None and not self._owner[0].is_running():
            self._owner = None
            self._apply_pending()
        return self._owner is not None

    def _apply_pending(self) -> None:
        while self._pending:
            index, doc_id, doc = self._pending.popleft()
            if index in self._indexes:  # not detached meanwhile
                update_index(index, doc_id, doc)

    @staticmethod
    def _apply(updates: list[Update]) -> None:
        for index, doc_id, doc in updates:
            update_index(index, doc_id, doc)


def update_index(index: DocIndex, doc_id: str, doc: dict[str, Any] | None) -> None:
    """A document a view cannot read (a foreign or damaged writer's) is skipped and logged:
    it stays in the store and replicates, but must not take a screen down with it."""
    try:
        index.update(doc_id, doc)
    except InvalidDocument as error:
        log_skipped(index, doc_id, error)
    except Exception:
        log.exception("index %s failed on %s", type(index).__name__, doc_id)


def log_skipped(view: object, doc_id: str, error: InvalidDocument) -> None:
    """A view leaves out a document it refused on reading: the reason says it all."""
    log.warning("%s skips %s: %s", type(view).__name__, doc_id, error)
