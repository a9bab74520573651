"""Mango selectors, the subset a filtered replication needs, with CouchDB 2+'s semantics.

``POST /mishu/_changes?filter=_selector`` with ``{"selector": {...}}`` keeps the changes whose
winning revision matches, as CouchDB does, so a kiosk pulls only its own document types from a
mishu node and from a CouchDB hub alike. Supported: implicit equality and implicit ``$and``
over fields, nested objects and dotted paths (``a.b``, ``a\\.b`` for a dot in a name),
``$eq``, ``$in``, ``$exists``, the comparisons ``$gt``/``$gte``/``$lt``/``$lte`` (an id range
— ``{"_id": {"$gte": "member:", "$lt": "member:\\ufff0"}}`` — is how a document type is
selected so that its deletions, which keep only their id, still pass), ``$and`` and ``$or``.
Anything else starting with ``$`` is refused (:class:`InvalidOperator`, a 400 like CouchDB's
``invalid_operator``) before a single change is read.

Values compare in CouchDB's collation order of JSON types (null, false, true, numbers, strings,
arrays, objects); strings by code point, where CouchDB uses ICU — the same answer for the id
ranges above, whose bounds are ASCII and ``\\ufff0``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

FIELD_OPERATORS = ("$eq", "$in", "$exists", "$gt", "$gte", "$lt", "$lte")
COMBINATORS = ("$and", "$or")
HIGH = "\ufff0"  # sorts after every character an id uses: ``prefix + HIGH`` ends a prefix range
_DOT = re.compile(r"(?<!\\)\.")
_MISSING = object()

Selector = dict[str, Any]


class InvalidOperator(ValueError):
    """An operator outside the supported subset, or one used with the wrong kind of value."""


def id_prefix(prefix: str) -> Selector:
    """Documents whose id starts with ``prefix``, deletions included."""
    return {"_id": {"$gte": prefix, "$lt": prefix + HIGH}}


def check(selector: Any) -> Selector:
    """``selector`` if it is one this module can answer; :class:`InvalidOperator` if not."""
    if not isinstance(selector, dict):
        raise InvalidOperator("the selector must be a JSON object")
    for key, value in selector.items():
        if key in COMBINATORS:
            if not isinstance(value, list) or not value:
                raise InvalidOperator(f"{key} takes a non-empty array of selectors")
            for part in value:
                check(part)
        elif key.startswith("$"):
            raise InvalidOperator(f"Invalid operator: {key}")
        elif isinstance(value, dict):
            _check_condition(value)
    return selector


def _check_condition(condition: dict[str, Any]) -> None:
    for key, value in condition.items():
        if not key.startswith("$"):
            if isinstance(value, dict):
                _check_condition(value)
        elif key not in FIELD_OPERATORS:
            raise InvalidOperator(f"Invalid operator: {key}")
        elif key == "$in" and not isinstance(value, list):
            raise InvalidOperator("$in takes an array")
        elif key == "$exists" and not isinstance(value, bool):
            raise InvalidOperator("$exists takes true or false")


def fields(selector: Selector) -> set[str]:
    """The top-level fields a (checked) selector looks at: ``{"_id"}`` means a change can be
    judged by its id alone, without reading the document."""
    found: set[str] = set()
    for key, value in selector.items():
        if key in COMBINATORS:
            for part in value:
                found |= fields(part)
        else:
            found.add(_path(key)[0])
    return found


def decided_by_id(selector: Selector, doc_id: str) -> bool | None:
    """Whether any document with this id matches (True) or none does (False), whatever its
    other fields hold; None when they decide. A kiosk's selector names most types by id alone,
    so the feed reads only the documents of the few types it also judges by a field."""
    verdicts = []
    for key, value in selector.items():
        if key in COMBINATORS:
            parts = [decided_by_id(part, doc_id) for part in value]
            wanted = key == "$or"  # one True decides an $or, one False an $and
            verdicts.append(wanted if wanted in parts else None if None in parts else not wanted)
        elif _path(key) == ("_id",):
            verdicts.append(_holds(doc_id, value))
        else:
            verdicts.append(None)
    return False if False in verdicts else None if None in verdicts else True


def matches(selector: Selector, doc: dict[str, Any]) -> bool:
    """Whether ``doc`` matches a selector that :func:`check` accepted."""
    for key, value in selector.items():
        if key == "$and":
            if not all(matches(part, doc) for part in value):
                return False
        elif key == "$or":
            if not any(matches(part, doc) for part in value):
                return False
        elif not _holds(_lookup(doc, _path(key)), value):
            return False
    return True


def compiled(selector: Selector) -> Callable[[Any], bool]:
    """:func:`matches` for one selector, as a closure built once per feed: a kiosk's selector
    is an ``$or`` of a dozen id ranges tried on every change of the office (1M of them), and
    walking the selector's dictionaries for each took ~40 s, past the client's timeout."""
    tests: list[Callable[[Any], bool]] = []
    for key, value in selector.items():
        if key in COMBINATORS:
            parts = [compiled(part) for part in value]
            tests.append(_any_of(parts) if key == "$or" else _all_of(parts))
        else:
            tests.append(_field_test(_path(key), value))
    return tests[0] if len(tests) == 1 else _all_of(tests)


def _any_of(parts: list[Callable[[Any], bool]]) -> Callable[[Any], bool]:
    return lambda doc: any(part(doc) for part in parts)


def _all_of(parts: list[Callable[[Any], bool]]) -> Callable[[Any], bool]:
    return lambda doc: all(part(doc) for part in parts)


def _field_test(path: tuple[str, ...], condition: Any) -> Callable[[Any], bool]:
    if (len(path) == 1 and isinstance(condition, dict) and condition.keys() == {"$gte", "$lt"}
            and all(isinstance(bound, str) for bound in condition.values())):
        field, low, high = path[0], condition["$gte"], condition["$lt"]  # a type's id range

        def in_range(doc: Any) -> bool:
            value = doc.get(field, _MISSING) if isinstance(doc, dict) else _MISSING
            if type(value) is str:
                return low <= value < high  # strings collate by code point (module docstring)
            return _holds(value, condition)
        return in_range
    return lambda doc: _holds(_lookup(doc, path), condition)


@functools.lru_cache(maxsize=1024)
def _path(key: str) -> tuple[str, ...]:
    """A field name split at its unescaped dots; cached, as a feed asks it for every change."""
    return tuple(part.replace("\\.", ".") for part in _DOT.split(key))


def _lookup(doc: Any, path: tuple[str, ...] | list[str]) -> Any:
    for part in path:
        if not isinstance(doc, dict) or part not in doc:
            return _MISSING
        doc = doc[part]
    return doc


def _holds(value: Any, condition: Any) -> bool:
    """Whether a field's ``value`` (``_MISSING`` when absent) meets ``condition``."""
    if not isinstance(condition, dict):
        return value is not _MISSING and _compare(value, condition) == 0
    for key, argument in condition.items():
        if not key.startswith("$"):  # a nested field: {"a": {"b": 1}} is {"a.b": 1}
            if not _holds(_lookup(value, [key]), argument):
                return False
        elif key == "$exists":
            if (value is not _MISSING) != argument:
                return False
        elif value is _MISSING:
            return False
        elif key == "$in":
            values = value if isinstance(value, list) else [value]
            if not any(_compare(v, a) == 0 for v in values for a in argument):
                return False
        elif not _COMPARISONS[key](_compare(value, argument)):
            return False
    return True


_COMPARISONS: dict[str, Callable[[int], bool]] = {
    "$eq": lambda c: c == 0, "$gt": lambda c: c > 0, "$gte": lambda c: c >= 0,
    "$lt": lambda c: c < 0, "$lte": lambda c: c <= 0}


def _rank(value: Any) -> int:
    if value is None:
        return 0
    if value is False:
        return 1
    if value is True:
        return 2
    if isinstance(value, (int, float)):
        return 3
    if isinstance(value, str):
        return 4
    return 5 if isinstance(value, list) else 6


def _compare(a: Any, b: Any) -> int:
    """-1, 0 or 1 in CouchDB's collation of JSON values (see the module docstring)."""
    rank_a, rank_b = _rank(a), _rank(b)
    if rank_a != rank_b:
        return -1 if rank_a < rank_b else 1
    if rank_a == 5:
        for x, y in zip(a, b):
            if (c := _compare(x, y)) != 0:
                return c
        return _compare(len(a), len(b))
    if rank_a == 6:
        return _compare([[k, v] for k, v in sorted(a.items())],
                        [[k, v] for k, v in sorted(b.items())])
    if rank_a <= 2:
        return 0
    return -1 if a < b else (1 if a > b else 0)
