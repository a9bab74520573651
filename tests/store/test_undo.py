"""Undo is an ordinary edit: it writes the previous bodies back and replicates like any edit."""

from __future__ import annotations

from collections.abc import Callable

from store import DocumentStore
from store.undo import restore, snapshot
from tests.store.merging import sync


def test_undo_writes_back_and_deletes_what_the_action_created_on_every_node(
        make_store: Callable[[str], DocumentStore]) -> None:
    a, b = make_store("a"), make_store("b")
    a.put({"_id": "booking:1", "title": "周例会", "status": "requested"})
    sync(a, b)
    before = snapshot(a, ["booking:1", "bookingexc:1:2026-12-07"])
    a.put({**a.get("booking:1"), "status": "cancelled"})
    a.put({"_id": "bookingexc:1:2026-12-07", "series": "booking:1", "cancelled": True})
    sync(a, b)
    assert restore(a, before) == 2
    sync(a, b)
    for node in (a, b):
        assert node.get("booking:1")["status"] == "requested"
        assert node.get_or_none("bookingexc:1:2026-12-07") is None
        assert int(node.get("booking:1")["_rev"].split("-")[0]) == 3  # a new revision, not a rewind
    assert restore(a, before) == 0  # nothing left to change
