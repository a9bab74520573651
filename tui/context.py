"""What every screen needs, handed down from the CLI edge: settings, store, language, clock.

Derived views (member directory, booking calendar, stock levels, archive index) are created on
first use with :meth:`AppContext.index` and attached to the store, so a screen that is never
opened costs nothing and two screens share one view.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from store import DocIndex, DocumentStore
from store.members import MemberDirectory

from .i18n import Translator
from .settings import Settings

if TYPE_CHECKING:  # an annotation only: the CLI builds a context before any sync code loads
    from sync.pull import PeerStatus

IndexT = TypeVar("IndexT", bound=DocIndex)
T = TypeVar("T")


def local_now() -> datetime:
    """Naive local wall-clock time: what the office clock on the wall shows."""
    return datetime.now().replace(microsecond=0)


@dataclass
class AppContext:
    settings: Settings
    store: DocumentStore
    i18n: Translator
    clock: Callable[[], datetime] = local_now
    sync_status: Callable[[], str] | None = None
    sync_peers: Callable[[], list[PeerStatus]] = lambda: []
    sync_scans_missing: Callable[[], int] = lambda: 0
    _indexes: dict[type[Any], Any] = field(default_factory=dict)
    _building: threading.RLock = field(default_factory=threading.RLock)

    def index(self, kind: type[IndexT]) -> IndexT:
        """The shared instance of a derived view, built and attached on first request.

        A view that needs the store itself (to read every leaf of a conflicted document, say)
        provides a ``for_store(store)`` class method; others are built with no arguments.
        A screen may build a slow view in a worker thread first (see :meth:`has_index`); the
        lock makes a second caller wait for that build instead of starting its own.
        """
        existing = self._indexes.get(kind)
        if existing is None:
            with self._building:
                existing = self._indexes.get(kind)
                if existing is None:
                    factory = getattr(kind, "for_store", None)
                    existing = factory(self.store) if factory is not None else kind()
                    self.store.attach_index(existing)
                    self._indexes[kind] = existing
        return existing  # type: ignore[no-any-return]

    def read_still(self, read: Callable[[], T]) -> T:
        """Run ``read`` (in a worker thread) with no view built, changed or written meanwhile.

        The locks are taken in the order :meth:`index` takes them (this context's, then the
        store's): the other order deadlocked a worker against the loop building a view.
        """
        with self._building:
            return self.store.without_writes(read)

    def has_index(self, kind: type[Any]) -> bool:
        """Whether ``kind`` is built already, so using it cannot stall the event loop."""
        return kind in self._indexes

    @property
    def directory(self) -> MemberDirectory:
        return self.index(MemberDirectory)

    def close(self) -> None:
        for index in self._indexes.values():
            self.store.detach_index(index)
        self._indexes.clear()
