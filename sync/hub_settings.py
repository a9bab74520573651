"""A ``[[sync.hubs]]`` entry as the settings read it: checked once at start, no client yet.

Apart from :mod:`sync.hub` so that reading the config (every ``mishu`` command, ``--help``
too) does not import aiohttp and the replicators, ~25 MB and 0.15 s that only a node that
actually links to a hub needs.
"""

from __future__ import annotations

import os
import ssl
import stat
from dataclasses import dataclass, field
from pathlib import Path

from yarl import URL

from store.errors import StoreError


class HubConfigError(StoreError):
    key = "hub.config_error"
    english = "Hub {url}: {reason}"


class HubPasswordFileOpen(StoreError):
    key = "hub.password_file_open"
    english = ("The hub password file {path} can be read by others (mode {mode}); "
               "run `chmod 600 {path}` and start again.")


class HubPasswordFileMissing(StoreError):
    key = "hub.password_file_missing"
    english = "The hub password file {path} cannot be read ({reason})."


@dataclass(frozen=True)
class HubSettings:
    """One ``[[sync.hubs]]`` entry, with its password already read from its file."""

    url: str  # the database, e.g. https://couch.example.edu:6984/mishu
    user: str
    password: str = field(repr=False)
    ca_file: str = ""  # a CA certificate (PEM) to trust for the hub; empty: the system's

    def ssl_context(self) -> ssl.SSLContext | bool:
        if URL(self.url).scheme != "https":
            return False
        return ssl.create_default_context(cafile=self.ca_file or None)


def read_password_file(path: Path, posix: bool = os.name == "posix") -> str:
    """The password in ``path`` (first line), refused when others may read the file."""
    try:
        mode = path.stat().st_mode
        if posix and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise HubPasswordFileOpen(path=str(path), mode=oct(stat.S_IMODE(mode)))
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HubPasswordFileMissing(path=str(path), reason=type(exc).__name__) from None
    return text.splitlines()[0].strip() if text.strip() else ""


def hub_settings(url: str, user: str, password_file: Path, ca_file: str = "") -> HubSettings:
    """Checked once at the edge: an https or http URL naming a database, and a private secret."""
    parsed = URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host or parsed.path in ("", "/"):
        raise HubConfigError(url=url, reason="url must be http(s)://host:port/database")
    if not user:
        raise HubConfigError(url=url, reason="user is empty")
    if ca_file and not Path(ca_file).is_file():
        raise HubConfigError(url=url, reason=f"ca_file {ca_file} is not a file")
    return HubSettings(url.rstrip("/"), user, read_password_file(password_file), ca_file)
