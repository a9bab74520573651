"""The CouchDB replication protocol over HTTP, served from a :class:`store.DocumentStore`.

Database name ``mishu``. Enough of CouchDB's API for replication both ways with another mishu
node or an unmodified CouchDB/PouchDB peer: db info, ``_changes`` (normal and longpoll with
heartbeat; filtered by ``_doc_ids`` or by a Mango ``_selector``, see :mod:`sync.selector`),
``_revs_diff``, ``_bulk_get``, ``_bulk_docs`` (``new_edits`` true or false),
document GET with ``revs``/``open_revs``/``latest``, PUT/DELETE, ``_local`` checkpoints,
``_ensure_full_commit`` and ``_all_docs``; plus ``GET /_mishu/blob/{sha256}``, the archive's
attachment bytes by content address (see :mod:`store.archive_blobs`).

Handlers are thin: parse and validate, call the store, answer. Anything malformed is a 400 in
CouchDB's ``{"error": …, "reason": …}`` shape before the store is touched; nothing a client
sends can produce a 500 with a traceback (the error middleware logs and answers JSON).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from store import ConflictError, DocumentStore, InvalidDocument, NotFound, StoreError
from store.archive_blobs import BLOB_PATH, BlobStore
from store.revtree import is_valid_rev

from . import selector as mango
from .couch_compat import compat_routes, couch_headers

log = logging.getLogger(__name__)

DB_NAME = "mishu"
FILTER_PAGE = 2_000  # changes read per step while a filter looks for the ones it keeps
STORE = web.AppKey("store", DocumentStore)
LIMITS = web.AppKey("limits", "ApiLimits")
LARGE_BODIES = web.AppKey("large_bodies", asyncio.Semaphore)
CLOSING = web.AppKey("closing", asyncio.Event)  # set when the server shuts down
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class ApiLimits:
    """What one request may cost the node, so abusive clients cannot starve honest peers.

    A body is read whole (at most ``max_body_bytes``), so a body larger than ``large_body_bytes``
    waits for one of ``concurrent_large_bodies`` slots first and is parsed in a worker thread,
    never on the event loop. Parsed JSON costs ~60 bytes per value whatever its size on the
    wire, so a body with more than ``max_json_values`` values (counted on the raw bytes before
    parsing) is refused with 413 instead of growing the process by hundreds of megabytes.
    A body must arrive within ``body_seconds``, so a client announcing a large body and then
    sending nothing cannot hold a slot for ever.
    """

    max_body_bytes: int = 8 * 1024 * 1024
    max_longpoll_seconds: float = 60.0
    max_batch: int = 10_000
    large_body_bytes: int = 256 * 1024
    concurrent_large_bodies: int = 2
    max_json_values: int = 500_000
    body_seconds: float = 30.0


# Plain ASCII digits, an optional fraction: int() and float() would also take "٣", "１２",
# "1_000", " 5 " or 5000 digits (which int() refuses with a ValueError of its own)
_ASCII_NUMBER = re.compile(r"[0-9]{1,20}(\.[0-9]{1,20})?")


class BadRequest(Exception):
    """Raised by the parsers below; becomes a 400 ``bad_request``."""


class TooLarge(Exception):
    """Raised by the body parser; becomes a 413 ``too_large``."""


def couch_error(status: int, error: str, reason: str) -> web.Response:
    return web.json_response({"error": error, "reason": reason}, status=status)


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except BadRequest as exc:
        return couch_error(400, "bad_request", str(exc))
    except mango.InvalidOperator as exc:
        return couch_error(400, "invalid_operator", str(exc))
    except InvalidDocument as exc:
        return couch_error(400, "bad_request", str(exc))
    except NotFound as exc:
        return couch_error(404, "not_found", "deleted" if exc.deleted else "missing")
    except ConflictError:
        return couch_error(409, "conflict", "Document update conflict.")
    except TooLarge as exc:
        return couch_error(413, "too_large", str(exc))
    except web.HTTPRequestEntityTooLarge:
        return couch_error(413, "too_large", "the request entity is too large")
    except web.HTTPException as exc:
        if exc.status >= 400:
            return couch_error(exc.status, exc.reason.lower().replace(" ", "_"), exc.reason)
        raise
    except StoreError as exc:
        log.warning("store refused a request to %s: %s", request.path, exc)
        return couch_error(503, "store_unavailable", str(exc))
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        log.exception("unexpected error serving %s %s", request.method, request.path)
        return couch_error(500, "internal_error", "unexpected error; see the node's log")


# -- request parsing ----------------------------------------------------------------------------


async def json_body(request: web.Request) -> Any:
    limits = request.app[LIMITS]
    length = request.content_length
    if length is not None and length <= limits.large_body_bytes:
        return _parse_json(await _read(request), limits)
    async with request.app[LARGE_BODIES]:
        raw = await _read(request)
        return await asyncio.to_thread(_parse_json, raw, limits)


async def _read(request: web.Request) -> bytes:
    try:
        async with asyncio.timeout(request.app[LIMITS].body_seconds):
            return await request.read()
    except (ConnectionResetError, web.RequestPayloadError) as exc:
        raise BadRequest(f"the body ended early ({type(exc).__name__})") from None
    except TimeoutError:
        raise BadRequest("the body did not arrive in time") from None


def _parse_json(raw: bytes, limits: ApiLimits) -> Any:
    if not raw:
        raise BadRequest("a JSON body is required")
    values = raw.count(b",") + raw.count(b"[") + raw.count(b"{")
    if values > limits.max_json_values:
        raise TooLarge(f"at most {limits.max_json_values} JSON values per request")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"invalid JSON: {str(exc)[:80]}") from None


async def json_object(request: web.Request) -> dict[str, Any]:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


async def rows_response(head: dict[str, Any], key: str, rows: list[Any]) -> web.Response:
    """``{**head, key: rows}`` as JSON, encoded in a worker thread one row at a time: a
    10 000-document answer then holds neither the event loop nor (through the GIL, which one
    long ``json.dumps`` call would keep) the interpreter for the whole encoding."""
    def encode() -> bytes:
        parts = [json.dumps(row, ensure_ascii=False) for row in rows]
        fields = [f"{json.dumps(name)}: {json.dumps(value)}" for name, value in head.items()]
        return ("{" + ", ".join([*fields, f"{json.dumps(key)}: [" + ", ".join(parts) + "]"])
                + "}").encode()

    return web.Response(body=await asyncio.to_thread(encode), content_type="application/json",
                        charset="utf-8")


def flag(request: web.Request, name: str, default: bool = False) -> bool:
    value = request.query.get(name)
    if value is None:
        return default
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise BadRequest(f"{name} must be true or false")


def number(request: web.Request, name: str, default: float | None, low: float, high: float
           ) -> float | None:
    value = request.query.get(name)
    if value is None:
        return default
    if _ASCII_NUMBER.fullmatch(value) is None:
        raise BadRequest(f"{name} must be a number")
    parsed = float(value)
    if not low <= parsed <= high:
        raise BadRequest(f"{name} must be between {low:g} and {high:g}")
    return parsed


def json_param(request: web.Request, name: str) -> Any:
    value = request.query.get(name)
    if value is None:
        return None
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        raise BadRequest(f"{name} must be JSON") from None


def parse_since(value: Any, store: DocumentStore) -> int:
    """Sequences are opaque to peers; ours are integers, possibly sent back as strings."""
    if value is None or value == "":
        return 0
    if value == "now":
        return store.update_seq
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str):
        head = value.split("-", 1)[0]
        if head.isascii() and head.isdigit() and len(head) <= 20:
            return int(head)
    raise BadRequest("since must be a sequence returned by this node")


def string_list(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadRequest(f"{what} must be a list of strings")
    return value


def rev_list(value: Any, what: str) -> list[str]:
    revs = string_list(value, what)
    bad = [rev for rev in revs if not is_valid_rev(rev)]
    if bad:
        raise BadRequest(f"invalid revision {bad[0][:40]!r} in {what}")
    return revs


def doc_list(body: dict[str, Any], limits: ApiLimits) -> list[dict[str, Any]]:
    docs = body.get("docs")
    if not isinstance(docs, list) or not all(isinstance(doc, dict) for doc in docs):
        raise BadRequest("docs must be a list of objects")
    if len(docs) > limits.max_batch:
        raise BadRequest(f"at most {limits.max_batch} documents per request")
    return docs


# -- server and database ------------------------------------------------------------------------


async def welcome(request: web.Request) -> web.Response:
    store = request.app[STORE]
    return web.json_response({"couchdb": "Welcome", "uuid": store.node_id, "version": "3.3.3",
                              "vendor": {"name": "mishu", "version": "0.1.0"}})


async def db_info(request: web.Request) -> web.Response:
    store = request.app[STORE]
    return web.json_response({
        "db_name": DB_NAME, "doc_count": store.doc_count, "doc_del_count": 0,
        "update_seq": store.update_seq, "purge_seq": 0, "compact_running": False,
        "instance_start_time": "0", "uuid": store.node_id,
    })


async def create_db(request: web.Request) -> web.Response:
    return couch_error(412, "file_exists", "The database could not be created, the file already exists.")


async def ensure_full_commit(request: web.Request) -> web.Response:
    return web.json_response({"ok": True, "instance_start_time": "0"}, status=201)


# -- changes feed -------------------------------------------------------------------------------


async def changes(request: web.Request) -> web.StreamResponse:
    store, limits = request.app[STORE], request.app[LIMITS]
    since = parse_since(request.query.get("since"), store)
    limit = number(request, "limit", None, 0, 1_000_000)
    style = request.query.get("style", "main_only")
    if style not in ("main_only", "all_docs"):
        raise BadRequest("style must be main_only or all_docs")
    feed = request.query.get("feed", "normal")
    if feed not in ("normal", "longpoll"):
        raise BadRequest("feed must be normal or longpoll")
    include_docs = flag(request, "include_docs")
    timeout_ms = number(request, "timeout", 60_000, 0, 1e12)
    heartbeat_ms = _heartbeat(request)
    keep = await _changes_filter(request)
    wait = min((timeout_ms or 0) / 1000, limits.max_longpoll_seconds)

    def read() -> tuple[list[dict[str, Any]], int]:
        wanted = None if limit is None else int(limit)
        if keep is None:
            return store.changes(since, wanted, style, include_docs)  # type: ignore[return-value]
        return _filtered_changes(store, since, wanted, style, include_docs, keep)

    rows, last = await asyncio.to_thread(read)
    if rows or feed != "longpoll" or limit == 0:
        return await rows_response({"last_seq": last, "pending": 0}, "results", rows)
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    deadline = asyncio.get_running_loop().time() + wait
    beat = max(0.05, heartbeat_ms / 1000) if heartbeat_ms else None
    try:
        await response.prepare(request)
        while not rows:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            changed = await _wait_unless_closing(request, last, min(remaining, beat or remaining))
            if request.app[CLOSING].is_set():
                break
            if changed:
                rows, last = read()
            elif beat is not None:
                await response.write(b"\n")
        await response.write(json.dumps({"results": rows, "last_seq": last, "pending": 0},
                                        ensure_ascii=False).encode())
        await response.write_eof()
    except ConnectionResetError:
        log.debug("longpoll client went away")  # a peer stopping or a cut link: nothing lost
    return response


async def _wait_unless_closing(request: web.Request, since: int, timeout: float) -> bool:
    """``store.wait_for_changes``, cut short when the server shuts down: a peer's longpoll
    then gets its (empty) answer at once instead of holding the node's exit for a minute."""
    waits = [asyncio.ensure_future(request.app[STORE].wait_for_changes(since, timeout)),
             asyncio.ensure_future(request.app[CLOSING].wait())]
    done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return waits[0] in done and waits[0].result()


