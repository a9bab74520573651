"""What the pull and push replicators share: one CouchDB database over HTTP, the checkpoints
both sides keep in ``_local``, and the backoff while the other side fails.

A database is a server root plus a path (``https://peer:6984`` + ``/mishu`` for a mishu node,
``https://couch.example.edu:6984`` + ``/mishu`` for a CouchDB hub), reached through the
session that carries its TLS and, for a hub, its Basic-auth credentials. Checkpoints keep a
short session history so that when one side lost its checkpoint (a restored backup) the
replication resumes from the last point both agree on instead of starting over (CouchDB's rule).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from store import DocumentStore

log = logging.getLogger(__name__)

HISTORY_LENGTH = 10


class PeerError(Exception):
    """The peer answered something the protocol does not allow."""


class Unauthorized(PeerError):
    """The other side refused our name and password (HTTP 401 or 403)."""


@dataclass
class CouchDatabase:
    """One database on another server, as this node's replicators talk to it."""

    session: aiohttp.ClientSession
    root: str  # the server, without a trailing slash
    path: str = "/mishu"  # the database's path under the root
    requests: int = field(default=0, init=False)
    _checkpoint_revs: dict[str, str] = field(default_factory=dict, init=False)

    @property
    def url(self) -> str:
        return f"{self.root}{self.path}"

    async def request(self, method: str, path: str, *, params: dict[str, str] | None = None,
                      body: Any = None, timeout: float = 60.0, ok: tuple[int, ...] = (200, 201),
                      on_server: bool = False) -> tuple[int, Any]:
        """``method`` on the database's ``path`` (the server's with ``on_server``): the status
        and, when it is one of ``ok``, the JSON answer. 401/403 raise :class:`Unauthorized`."""
        self.requests += 1
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        url = f"{self.root if on_server else self.url}{path}"
        async with self.session.request(method, url, params=params, data=data, headers=headers,
                                        timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            payload = await response.read()
            if response.status in (401, 403) and response.status not in ok:
                raise Unauthorized(f"{method} {path or '/'} answered {response.status}: "
                                   "name or password refused")
            if response.status not in ok or method == "HEAD":
                return response.status, None
            try:
                return response.status, json.loads(payload)
            except ValueError as exc:
                raise PeerError(f"{method} {path}: invalid JSON from peer") from exc

    async def read_checkpoint(self, store: DocumentStore, rep_id: str
                              ) -> tuple[Any, list[dict[str, Any]]]:
        """Where to resume: the latest session both checkpoints remember."""
        local = store.get_local(rep_id) or {}
        remote = await self._remote_checkpoint(rep_id)
        return common_since(local, remote)

    async def _remote_checkpoint(self, rep_id: str) -> dict[str, Any]:
        status, remote = await self.request("GET", f"/_local/{rep_id}", ok=(200,))
        if status != 200 or not isinstance(remote, dict):
            self._checkpoint_revs.pop(rep_id, None)
            return {}
        if isinstance(remote.get("_rev"), str):
            self._checkpoint_revs[rep_id] = remote["_rev"]
        return remote

    async def write_checkpoint(self, store: DocumentStore, rep_id: str, session_id: str,
                               since: Any, history: list[dict[str, Any]]
                               ) -> list[dict[str, Any]]:
        """The same checkpoint on both sides; the history to pass to the next write. CouchDB
        wants a ``_local`` document's current revision with an update, so the last one seen
        is sent along (and read again once if the other side says it is stale)."""
        entry = {"session_id": session_id, "recorded_seq": since}
        history = [entry, *[h for h in history if h.get("session_id") != session_id]]
        body: dict[str, Any] = {"session_id": session_id, "source_last_seq": since,
                                "history": history[:HISTORY_LENGTH]}
        store.put_local(rep_id, body)
        for attempt in range(2):
            rev = self._checkpoint_revs.get(rep_id)
            status, answer = await self.request("PUT", f"/_local/{rep_id}",
                                                body={**body, **({"_rev": rev} if rev else {})},
                                                ok=(200, 201))
            if status in (200, 201):
                if isinstance(answer, dict) and isinstance(answer.get("rev"), str):
                    self._checkpoint_revs[rep_id] = answer["rev"]
                break
            if status != 409 or attempt:  # the next write tries again; our side has it
                log.warning("%s: writing checkpoint %s answered %s", self.url, rep_id, status)
                break
            await self._remote_checkpoint(rep_id)
        return body["history"]


def common_since(local: dict[str, Any], remote: dict[str, Any]) -> tuple[Any, list[dict[str, Any]]]:
    """Where to resume: the latest session both checkpoints remember (CouchDB's rule)."""
    local_history = [h for h in local.get("history", []) if isinstance(h, dict)]
    if local.get("session_id") and local.get("session_id") == remote.get("session_id"):
        return local.get("source_last_seq", 0), local_history
    remote_sessions = {h.get("session_id"): h.get("recorded_seq")
                       for h in remote.get("history", []) if isinstance(h, dict)}
    for entry in local_history:
        if entry.get("session_id") in remote_sessions:
            return entry.get("recorded_seq", 0), local_history
    return 0, local_history


RETRYABLE = (aiohttp.ClientError, asyncio.TimeoutError, OSError, PeerError)


def problem_of(exc: Exception) -> str:
    """The i18n key (under ``hub.problem``) of a failure the user can fix, or ""."""
    if isinstance(exc, Unauthorized):
        return "unauthorized"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | ssl.SSLCertVerificationError):
        return "certificate"
    return ""


async def run_continuously(one_run: Callable[[], Awaitable[object]], stop: asyncio.Event,
                           set_status: Callable[..., None], rng: random.Random,
                           max_backoff: float = 60.0) -> None:
    """Call ``one_run`` until ``stop`` is set, waiting exponentially longer (with jitter)
    after each failure in a row, so a peer or hub that is down is not hammered; the status
    says what happened, with an i18n ``problem`` key for what the user can fix."""
    failures = 0
    while not stop.is_set():
        try:
            set_status(state="syncing")
            await one_run()
            failures = 0
        except RETRYABLE as exc:
            failures += 1
            set_status(state="failing", last_error=f"{type(exc).__name__}: {exc}"[:200],
                       problem=problem_of(exc))
            delay = min(max_backoff, 0.5 * 2 ** min(failures, 10)) * rng.uniform(0.5, 1.0)
            try:
                await asyncio.wait_for(stop.wait(), delay)
            except TimeoutError:
                pass
    set_status(state="stopped")
