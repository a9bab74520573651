"""What a storable document is: its id, its body as canonical JSON, and CouchDB's
per-document error form for one that is refused."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypedDict

from .errors import ConflictError, InvalidDocument, NotFound, StoreError

MAX_ID_LENGTH = 512
SPECIAL_FIELDS = frozenset({"_id", "_rev", "_deleted", "_revisions", "_conflicts", "_revs_info"})

class PutResult(TypedDict, total=False):
    id: str
    rev: str
    ok: bool
    error: str
    reason: str


def doc_type(doc_id: str) -> str:
    """``"member:42"`` → ``"member"``: the prefix that says what a document is."""
    return doc_id.split(":", 1)[0] if ":" in doc_id else ""


def validate_id(doc_id: object) -> str:
    if not isinstance(doc_id, str) or not doc_id:
        raise InvalidDocument(reason="_id must be a non-empty string")
    if len(doc_id) > MAX_ID_LENGTH:
        raise InvalidDocument(reason=f"_id longer than {MAX_ID_LENGTH} characters")
    if doc_id.startswith("_"):
        raise InvalidDocument(reason=f"_id {doc_id[:40]!r} starts with a reserved underscore")
    require_utf8(doc_id, "_id")
    return doc_id


def require_utf8(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidDocument(reason=f"{what} contains text that is not valid Unicode") from None


def body_text(doc: Mapping[str, Any]) -> str:
    """The user fields of ``doc`` as canonical JSON text; rejects what JSON cannot carry."""
    if not isinstance(doc, Mapping):
        raise InvalidDocument(reason="a document must be a JSON object")
    unknown = [key for key in doc if key.startswith("_") and key not in SPECIAL_FIELDS]
    if unknown:
        raise InvalidDocument(reason=f"unsupported special field {unknown[0]!r}")
    body = {key: value for key, value in doc.items() if not key.startswith("_")}
    try:
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidDocument(reason=f"not storable as JSON ({exc})") from None
    require_utf8(text, "the document")
    return text


def error_result(doc_id: object, error: StoreError) -> PutResult:
    kind = {ConflictError: "conflict", NotFound: "not_found"}.get(type(error), "bad_request")
    result = PutResult(error=kind, reason=str(error))
    if isinstance(doc_id, str):
        result["id"] = doc_id
    return result