async def _close_longpolls(app: web.Application) -> None:
    app[CLOSING].set()


def _heartbeat(request: web.Request) -> float | None:
    """``heartbeat=N`` (milliseconds) or ``heartbeat=true`` (CouchDB's default, 60 s)."""
    if request.query.get("heartbeat") == "true":
        return 60_000.0
    return number(request, "heartbeat", None, 0, 1e12)


@dataclass(frozen=True)
class ChangeFilter:
    """Which changes a filtered feed keeps, and whether it must read documents to tell."""

    keep: Callable[[dict[str, Any]], bool]
    reads_docs: bool = False
    by_id: Callable[[str], bool | None] = lambda _doc_id: None  # decided without the document


async def _changes_filter(request: web.Request) -> ChangeFilter | None:
    name = request.query.get("filter")
    if name is None:
        return None
    if name == "_doc_ids":
        ids = json_param(request, "doc_ids")
        if ids is None and request.method == "POST":
            ids = (await json_object(request)).get("doc_ids")
        wanted = set(string_list(ids, "doc_ids"))
        return ChangeFilter(lambda row: row["id"] in wanted)
    if name == "_selector":
        if request.method != "POST":
            raise BadRequest("the _selector filter takes its selector in a POST body")
        selector = mango.check((await json_object(request)).get("selector"))
        match = mango.compiled(selector)
        if mango.fields(selector) <= {"_id"}:  # judged by the id: no document is read
            return ChangeFilter(lambda row: match({"_id": row["id"]}))
        return ChangeFilter(lambda row: match(row["doc"]), reads_docs=True,
                            by_id=lambda doc_id: mango.decided_by_id(selector, doc_id))
    raise BadRequest("only the _doc_ids and _selector filters are supported")


