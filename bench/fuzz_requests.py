"""Hostile requests for every sync endpoint, as hypothesis strategies.

Shared by the test suite (a few hundred cases) and ``make chaos`` (thousands). Each case is a
method, a raw path (traversal, odd unicode, overlong ids), query parameters of the wrong kind,
and a body that may be broken JSON, deeply nested, huge, or well-formed with wrong types.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from hypothesis import strategies as st

DB = "/mishu"
ENDPOINTS = (
    "/", DB, f"{DB}/_changes", f"{DB}/_revs_diff", f"{DB}/_bulk_get", f"{DB}/_bulk_docs",
    f"{DB}/_local/checkpoint", f"{DB}/_ensure_full_commit", f"{DB}/_all_docs",
    f"{DB}/member:1", f"{DB}/_design/x", f"{DB}/_local/", f"{DB}/_local/../../x",
    f"{DB}/..%2F..%2Fetc%2Fpasswd", f"{DB}/%00", f"{DB}/_changes/../_bulk_docs",
    "/other_db", "/mishu/_nonsense",
)
METHODS = ("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "COPY")
QUERY_KEYS = ("since", "limit", "style", "feed", "timeout", "heartbeat", "include_docs",
              "revs", "open_revs", "latest", "rev", "keys", "new_edits", "descending")

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                         st.floats(allow_nan=False), st.text(max_size=40))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.dictionaries(st.text(max_size=10), inner, max_size=5)),
    max_leaves=30,
)
revs = st.one_of(st.just("1-abc"), st.just("0-"), st.just("-1-x"), st.text(max_size=12),
                 st.integers(), st.just("99999999999-" + "f" * 32))
doc_ids = st.one_of(st.just("member:1"), st.just("_local/x"), st.just("../../etc"),
                    st.text(max_size=20), st.just("x" * 5000), st.integers())
docs = st.fixed_dictionaries(
    {"_id": doc_ids},
    optional={"_rev": revs, "_deleted": json_scalars, "_revisions": json_values,
              "_attachments": json_values, "name": json_values},
)


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


bodies = st.one_of(
    st.none(),
    st.binary(max_size=200),
    st.just(b"{not json"),
    st.just(_deep(100_000).encode()),
    st.just(b'{"docs": [' + b'{"_id":"x"},' * 40_000 + b'{"_id":"y"}]}'),
    st.just(b"x" * (9 * 1024 * 1024)),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"docs": st.lists(docs, max_size=4)},
                          optional={"new_edits": json_scalars}).map(lambda v: json.dumps(v).encode()),
    st.dictionaries(doc_ids.map(str), st.lists(revs, max_size=3), max_size=3)
    .map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"docs": st.lists(st.fixed_dictionaries(
        {"id": doc_ids}, optional={"rev": revs}), max_size=3)}).map(lambda v: json.dumps(v).encode()),
)


@dataclass(frozen=True)
class HostileRequest:
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: bytes | None

    def describe(self) -> str:
        size = "no body" if self.body is None else f"{len(self.body)} byte body"
        return f"{self.method} {self.path} {dict(self.query)} ({size})"


query_values = st.one_of(st.text(max_size=12), st.sampled_from(
    ["0", "-1", "now", "longpoll", "continuous", "eventsource", "all_docs", "true", "all",
     '["1-abc"]', "[1,2", "1e309", "99999999999999999999", "0.001"]))

hostile_requests = st.builds(
    HostileRequest,
    method=st.sampled_from(METHODS),
    path=st.sampled_from(ENDPOINTS),
    query=st.lists(st.tuples(st.sampled_from(QUERY_KEYS), query_values), max_size=4)
    .map(tuple),
    body=bodies,
)
