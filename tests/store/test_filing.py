"""Filing: a document changed to belong elsewhere, or deleted, leaves the group it was in."""

from __future__ import annotations

from store.filing import Filing


def test_a_document_refiled_under_another_key_leaves_its_old_group() -> None:
    filing: Filing[str, str] = Filing()
    filing.file("archive:a", "event:1", "lend")
    filing.file("archive:a", "event:2", "return")
    filing.file("archive:b", "event:1", "lend again")
    assert filing.group("archive:a") == {"event:2": "return"}
    assert filing.group("archive:b") == {"event:1": "lend again"}
    assert filing.key_of("event:1") == "archive:b"


def test_taking_out_names_where_it_was_and_keeps_the_emptied_group() -> None:
    filing: Filing[tuple[str, str], int] = Filing()
    filing.file(("booking:x", "2026-11-25"), "roomcheckin:1", 1)
    assert filing.take_out("roomcheckin:1") == ("booking:x", "2026-11-25")
    assert filing.take_out("roomcheckin:1") is None
    assert filing.group(("booking:x", "2026-11-25")) == {}
    assert list(filing.groups) == [("booking:x", "2026-11-25")]
    assert filing.key_of("roomcheckin:1") is None


def test_an_unknown_key_reads_as_an_empty_group_without_adding_it() -> None:
    filing: Filing[str, int] = Filing()
    assert filing.group("room:none") == {}
    assert filing.groups == {}
    filing.file("room:a", "roomdoor:a:n1", 1)
    filing.clear()
    assert filing.groups == {} and filing.key_of("roomdoor:a:n1") is None
