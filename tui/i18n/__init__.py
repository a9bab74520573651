"""User-visible text in Simplified Chinese and English.

Catalogs are TOML files, one per area (``en/common.toml``, ``zh/bookings.toml``, …), so each
part of the app owns its strings. Tables nest into dotted keys: ``[directory] title = …`` is
``directory.title``. Both languages must define exactly the same keys (a test enforces it).
Store errors carry their own key and parameters and are translated here too.
"""

from __future__ import annotations

import errno
import logging
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from store.errors import StoreError

LANGUAGES = ("zh", "en")
CATALOG_DIR = Path(__file__).parent
log = logging.getLogger(__name__)


def _flatten(prefix: str, table: Mapping[str, Any], into: dict[str, str]) -> None:
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            _flatten(dotted + ".", value, into)
        else:
            into[dotted] = str(value)


def load_catalog(language: str, directory: Path = CATALOG_DIR) -> dict[str, str]:
    catalog: dict[str, str] = {}
    for path in sorted((directory / language).glob("*.toml")):
        _flatten("", tomllib.loads(path.read_text(encoding="utf-8")), catalog)
    return catalog


class Translator:
    """Looks up a key in the active language; never raises (a missing key shows the key)."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        self.language = language
        self._catalog = load_catalog(language)

    def __call__(self, key: str, **params: Any) -> str:
        text = self._catalog.get(key)
        if text is None:
            log.warning("missing %s translation for %s", self.language, key)
            return key
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            log.warning("bad parameters for %s: %s", key, params)
            return text

    def has(self, key: str) -> bool:
        return key in self._catalog

    def error(self, error: BaseException) -> str:
        """A readable sentence for any error: translated when it is one of ours."""
        if isinstance(error, StoreError) and error.key in self._catalog:
            return self(error.key, **error.params)
        if isinstance(error, StoreError):
            return str(error)
        if isinstance(error, OSError) and error.filename is not None:
            return self("error.file", path=error.filename, reason=self._os_reason(error))
        return self("error.unexpected", kind=type(error).__name__)

    def _os_reason(self, error: OSError) -> str:
        """The system's reason in the active language when we know it, else as the OS says."""
        key = f"error.os.{errno.errorcode.get(error.errno or 0, '')}"
        return self(key) if self.has(key) else str(error.strerror or type(error).__name__)


def in_both_languages(key: str, **params: Any) -> str:
    """One line per language: for what is said outside the UI, whose language may not apply
    (a crash reported on the terminal after the app has gone)."""
    return "\n".join(Translator(language)(key, **params) for language in LANGUAGES)
