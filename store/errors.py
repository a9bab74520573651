"""Domain errors of the store and the domain rules.

Every error carries an i18n key and parameters so the UI can show it in the user's language;
``str(error)`` is the English text for logs and CLI fallbacks.
"""

from __future__ import annotations

from typing import Any


class StoreError(Exception):
    """Base of every error mishu's own code raises on purpose."""

    key = "error.store"
    english = "The store reported an error."

    def __init__(self, english: str | None = None, /, **params: Any) -> None:
        self.params = params
        text = english if english is not None else self.english
        super().__init__(text.format(**params))


class NotFound(StoreError):
    key = "error.not_found"
    english = "No document {doc_id}."

    def __init__(self, doc_id: str, *, deleted: bool = False) -> None:
        self.deleted = deleted
        super().__init__(
            "Document {doc_id} was deleted." if deleted else None, doc_id=doc_id
        )


class ConflictError(StoreError):
    key = "error.conflict"
    english = "Document {doc_id} was changed by someone else; reload it and try again."


class InvalidDocument(StoreError):
    key = "error.invalid_document"
    english = "Invalid document: {reason}"


class StoreLocked(StoreError):
    key = "error.store_locked"
    english = "The data directory {path} is in use by another mishu process (pid {pid})."


class StoreCorrupt(StoreError):
    key = "error.store_corrupt"
    english = (
        "The store file {path} is damaged ({reason}); mishu refuses to open it rather than "
        "lose data. Restore the data directory from a backup."
    )


class StoreWriteFailed(StoreError):
    key = "error.write_failed"
    english = "Could not save to disk ({reason}); nothing was changed. Free some space and retry."


class ValidationError(StoreError):
    """A domain rule refused an edit (overlapping booking, unknown member, ...)."""

    key = "error.validation"
    english = "{reason}"

    def __init__(self, key: str, english: str, **params: Any) -> None:
        self.key = key
        super().__init__(english, **params)
