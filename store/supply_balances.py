"""Yearly stock balances: what lets a supplies kiosk leave years of movements behind.

Stock is the sum of every ``movement:`` ever recorded (:mod:`store.supplies`), so a kiosk that
shows stock would have to carry ten years of them. A full copy (the secretary's node) folds
each closed year into one ``balance:{item key}:{year}`` document per item: the sum of that
item's movements dated in that year and how many there were. A kiosk pulls the balances and
only the movements since :func:`kiosk_cutoff` (see :mod:`sync.kiosk_selectors`).

A balance is a derived fact, so it never outranks the movements it sums: for one item and
year, :class:`store.supplies_index.SupplyIndex` counts the balance only where it sums more
movements than the node itself holds (a kiosk holds none of a closed year; a full copy holds
them all and keeps its exact sum). A movement of a closed year that arrives late is folded in
the next time :func:`carry_forward` runs; two nodes folding the same movements write the same
balance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .docstore import DocumentStore
from .supplies import ITEM, MOVEMENT, key_of

BALANCE = "balance"
KIOSK_YEARS = 2  # a kiosk carries this year's movements and last year's


@dataclass(frozen=True)
class Balance:
    item_id: str
    year: str
    delta: int
    movements: int

    @property
    def doc_id(self) -> str:
        return balance_id(self.item_id, self.year)

    def to_doc(self) -> dict[str, object]:
        return {"_id": self.doc_id, "item_id": self.item_id, "year": self.year,
                "delta": self.delta, "movements": self.movements}

    @classmethod
    def from_doc(cls, doc: dict[str, object]) -> Balance:
        """Raises ``TypeError``/``ValueError`` on a malformed one (a peer's, read as written)."""
        item_id, year, delta, movements = (doc.get(key) for key in
                                           ("item_id", "year", "delta", "movements"))
        if not (isinstance(item_id, str) and item_id.startswith(f"{ITEM}:")
                and isinstance(year, str) and type(delta) is int and type(movements) is int):
            raise TypeError("not a stock balance")
        return cls(item_id, year, delta, movements)


def balance_id(item_id: str, year: str) -> str:
    return f"{BALANCE}:{key_of(item_id)}:{year}"


def kiosk_cutoff(today: date) -> str:
    """The first movement time a kiosk pulls; everything before is in the balances."""
    return f"{today.year - KIOSK_YEARS + 1:04d}-01-01"


def carry_forward(store: DocumentStore, today: date) -> int:
    """Write the balance of every item and year before :func:`kiosk_cutoff` that changed.

    Run on a full copy. Returns how many balances were written (0 when all were current).
    """
    cutoff_year = kiosk_cutoff(today)[:4]

    def read() -> tuple[dict[tuple[str, str], list[int]], dict[str, Balance]]:
        sums: dict[tuple[str, str], list[int]] = {}
        for doc in store.iter_docs(MOVEMENT):
            item_id, at, delta = doc.get("item_id"), doc.get("at"), doc.get("delta")
            if not (isinstance(item_id, str) and item_id.startswith(f"{ITEM}:")
                    and isinstance(at, str) and type(delta) is int):
                continue  # a malformed event counts for nothing, as in the index
            if at[:4] < cutoff_year:
                total = sums.setdefault((item_id, at[:4]), [0, 0])
                total[0] += delta
                total[1] += 1
        existing = {}
        for doc in store.iter_docs(BALANCE):
            try:
                existing[doc["_id"]] = Balance.from_doc(doc)
            except TypeError:
                continue
        return sums, existing

    sums, existing = store.without_writes(read)
    for balance in existing.values():  # a year whose movements were all deleted sums to 0
        sums.setdefault((balance.item_id, balance.year), [0, 0])
    changed = [Balance(item_id, year, delta, count)
               for (item_id, year), (delta, count) in sums.items()
               if existing.get(balance_id(item_id, year)) != Balance(item_id, year, delta, count)]
    docs = []
    for balance in changed:
        doc = balance.to_doc()
        current = store.get_or_none(balance.doc_id)
        if current is not None:
            doc["_rev"] = current["_rev"]
        docs.append(doc)
    for start in range(0, len(docs), 2_000):
        store.bulk_put(docs[start:start + 2_000])
    return len(docs)
