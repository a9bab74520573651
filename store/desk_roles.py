"""Who may approve: configured role names matched against the directory's free-text roles.

Roles in the member directory are typed by people and imported from 企业微信 or 钉钉 exports,
so one person's role reads "秘书长", another's "秘书处 / 副秘书长" or "财务部部长 ". A role
matches when one of the parts of the text (split at 、，,/;｜ and spaces) equals a configured
name after Unicode normalisation (full-width letters and spaces folded) and case folding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[、，,/／;；|｜\s]+")


def normalise_role(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def matching_role(role_text: str, wanted: Iterable[str]) -> str:
    """The configured role name ``role_text`` holds, or ``""`` when it holds none."""
    parts = {normalise_role(part) for part in _SEPARATORS.split(unicodedata.normalize(
        "NFKC", role_text))} | {normalise_role(role_text)}
    parts.discard("")
    return next((name for name in wanted if normalise_role(name) in parts), "")
