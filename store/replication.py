"""The replication side of the store (CouchDB's ``new_edits=false``): insert revisions made
elsewhere with their history, and answer a peer's ``revs_diff`` and ``open_revs``."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import revtree
from .doc_rules import PutResult, body_text, error_result, validate_id
from .doc_state import DocState, materialize
from .errors import InvalidDocument, NotFound
from .records import DocRecord


class Replication:
    """Mixed into :class:`store.docstore.DocumentStore`, whose records and commit it uses."""

    _write_lock: threading.RLock
    if TYPE_CHECKING:
        def _record(self, doc_id: str) -> DocRecord | None: ...

        def _commit(self, states: Mapping[str, DocState]) -> None: ...

    def put_revisions(self, docs: Iterable[Mapping[str, Any]]) -> list[PutResult]:
        """Insert revisions made elsewhere, history included; returns the documents refused.

        Each document is checked before anything is written. One that is malformed (its id,
        revision or history) is left out and reported in CouchDB's per-document error form,
        the rest are stored: one bad document from a peer must not stall replication, and
        it must never reach the store, where a bad revision would break every later edit.
        """
        parsed = []
        refused: list[PutResult] = []
        for doc in docs:
            try:
                parsed.append(self._parse_foreign(doc))
            except InvalidDocument as error:
                refused.append(error_result(doc.get("_id") if isinstance(doc, Mapping) else None,
                                             error))
        with self._write_lock:
            states: dict[str, DocState] = {}
            for doc_id, path, deleted, text in parsed:
                state = states.get(doc_id)
                if state is None:
                    record = self._record(doc_id)
                    state = DocState.from_record(record) if record else DocState.empty()
                if revtree.merge_path(state.tree, path, deleted):
                    states[doc_id] = state
                    if path[0] in revtree.leaves(state.tree):
                        state.bodies[path[0]] = text
                    for rev in path[1:]:
                        state.bodies.pop(rev, None)
            if states:
                self._commit(states)
        return refused

    @staticmethod
    def _parse_foreign(doc: Mapping[str, Any]) -> tuple[str, list[str], bool, str]:
        if not isinstance(doc, Mapping):
            raise InvalidDocument(reason="a document must be a JSON object")
        doc_id = validate_id(doc.get("_id"))
        revisions = doc.get("_revisions")
        if revisions is not None and not isinstance(revisions, Mapping):
            raise InvalidDocument(reason="_revisions must be an object")
        try:
            path = revtree.path_from_revisions(doc.get("_rev"), revisions)  # type: ignore[arg-type]
        except ValueError as exc:
            raise InvalidDocument(reason=f"{doc_id}: {exc}") from None
        return doc_id, path, doc.get("_deleted") is True, body_text(doc)

    def revs_diff(self, requested: Mapping[str, Iterable[str]]) -> dict[str, dict[str, list[str]]]:
        answer: dict[str, dict[str, list[str]]] = {}
        for doc_id, revs in requested.items():
            record = self._record(doc_id)
            tree = DocState.from_record(record).tree if record is not None else {}
            missing = revtree.missing_revs(tree, revs)
            if missing:
                entry = {"missing": missing}
                ancestors = revtree.possible_ancestors(tree, missing)
                if ancestors:
                    entry["possible_ancestors"] = ancestors
                answer[doc_id] = entry
        return answer

    def open_revs(
        self, doc_id: str, revs: list[str] | None, latest: bool = False
    ) -> list[dict[str, Any]]:
        """Answer ``GET /db/doc?open_revs=…``: each asked (or every leaf) revision with history."""
        record = self._record(doc_id)
        if record is None:
            if revs is None:
                raise NotFound(doc_id)
            return [{"missing": rev} for rev in revs]
        state = DocState.from_record(record)
        wanted = revtree.leaves(state.tree) if revs is None else list(revs)
        answers: list[dict[str, Any]] = []
        seen: set[str] = set()
        for rev in wanted:
            targets = [rev]
            if latest and rev in state.tree and rev not in state.bodies:
                targets = [
                    leaf
                    for leaf in revtree.leaves(state.tree)
                    if rev in revtree.history(state.tree, leaf)
                ]
            for target in targets:
                if target in seen:
                    continue
                seen.add(target)
                if target not in state.bodies or target not in state.tree:
                    answers.append({"missing": target})
                    continue
                doc = materialize(doc_id, target, state.bodies[target])
                if state.tree[target].deleted:
                    doc["_deleted"] = True
                doc["_revisions"] = revtree.revisions_field(state.tree, target)
                answers.append({"ok": doc})
        return answers
