"""Revision trees: CouchDB's rules for revisions, conflicts and the winning revision.

A tree maps every known revision id (``N-hash``) to its parent (``None`` for a root, including
a root whose older history was never seen) and whether it is a deletion. All functions are
pure; :mod:`store.docstore` persists the tree and decides when to call them.

The winner is chosen exactly as CouchDB does, so every node (and every CouchDB/PouchDB peer)
agrees without talking: non-deleted leaves beat deleted ones, then the longest path (highest
``N``), then the highest hash compared as a string.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

_REV = re.compile(r"^([1-9][0-9]{0,9})-([0-9a-zA-Z]{1,64})$")
REVS_LIMIT = 1000  # CouchDB's default: how many ancestors of each leaf a tree remembers
MAX_POSITION = 9_999_999_999  # the most the grammar above allows: ten digits
# A position counts the edits along one document's history. A revision made elsewhere is taken
# only up to a billion (one edit a second, day and night, for 31 years: far beyond any record
# a secretariat keeps), so a record received at that bound can still be edited here nine
# billion times before its positions run out of digits; an absurd one (9999999999) would leave
# the record with no next revision, uneditable for good.
MAX_FOREIGN_POSITION = 1_000_000_000


class RevNode(NamedTuple):
    parent: str | None
    deleted: bool


RevTree = dict[str, RevNode]


def parse_rev(rev: object) -> tuple[int, str]:
    """``"3-abc"`` → ``(3, "abc")``; raises ValueError for anything else."""
    if not isinstance(rev, str):
        raise ValueError(f"revision must be a string, got {type(rev).__name__}")
    match = _REV.match(rev)
    if match is None:
        raise ValueError(f"malformed revision {rev!r}")
    return int(match.group(1)), match.group(2)


def is_valid_rev(rev: object) -> bool:
    try:
        parse_rev(rev)
    except ValueError:
        return False
    return True


def rev_pos(rev: str) -> int:
    return parse_rev(rev)[0]


def new_rev(parent: str | None, body: Mapping[str, Any], deleted: bool) -> str:
    """Deterministic id for an edit: identical edits on two nodes give the same revision.

    Raises ValueError when ``parent`` is at :data:`MAX_POSITION` (no next revision exists)."""
    position = rev_pos(parent) + 1 if parent else 1
    if position > MAX_POSITION:
        raise ValueError(f"{parent} is the last revision a document can have")
    canonical = json.dumps(
        [parent, deleted, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return f"{position}-{hashlib.md5(canonical.encode('utf-8')).hexdigest()}"


def leaves(tree: Mapping[str, RevNode]) -> list[str]:
    parents = {node.parent for node in tree.values()}
    return [rev for rev in tree if rev not in parents]


def _rank(rev: str, node: RevNode) -> tuple[bool, int, str]:
    position, digest = parse_rev(rev)
    return (not node.deleted, position, digest)


def winner(tree: Mapping[str, RevNode]) -> str:
    return max(leaves(tree), key=lambda rev: _rank(rev, tree[rev]))


def conflicts(tree: Mapping[str, RevNode]) -> list[str]:
    """Losing leaves that are not deletions (what CouchDB reports as ``_conflicts``)."""
    win = winner(tree)
    found = [rev for rev in leaves(tree) if rev != win and not tree[rev].deleted]
    return sorted(found, key=lambda rev: _rank(rev, tree[rev]), reverse=True)


def history(tree: Mapping[str, RevNode], rev: str) -> list[str]:
    """``rev`` and its ancestors, newest first, as far back as the tree knows."""
    path = []
    current: str | None = rev
    while current is not None and current in tree:
        path.append(current)
        current = tree[current].parent
    return path


def revisions_field(tree: Mapping[str, RevNode], rev: str) -> dict[str, Any]:
    """The ``_revisions`` value CouchDB sends with ``revs=true``."""
    path = history(tree, rev)
    return {"start": rev_pos(rev), "ids": [parse_rev(r)[1] for r in path]}


def path_from_revisions(rev: str, revisions: Mapping[str, Any] | None) -> list[str]:
    """Full revision ids (newest first) of a revision made elsewhere, from its ``_rev`` and
    ``_revisions``; raises ValueError for an inconsistent history or a position above
    :data:`MAX_FOREIGN_POSITION`."""
    position, digest = parse_rev(rev)
    if position > MAX_FOREIGN_POSITION:
        raise ValueError(f"revision position {position} is above {MAX_FOREIGN_POSITION}")
    if revisions is None:
        return [rev]
    start = revisions.get("start")
    ids = revisions.get("ids")
    if (not isinstance(start, int) or isinstance(start, bool) or not isinstance(ids, list)
            or not all(isinstance(item, str) for item in ids)):
        raise ValueError("_revisions needs an integer start and a list of string ids")
    if not ids or start != position or ids[0] != digest or len(ids) > start:
        raise ValueError("_revisions does not match _rev")
    path = [f"{start - i}-{h}" for i, h in enumerate(ids)]
    for full in path:
        parse_rev(full)
    return path


def merge_path(tree: RevTree, path: list[str], deleted: bool) -> bool:
    """Graft a history (newest first) into ``tree``; returns whether the tree changed."""
    changed = False
    for index, rev in enumerate(path):
        parent = path[index + 1] if index + 1 < len(path) else None
        node = tree.get(rev)
        if node is None:
            tree[rev] = RevNode(parent, deleted if index == 0 else False)
            changed = True
        elif node.parent is None and parent is not None:
            tree[rev] = RevNode(parent, node.deleted)
            changed = True
    return changed


def stem(tree: RevTree, limit: int = REVS_LIMIT) -> bool:
    """Forget revisions more than ``limit`` steps below every leaf (CouchDB's ``revs_limit``).

    Without it a peer can hand over a history of any length, and every later edit decodes and
    re-encodes all of it. Called after a merge (so a known ancestor is linked before it is
    forgotten); leaves are never forgotten, so the winner and the conflicts stay the same. A
    kept revision whose parent was forgotten becomes a root, as in a stemmed CouchDB tree.
    Returns whether anything was forgotten.
    """
    budget: dict[str, int] = {}
    for leaf in leaves(tree):
        current: str | None = leaf
        remaining = limit
        while current in tree and remaining > budget.get(current, 0):
            budget[current] = remaining
            remaining -= 1
            current = tree[current].parent
    if len(budget) == len(tree):
        return False
    for rev in [rev for rev in tree if rev not in budget]:
        del tree[rev]
    for rev, node in tree.items():
        if node.parent is not None and node.parent not in tree:
            tree[rev] = RevNode(None, node.deleted)
    return True


def missing_revs(tree: Mapping[str, RevNode], revs: Iterable[str]) -> list[str]:
    return [rev for rev in revs if rev not in tree]


def possible_ancestors(tree: Mapping[str, RevNode], missing: Iterable[str]) -> list[str]:
    """Leaves older than some missing revision: what a peer could send a delta against."""
    highest = max((rev_pos(rev) for rev in missing), default=0)
    return sorted(rev for rev in leaves(tree) if rev_pos(rev) < highest)


def encode_tree(tree: Mapping[str, RevNode]) -> list[list[Any]]:
    return [[rev, node.parent, 1 if node.deleted else 0] for rev, node in tree.items()]


def decode_tree(rows: list[list[Any]]) -> RevTree:
    return {rev: RevNode(parent, bool(deleted)) for rev, parent, deleted in rows}
