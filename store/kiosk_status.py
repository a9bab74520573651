"""What each kiosk tells the office about itself: one small replicated ``kiosk:<node>`` record.

A kiosk stands unattended at a door, so the secretary learns from the dashboard, not from a
visit, when one still runs with the factory admin PIN (printed in every config.toml, so
anyone can read it). The kiosk writes its record when it starts; :class:`KioskStatusIndex`
lists the kiosks that need attention.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from .attention import AttentionItem
from .doc_codec import DocumentRecord
from .docstore import DocumentStore
from .errors import InvalidDocument

log = logging.getLogger(__name__)

KIOSK = "kiosk"


@dataclass(frozen=True)
class KioskStatus(DocumentRecord):
    node: str
    default_pin: bool = False
    started: str = ""  # local time the kiosk last started

    @property
    def doc_id(self) -> str:
        return f"{KIOSK}:{self.node}"


def save_kiosk_status(store: DocumentStore, status: KioskStatus) -> None:
    store.put_latest(status.to_doc())


class KioskStatusIndex:
    doc_types = (KIOSK,)

    def __init__(self) -> None:
        self.statuses: dict[str, KioskStatus] = {}

    def reset(self) -> None:
        self.statuses.clear()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        self.statuses.pop(doc_id, None)
        if doc is None:
            return
        try:
            self.statuses[doc_id] = KioskStatus.from_doc(doc)
        except (InvalidDocument, TypeError) as error:
            log.warning("skipping kiosk status %s: %s", doc_id, error)

    def attention_items(self) -> list[AttentionItem]:
        return [AttentionItem(kind="default_pin", key=f"default_pin:{doc_id}", doc_ids=(doc_id,),
                              message_key="attention.default_pin", params={"node": status.node})
                for doc_id, status in sorted(self.statuses.items()) if status.default_pin]