def _winner(store: DocumentStore, doc_id: str) -> dict[str, Any]:
    """The winning revision as a filter reads it: a deletion is its id and ``_deleted``."""
    return store.get_or_none(doc_id) or {"_id": doc_id, "_deleted": True}


def _filtered_changes(store: DocumentStore, since: int, limit: int | None, style: str,
                      include_docs: bool, keep: ChangeFilter) -> tuple[list[dict[str, Any]], int]:
    """The changes after ``since`` that ``keep`` keeps, at most ``limit`` of them (CouchDB
    counts the limit after the filter), and the sequence to resume from: the last change
    returned when the limit cut the feed short, else the end."""
    rows: list[dict[str, Any]] = []
    if limit == 0:
        return rows, since
    while True:
        page, last = store.changes(since, FILTER_PAGE, style, include_docs)
        for row in page:
            decided = keep.by_id(row["id"])
            if decided is None and keep.reads_docs and "doc" not in row:
                row["doc"] = _winner(store, row["id"])  # type: ignore[typeddict-unknown-key]
            if decided if decided is not None else keep.keep(row):  # type: ignore[arg-type]
                if not include_docs:
                    row.pop("doc", None)
                rows.append(row)  # type: ignore[arg-type]
                if limit is not None and len(rows) >= limit:
                    return rows, row["seq"]
        if len(page) < FILTER_PAGE:
            return rows, last
        since = last


