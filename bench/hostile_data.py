"""The demo office plus what a careless or malicious peer could replicate into it.

:func:`fill_hostile` writes the demo office, then documents built from one sample of every
document type it holds: markup and terminal escapes in every text field, megabyte strings,
a wrong JSON type in each field in turn, times that end before they start or cannot be
parsed, ids with unknown ``type:`` prefixes, a very long revision history, conflicting
versions, and references left dangling by deletions (a loan of a deleted asset, a sign-in for
a deleted meeting). Everything goes in through :meth:`DocumentStore.put_revisions`, the
replication path, as a peer's documents would, so no local rule filters it first.

It lives in ``bench`` beside the other hostile generators (``fuzz_requests``) because the
tests and ``make chaos`` both use it; the sample types are read from the demo, so a new area
with its demo part is covered without touching this file.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from store import DocumentStore
from store.demo import fill_demo
from store.docstore import doc_type

MEGABYTE = 1024 * 1024
MARKUP_TEXTS = (
    "[/]", "欧阳[/b]娜娜", "[red]张三[/red] [", "[bold]", "[/", "[link=http://x]点我[/link]",
    "[@click=app.quit]退出[/]", "\\[escaped]", "]]][[[",
)
ESCAPE_TEXTS = (
    "\x1b[2J\x1b[H清屏", "\x1b]0;pwned\x07标题", "\x1b[31mred\x1b[0m", "bell\x07\x07", "nul\x00byte",
    "back\bspace", "\r\nCRLF\n\ttab", "\u202eRTL override", "zero\u200bwidth", "e\u0301\u0301\u0301",
    "𝕳𝖔𝖘𝖙𝖎𝖑𝖊 👩‍👩‍👧‍👦", "　全角空格　", "\ufeffBOM", "\x7fDEL", "\u2028line\u2029sep",
)
HOSTILE_TEXTS = MARKUP_TEXTS + ESCAPE_TEXTS
ODD_TIMES = (
    "9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30T25:61", "", "yesterday", "２０２６-１１-２５",
    "2026-11-25T09:00:00.123456+08:00", "2026-11-25", "T09:00", "-1",
)
WRONG_FOR_TEXT = (12345, -1, 1e308, True, None, [], {}, ["a"], {"a": 1})
WRONG_FOR_NUMBER = ("lots", "", None, [], {}, True, 10**30, -1, 1e308)
WRONG_FOR_LIST = ("not a list", 5, {"a": 1}, [None, 1, {}, ["x"]], None, "[/]")
WRONG_FOR_OTHER = ("weekly", 7, [1, 2], {"freq": 5, "until": []}, True, "")
ODD_IDS = ("gadget:1", "MEMBER:1", "nocolon", "member:", "member::x", "会员:1", "member:[/]",
           "meeting:\x1b[2J", "item:" + "x" * 200, "booking:../../etc/passwd")
HISTORY = 3000  # revisions in the long history: far beyond any real edit count
_TIME = re.compile(r"^\d{4}-\d\d-\d\d")


@dataclass(frozen=True)
class HostileSummary:
    demo_documents: int
    hostile_documents: int
    deleted: int
    conflicted: int


def _digest(doc: dict[str, Any], salt: str) -> str:
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str) + salt
    return hashlib.md5(text.encode("utf-8", "surrogatepass")).hexdigest()


def as_peer_wrote(doc: dict[str, Any], parents: Sequence[str] = (), salt: str = ""
                  ) -> dict[str, Any]:
    """``doc`` with a new revision on top of ``parents`` (full revision ids, newest first)."""
    digest = _digest(doc, salt)
    ids = [digest, *(rev.split("-", 1)[1] for rev in parents)]
    start = len(ids) if not parents else int(parents[0].split("-", 1)[0]) + 1
    return {**doc, "_rev": f"{start}-{digest}", "_revisions": {"start": start, "ids": ids}}


def _samples(store: DocumentStore) -> dict[str, dict[str, Any]]:
    """One document of each type, the first by id, without its revision."""
    samples: dict[str, dict[str, Any]] = {}
    for row in store.all_docs(include_docs=True):
        doc = row.get("doc")
        kind = doc_type(row["id"])
        if doc is not None and kind not in samples:
            samples[kind] = {k: v for k, v in doc.items() if k != "_rev"}
    return samples


def _is_reference(value: object, known_ids: set[str], member_ids: set[str]) -> bool:
    return isinstance(value, str) and (value in known_ids or value in member_ids)


def _wrong_value(value: object, rng: random.Random) -> object:
    if isinstance(value, bool) or value is None or isinstance(value, dict):
        return rng.choice(WRONG_FOR_OTHER)
    if isinstance(value, str):
        return rng.choice(WRONG_FOR_TEXT)
    if isinstance(value, (int, float)):
        return rng.choice(WRONG_FOR_NUMBER)
    return rng.choice(WRONG_FOR_LIST)


def _variants(kind: str, sample: dict[str, Any], rng: random.Random, known_ids: set[str],
              member_ids: set[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(label, body) pairs: the sample made hostile in one way each."""
    fields = [key for key in sample if not key.startswith("_")]
    texts = [key for key in fields if isinstance(sample[key], str)
             and not _is_reference(sample[key], known_ids, member_ids)
             and not _TIME.match(sample[key])]
    times = [key for key in fields if isinstance(sample[key], str) and _TIME.match(sample[key])]
    texts_cycle = iter(rng.sample(HOSTILE_TEXTS, len(HOSTILE_TEXTS)) * (len(fields) + 1))

    def hostile(value: object) -> object:
        if isinstance(value, str):
            return next(texts_cycle)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [next(texts_cycle) for _ in range(max(1, len(value)))]
        return value

    # markup and escapes everywhere, references kept (so the document shows beside real ones)
    yield "markup", {k: v if _is_reference(v, known_ids, member_ids) or k in times
                     else hostile(v) for k, v in sample.items()}
    # ... and in every field, references included (they dangle now)
    yield "markup-all", {k: hostile(v) for k, v in sample.items()}
    if texts:
        yield "huge", {**sample, texts[0]: "长" * (MEGABYTE // 3) + "[/]" + "x" * 1000}
        yield "long-line", {**sample, **{k: "[/]" + "Ｗ" * 300 for k in texts}}
    for key in fields:
        yield f"wrong-{key}", {**sample, key: _wrong_value(sample[key], rng)}
    yield "wrong-all", {k: _wrong_value(v, rng) for k, v in sample.items()}
    yield "empty", {}
    for key in times:
        yield f"time-{key}", {**sample, key: rng.choice(ODD_TIMES)}
    if len(times) >= 2:  # end before start: the later field gets the earlier time
        first, second = sorted(times, key=lambda k: str(sample[k]))[:2]
        yield "backwards", {**sample, first: sample[second], second: sample[first]}
        yield "far-future", {**sample, first: "9999-12-31T00:00", second: "9999-12-31T23:59"}


def hostile_documents(store: DocumentStore, seed: int) -> list[dict[str, Any]]:
    """New documents (with peer revisions) built from one sample of each type in ``store``."""
    rng = random.Random(seed)
    samples = _samples(store)
    known_ids = {row["id"] for row in store.all_docs()}
    member_ids = {doc_id.split(":", 1)[1] for doc_id in known_ids if doc_type(doc_id) == "member"}
    docs: list[dict[str, Any]] = []
    for kind, sample in sorted(samples.items()):
        for label, body in _variants(kind, sample, rng, known_ids, member_ids):
            docs.append(as_peer_wrote({**body, "_id": f"{kind}:hostile-{label}"}))
    for number, doc_id in enumerate(ODD_IDS):
        kind = doc_type(doc_id)
        body = samples.get(kind, samples["member"])
        docs.append(as_peer_wrote({**body, "_id": doc_id, "name": HOSTILE_TEXTS[number]}))
    long_history = [f"{HISTORY - i}-{hashlib.md5(str(i).encode()).hexdigest()}"
                    for i in range(1, HISTORY)]
    docs.append(as_peer_wrote({**samples["member"], "_id": "member:hostile-history",
                               "name": "[/]history"}, long_history))
    return docs


def _overwrite(store: DocumentStore, doc_id: str, changes: dict[str, Any], salt: str
               ) -> dict[str, Any]:
    """A peer's next version of ``doc_id``: the current one with ``changes``."""
    current = store.get(doc_id)
    history = store.revisions(doc_id, current["_rev"])
    parents = [f"{history['start'] - i}-{h}" for i, h in enumerate(history["ids"])]
    body = {k: v for k, v in current.items() if k != "_rev"}
    return as_peer_wrote({**body, **changes}, parents, salt)


def _rival(store: DocumentStore, doc_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """A second first version of ``doc_id``, made offline elsewhere: the two conflict."""
    body = {k: v for k, v in store.get(doc_id).items() if k != "_rev"}
    return as_peer_wrote({**body, **changes}, salt="rival")


def _first_of(store: DocumentStore, kind: str, field: str, value: str) -> str | None:
    return next((doc["_id"] for doc in store.iter_docs(kind) if doc.get(field) == value), None)


def dangling_and_rival(store: DocumentStore) -> tuple[list[dict[str, Any]], int, int]:
    """Deletions that leave references dangling, hostile overwrites, and conflicts."""
    docs: list[dict[str, Any]] = []
    loan = next(store.iter_docs("loan"), None)
    signin = next(store.iter_docs("signin"), None)
    movement = next(store.iter_docs("movement"), None)
    event = next(store.iter_docs("archive_event"), None)
    booking = next(store.iter_docs("booking"), None)
    doomed = [ref for ref in (
        loan and loan["asset_id"], signin and signin["meeting_id"],
        movement and movement["item_id"], event and event["archive_id"],
        booking and booking["room"], loan and f"member:{loan['member_id']}",
    ) if ref and store.exists(ref)]
    for doc_id in dict.fromkeys(doomed):
        docs.append(_overwrite(store, doc_id, {"_deleted": True}, "deleted"))
    resolution = next(store.iter_docs("resolution"), None)
    overwritten = [doc["_id"] for doc in (resolution, next(store.iter_docs("meeting"), None),
                                          next(store.iter_docs("item"), None)) if doc]
    for doc_id in overwritten:
        if doc_id not in doomed:
            docs.append(_overwrite(store, doc_id, {"title": "[/]改", "name": "[/]改",
                                                   "text": "\x1b[2J[/]"}, "overwrite"))
    rivals = [doc["_id"] for doc in (next(store.iter_docs("room"), None),
                                     next(store.iter_docs("member"), None),
                                     next(store.iter_docs("asset"), None)) if doc]
    rivals = [doc_id for doc_id in rivals if doc_id not in doomed]
    for doc_id in rivals:
        docs.append(_rival(store, doc_id, {"name": "[red]对方[/red] [", "capacity": "lots",
                                           "department": "\x1b]0;pwned\x07"}))
    return docs, len(dict.fromkeys(doomed)), len(rivals)


def fill_hostile(store: DocumentStore, *, today: date, seed: int = 2026) -> HostileSummary:
    """The demo office, then the hostile documents, all written as a peer would."""
    demo = fill_demo(store, today=today, seed=seed)
    later, deleted, conflicted = dangling_and_rival(store)  # chosen among the demo's documents
    hostile = hostile_documents(store, seed)
    for start in range(0, len(hostile), 200):
        store.put_revisions(hostile[start:start + 200])
    store.put_revisions(later)
    return HostileSummary(demo.documents, len(hostile) + len(later), deleted, conflicted)
