"""mishu's embedded document store and the domain rules over it.

Imports nothing from the UI or network layers: ``sync``, ``tui`` and ``kiosk`` build on it.
"""

from .docstore import Change, DocIndex, DocumentStore, PutResult, doc_type
from .errors import (
    ConflictError,
    InvalidDocument,
    NotFound,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreWriteFailed,
    ValidationError,
)

__all__ = [
    "Change",
    "ConflictError",
    "DocIndex",
    "DocumentStore",
    "InvalidDocument",
    "NotFound",
    "PutResult",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StoreWriteFailed",
    "ValidationError",
    "doc_type",
]