# -- replication endpoints ----------------------------------------------------------------------


async def revs_diff(request: web.Request) -> web.Response:
    body = await json_object(request)
    requested = {doc_id: rev_list(revs, f"revisions of {doc_id[:40]}")
                 for doc_id, revs in body.items()}
    return web.json_response(request.app[STORE].revs_diff(requested))


async def bulk_get(request: web.Request) -> web.Response:
    store = request.app[STORE]
    docs = doc_list(await json_object(request), request.app[LIMITS])
    latest = flag(request, "latest")
    results = []
    for index, item in enumerate(docs):
        if index % 100 == 99:
            await asyncio.sleep(0)  # thousands of documents: let other requests run between
        doc_id = item.get("id")
        rev = item.get("rev")
        if not isinstance(doc_id, str) or (rev is not None and not is_valid_rev(rev)):
            raise BadRequest("each entry needs a string id and an optional valid rev")
        if rev is None:
            winner = store.all_docs(keys=[doc_id])[0].get("value", {}).get("rev")
            rev = winner or "0-missing"
        answers = store.open_revs(doc_id, [rev], latest=latest)
        out = []
        for answer in answers:
            if "ok" in answer:
                out.append({"ok": answer["ok"]})
            else:
                out.append({"error": {"id": doc_id, "rev": answer["missing"],
                                      "error": "not_found", "reason": "missing"}})
        results.append({"id": doc_id, "docs": out})
    return await rows_response({}, "results", results)


