"""The key that turns (survey, member) into an answer id nobody can reverse without it.

It must be the same on every node that takes answers, or a member answering at two kiosks
that were apart would leave two answers; and it must never be in the store (which replicates
everywhere, a hub included), or anyone could recompute every member's answer id. So it comes
from ``[survey] answer_key`` in config.toml, set alike on the kiosks and the secretariat's
machine. Without one, a node makes its own key file (``DATA/survey-answer.key``, 0600): one
node alone still keeps one answer per member, but two such nodes cannot recognise each
other's duplicates (the merge then keeps both; the ``surveytaken`` facts still say how many
members answered).
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from .platform import open_private

KEY_FILE = "survey-answer.key"


def answer_key(configured: str, data_dir: Path) -> bytes:
    """The configured key, else this node's own (made once)."""
    if configured:
        return hashlib.sha256(configured.encode()).digest()
    path = data_dir / KEY_FILE
    if not path.exists():
        with open_private(path, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
    return hashlib.sha256(path.read_text(encoding="ascii").strip().encode()).digest()
