"""The sorted live ids against a plain set, through runs of writes and reads of every size."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from store import DocumentStore
from store.sorted_ids import SortedIds

IDS = st.sampled_from([f"{kind}:{n}" for kind in ("signin", "sign", "member", "") for n in
                       range(40)] + ["signin", "signin:\U0010ffff", "\U0010ffff", "sign\U0010ffff"])
PREFIXES = st.sampled_from(["", "signin:", "sign", "signin:1", "member:", ":", "\U0010ffff",
                            "sign\U0010ffff", "zzz"])


@settings(max_examples=300, deadline=None)
@given(start=st.sets(IDS), steps=st.lists(st.tuples(IDS, st.booleans(), PREFIXES), max_size=200),
       burst=st.integers(min_value=1, max_value=150))
def test_reads_match_a_set_however_writes_and_reads_interleave(
        start: set[str], steps: list[tuple[str, bool, str]], burst: int) -> None:
    live = set(start)
    index = SortedIds(start)
    for number, (doc_id, read_now, prefix) in enumerate(steps):
        if doc_id in live:
            live.discard(doc_id)
            index.remove(doc_id)
        else:
            live.add(doc_id)
            index.add(doc_id)
        if read_now and number % burst == 0:  # long runs of writes fold many notes at once
            assert index.with_prefix(prefix) == sorted(i for i in live if i.startswith(prefix))
            low, high = sorted((prefix, doc_id))
            assert index.between(low, high) == sorted(i for i in live if low <= i <= high)
        assert len(index) == len(live)
    assert index.between() == sorted(live)


def test_many_notes_fold_at_once_into_order() -> None:
    """Past FEW notes the fold sorts: a reversed burst of adds and a burst of removes."""
    index = SortedIds(f"signin:{n:04d}" for n in range(0, 1000, 2))
    for n in reversed(range(1, 1000, 2)):
        index.add(f"signin:{n:04d}")
    for n in range(0, 1000, 3):
        index.remove(f"signin:{n:04d}")
    expected = [f"signin:{n:04d}" for n in range(1000) if n % 3]
    assert index.with_prefix("signin:") == expected
    assert index.between("signin:0100", "signin:0105") == [
        "signin:0100", "signin:0101", "signin:0103", "signin:0104"]


def test_all_docs_pages_by_key_range_and_limit(tmp_path) -> None:
    with DocumentStore.open(tmp_path) as store:
        store.bulk_put([{"_id": f"signin:m1:{n:03d}"} for n in range(200)]
                       + [{"_id": "member:1"}, {"_id": "plain"}])
        rev = store.get("signin:m1:005")["_rev"]
        store.delete("signin:m1:005", rev)
        rows = store.all_docs(start_key="signin:m1:003", end_key="signin:m1:007")
        assert [row["id"] for row in rows] == ["signin:m1:003", "signin:m1:004",
                                               "signin:m1:006", "signin:m1:007"]
        assert [row["id"] for row in store.all_docs(limit=2)] == ["member:1", "plain"]
        assert store.all_docs(start_key="z", end_key="a") == []
        assert store.ids_of_type("") == ["plain"]
        assert store.ids_of_type("signin")[:2] == ["signin:m1:000", "signin:m1:001"]
        assert len(store.ids_with_prefix("signin:m1:")) == 199