async def bulk_docs(request: web.Request) -> web.Response:
    store, limits = request.app[STORE], request.app[LIMITS]
    body = await json_object(request)
    docs = doc_list(body, limits)
    new_edits = body.get("new_edits", True)
    if not isinstance(new_edits, bool):
        raise BadRequest("new_edits must be true or false")
    if not new_edits:
        refused = await asyncio.to_thread(store.put_revisions, docs)
        return web.json_response(refused, status=201)
    results = await asyncio.to_thread(store.bulk_put, docs)
    return web.json_response(results, status=201)


async def all_docs(request: web.Request) -> web.Response:
    store = request.app[STORE]
    keys = json_param(request, "keys")
    if request.method == "POST":
        keys = (await json_object(request)).get("keys", keys)
    if keys is not None:
        keys = string_list(keys, "keys")
    start = json_param(request, "startkey") or json_param(request, "start_key")
    end = json_param(request, "endkey") or json_param(request, "end_key")
    for value, name in ((start, "startkey"), (end, "endkey")):
        if value is not None and not isinstance(value, str):
            raise BadRequest(f"{name} must be a JSON string")
    limit = number(request, "limit", None, 0, 1_000_000)
    rows = await asyncio.to_thread(
        store.all_docs, include_docs=flag(request, "include_docs"), keys=keys,
        start_key=start, end_key=end, limit=None if limit is None else int(limit))
    return await rows_response({"total_rows": store.doc_count, "offset": 0}, "rows", rows)


# -- documents ----------------------------------------------------------------------------------


def _doc_id(request: web.Request) -> str:
    doc_id = request.match_info["doc_id"]
    if doc_id.startswith("_"):
        raise BadRequest("only _local documents may start with an underscore")
    return doc_id


async def get_doc(request: web.Request) -> web.Response:
    store = request.app[STORE]
    doc_id = _doc_id(request)
    open_revs_param = request.query.get("open_revs")
    latest = flag(request, "latest")
    if open_revs_param is not None:
        revs = None if open_revs_param == "all" else rev_list(json_param(request, "open_revs"),
                                                             "open_revs")
        return web.json_response(store.open_revs(doc_id, revs, latest=latest))
    rev = request.query.get("rev")
    if rev is not None and not is_valid_rev(rev):
        raise BadRequest("invalid rev")
    doc = store.get(doc_id, rev)
    if flag(request, "revs"):
        doc["_revisions"] = store.revisions(doc_id, doc["_rev"])
    if flag(request, "conflicts"):
        conflicts = store.conflicts(doc_id)
        if conflicts:
            doc["_conflicts"] = conflicts
    return web.json_response(doc)


async def put_doc(request: web.Request) -> web.Response:
    store = request.app[STORE]
    doc_id = _doc_id(request)
    body = await json_object(request)
    if body.get("_id", doc_id) != doc_id:
        raise BadRequest("the _id in the body differs from the URL")
    body["_id"] = doc_id
    if "rev" in request.query and "_rev" not in body:
        body["_rev"] = request.query["rev"]
    if not flag(request, "new_edits", True):
        refused = await asyncio.to_thread(store.put_revisions, [body])
        if refused:
            return couch_error(400, refused[0]["error"], refused[0]["reason"])
        return web.json_response({"ok": True, "id": doc_id, "rev": body.get("_rev")}, status=201)
    rev = await asyncio.to_thread(store.put, body)
    return web.json_response({"ok": True, "id": doc_id, "rev": rev}, status=201)


