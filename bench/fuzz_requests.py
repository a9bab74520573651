"""Hostile requests for every sync endpoint, as hypothesis strategies.

Shared by the test suite (a few hundred cases) and ``make chaos`` (thousands). Each case is a
method, a raw path (traversal, odd unicode, overlong ids), query parameters of the wrong kind
(digits that are not ASCII, bytes that are not UTF-8), headers with bytes that are not UTF-8,
and a body that may be broken JSON, not UTF-8, deeply nested, huge, or well-formed with wrong
types. Requests go out as raw bytes (:func:`send`), since an HTTP client library would refuse
to send most of them.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

DB = "/mishu"
ENDPOINTS = (
    "/", DB, f"{DB}/_changes", f"{DB}/_revs_diff", f"{DB}/_bulk_get", f"{DB}/_bulk_docs",
    f"{DB}/_local/checkpoint", f"{DB}/_ensure_full_commit", f"{DB}/_all_docs",
    f"{DB}/member:1", f"{DB}/_design/x", f"{DB}/_local/", f"{DB}/_local/../../x",
    f"{DB}/..%2F..%2Fetc%2Fpasswd", f"{DB}/%00", f"{DB}/_changes/../_bulk_docs",
    "/other_db", "/mishu/_nonsense", f"{DB}/member:%FF%FE", f"{DB}/%ED%A0%80",
    f"{DB}/_local/%FF", f"{DB}/_local/%ED%A0%80",
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
                 st.integers(), st.just("99999999999-" + "f" * 32),
                 st.just("9999999999-" + "f" * 32), st.just("٣-abc"), st.just("1²-abc"))
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
    st.just(b'{"docs": [{"_id": "member:\xff\xfe", "name": "\xc3"}]}'),
    st.just('{"docs": [{"_id": "member:2"}]}'.encode("utf-16")),
    st.just(b'{"since": "\xb2"}'),
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
    raw_query: bytes = b""  # appended as is: percent-escapes of invalid UTF-8, bare high bytes
    headers: tuple[tuple[bytes, bytes], ...] = ()

    def describe(self) -> str:
        size = "no body" if self.body is None else f"{len(self.body)} byte body"
        extra = f" {self.raw_query!r} {list(self.headers)!r}" if self.raw_query or self.headers else ""
        return f"{self.method} {self.path} {dict(self.query)}{extra} ({size})"

    def to_bytes(self, host: str, authorization: bytes | None = None) -> bytes:
        """The whole request; ``authorization`` is added unless the case sends its own."""
        query = b"&".join(part for part in (urlencode(self.query).encode(), self.raw_query) if part)
        target = quote(self.path, safe="/:%").encode() + (b"?" + query if query else b"")
        lines = [self.method.encode() + b" " + target + b" HTTP/1.1", b"Host: " + host.encode(),
                 b"Connection: close"]
        names = {name.lower() for name, _ in self.headers}
        if authorization is not None and b"authorization" not in names:
            lines.append(b"Authorization: " + authorization)
        lines.extend(name + b": " + value for name, value in self.headers)
        if self.body is not None:
            lines.append(b"Content-Length: " + str(len(self.body)).encode())
        return b"\r\n".join(lines) + b"\r\n\r\n" + (self.body or b"")


async def send(host: str, port: int, request: HostileRequest,
               authorization: bytes | None = None, timeout: float = 10) -> int:
    """Send ``request`` over a fresh connection; the answer's status (599 if none came).

    Raises ``TimeoutError`` when no whole answer came within ``timeout`` seconds (a hang)."""
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(request.to_bytes(f"{host}:{port}", authorization))
            status_line = await reader.readline()
            await reader.read()
        finally:
            writer.close()
    parts = status_line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 599


NON_ASCII_DIGITS = ["²", "٣", "１２", "߁", "1²", "٣-abc", "𝟗", "Ⅻ", "1_000", " 5 "]
query_values = st.one_of(st.text(max_size=12), st.sampled_from(
    ["0", "-1", "now", "longpoll", "continuous", "eventsource", "all_docs", "true", "all",
     '["1-abc"]', "[1,2", "1e309", "99999999999999999999", "0.001", "nan", "inf", "9" * 5000,
     *NON_ASCII_DIGITS]))
raw_queries = st.one_of(
    st.just(b""),
    st.sampled_from([b"since=%FF", b"since=%B2", b"since=%C2%B2", b"limit=%D9%A3",
                     b"timeout=%EF%BC%91", b"%FF=1", b"rev=%FF%FE", b"keys=%FF",
                     b"open_revs=%5B%22%FF%22%5D", b"since=\xff\xfe", b"heartbeat=\xb2"]),
    st.binary(max_size=12).map(lambda raw: b"since=" + raw),
)
header_values = st.one_of(
    st.sampled_from([b"Basic \xff\xfe", b"Basic ////", b"Basic " + b"A" * 3000, b"Bearer x",
                     b"Basic YWRtaW46", b"\xc3\x28", b"\xed\xa0\x80", "管理员".encode()]),
    st.binary(max_size=20).map(lambda raw: raw.replace(b"\r", b"").replace(b"\n", b"")),
)
headers = st.lists(st.tuples(
    st.sampled_from([b"Authorization", b"Content-Type", b"Accept", b"X-Couch-Full-Commit",
                     b"If-None-Match", b"Cookie", b"X-Anything"]), header_values), max_size=2,
).map(tuple)

small_bodies = st.one_of(st.none(), st.binary(max_size=200),
                         json_values.map(lambda v: json.dumps(v).encode()))


@st.composite
def _hostile_requests(draw: st.DrawFn) -> HostileRequest:
    raw_query, extra_headers = draw(raw_queries), draw(headers)
    # aiohttp refuses a bad request line or header before reading the body and closes at once;
    # a large unread body then turns that 400 into a connection reset the client cannot read
    body = draw(small_bodies if raw_query or extra_headers else bodies)
    query = draw(st.lists(st.tuples(st.sampled_from(QUERY_KEYS), query_values), max_size=4))
    return HostileRequest(draw(st.sampled_from(METHODS)), draw(st.sampled_from(ENDPOINTS)),
                          tuple(query), body, raw_query, extra_headers)


hostile_requests = _hostile_requests()
