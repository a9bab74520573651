"""``_local`` documents: a node's own notes (replication checkpoints, settings) that are never
replicated, have no revision history and are not in the changes feed."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

from .doc_rules import MAX_ID_LENGTH, body_text, require_utf8
from .errors import InvalidDocument
from .table import JournaledTable


class LocalDocuments:
    """Mixed into :class:`store.docstore.DocumentStore`, which owns the ``local`` table."""

    _write_lock: threading.RLock
    _local: JournaledTable

    def get_local(self, local_id: str) -> dict[str, Any] | None:
        record = self._local.record(local_id)
        if record is None:
            return None
        doc: dict[str, Any] = {"_id": f"_local/{local_id}", "_rev": record["rev"]}
        doc.update(record["body"])
        return doc

    def put_local(self, local_id: str, body: Mapping[str, Any]) -> str:
        if not isinstance(local_id, str) or not local_id or len(local_id) > MAX_ID_LENGTH:
            raise InvalidDocument(reason="local document id must be a non-empty string")
        require_utf8(local_id, "_id")
        text = body_text(body)
        with self._write_lock:
            record = self._local.record(local_id)
            number = int(record["rev"].split("-")[1]) + 1 if record else 1
            rev = f"0-{number}"
            self._local.put_records({local_id: {"rev": rev, "body": json.loads(text)}})
            return rev

    def delete_local(self, local_id: str) -> None:
        with self._write_lock:
            if self._local.record(local_id) is not None:
                self._local.put_records({local_id: None})