async def delete_doc(request: web.Request) -> web.Response:
    store = request.app[STORE]
    doc_id = _doc_id(request)
    rev = request.query.get("rev")
    if rev is None or not is_valid_rev(rev):
        raise BadRequest("DELETE needs ?rev=")
    new_rev = await asyncio.to_thread(store.delete, doc_id, rev)
    return web.json_response({"ok": True, "id": doc_id, "rev": new_rev})


async def get_local(request: web.Request) -> web.Response:
    doc = request.app[STORE].get_local(request.match_info["local_id"])
    if doc is None:
        return couch_error(404, "not_found", "missing")
    return web.json_response(doc)


async def put_local(request: web.Request) -> web.Response:
    local_id = request.match_info["local_id"]
    body = await json_object(request)
    body = {key: value for key, value in body.items() if key not in ("_id", "_rev")}
    rev = await asyncio.to_thread(request.app[STORE].put_local, local_id, body)
    return web.json_response({"ok": True, "id": f"_local/{local_id}", "rev": rev}, status=201)


async def delete_local(request: web.Request) -> web.Response:
    local_id = request.match_info["local_id"]
    request.app[STORE].delete_local(local_id)
    return web.json_response({"ok": True, "id": f"_local/{local_id}", "rev": "0-0"})


async def get_blob(request: web.Request) -> web.StreamResponse:
    """An archive attachment's bytes by content address (``/_mishu/blob/{sha256}``), so the
    scans follow their records; never bytes that fail their own hash. The file is hashed and
    then sent in chunks from disk, so serving a 50 MB scan costs no more memory than a small
    one; a damaged copy is marked, and this node fetches a good one from its peers."""
    blobs = BlobStore.for_store(request.app[STORE])
    sha256 = request.match_info["sha256"]
    intact = await asyncio.to_thread(blobs.verify, sha256)
    if intact is None:
        return couch_error(404, "not_found", "missing")
    if not intact:
        return couch_error(404, "not_found", "damaged")
    return web.FileResponse(blobs.path(sha256),
                            headers={"Content-Type": "application/octet-stream"})


def routes() -> Iterable[web.AbstractRouteDef]:
    db = f"/{DB_NAME}"
    return [
        web.get("/", welcome),
        web.get(f"{BLOB_PATH}/{{sha256:[0-9a-f]{{64}}}}", get_blob),
        web.get(db, db_info), web.put(db, create_db),
        web.get(f"{db}/", db_info), web.put(f"{db}/", create_db), *compat_routes(db),
        web.get(f"{db}/_changes", changes), web.post(f"{db}/_changes", changes),
        web.post(f"{db}/_revs_diff", revs_diff),
        web.post(f"{db}/_bulk_get", bulk_get),
        web.post(f"{db}/_bulk_docs", bulk_docs),
        web.post(f"{db}/_ensure_full_commit", ensure_full_commit),
        web.get(f"{db}/_all_docs", all_docs), web.post(f"{db}/_all_docs", all_docs),
        web.get(f"{db}/_local/{{local_id:[^/]+}}", get_local),
        web.put(f"{db}/_local/{{local_id:[^/]+}}", put_local),
        web.delete(f"{db}/_local/{{local_id:[^/]+}}", delete_local),
        web.get(f"{db}/{{doc_id:[^/]+}}", get_doc),
        web.put(f"{db}/{{doc_id:[^/]+}}", put_doc),
        web.delete(f"{db}/{{doc_id:[^/]+}}", delete_doc),
    ]


def make_app(store: DocumentStore, limits: ApiLimits | None = None,
             middlewares: Iterable[Any] = ()) -> web.Application:
    """The replication API for ``store``; extra middlewares (auth, revocation) run first."""
    limits = limits or ApiLimits()
    app = web.Application(client_max_size=limits.max_body_bytes,
                          middlewares=[*middlewares, error_middleware])
    app.on_response_prepare.append(couch_headers)
    app[STORE] = store
    app[LIMITS] = limits
    app[CLOSING] = asyncio.Event()
    app[LARGE_BODIES] = asyncio.Semaphore(limits.concurrent_large_bodies)
    app.on_shutdown.append(_close_longpolls)
    app.add_routes(routes())
    return app
