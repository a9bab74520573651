"""The node's listening socket: a cap on open connections and a deadline on TLS handshakes.

aiohttp's ``TCPSite`` hands TLS to asyncio with its default 60 s handshake timeout and no cap,
so a thousand idle TCP connections that never start TLS use up the process's file descriptors
and a real peer waits a minute to get in. Here every accepted connection passes a gate first:
past ``max_connections`` it is closed at once (the last ``reserved_for_peers`` places go only
to addresses of known peers), TLS is started by us with ``handshake_seconds`` to finish, and
only then does aiohttp's request handler see the connection. Refusals and stalled handshakes
are counted and logged as one summary line a minute, not one line each.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

REPORT_EVERY = 60.0


@dataclass(frozen=True)
class ConnectionLimits:
    max_connections: int = 256
    reserved_for_peers: int = 16
    handshake_seconds: float = 10.0


@dataclass
class ConnectionGate:
    """The protocol factory of one listener: ``loop.create_server(gate, host, port)``."""

    app_factory: Callable[[], asyncio.Protocol]
    ssl_context: ssl.SSLContext | None
    limits: ConnectionLimits
    known_hosts: Callable[[], set[str]] = set
    clock: Callable[[], float] = time.monotonic
    open: int = 0
    refused: int = 0
    stalled: int = 0
    _handshakes: set[asyncio.Task[None]] = field(default_factory=set)
    _last_report: float = field(default=0.0)

    def __call__(self) -> asyncio.Protocol:
        return _GatedConnection(self)

    def admit(self, host: str) -> bool:
        limits = self.limits
        if self.open < limits.max_connections - limits.reserved_for_peers or (
                self.open < limits.max_connections and host in self.known_hosts()):
            self.open += 1
            return True
        self.refused += 1
        self.report()
        return False

    def report(self) -> None:
        """At most one line a minute on what the gate turned away."""
        now = self.clock()
        if now - self._last_report < REPORT_EVERY or not (self.refused or self.stalled):
            return
        log.warning("since the last report: %d connections refused (%d open, cap %d), "
                    "%d TLS handshakes dropped unfinished", self.refused, self.open,
                    self.limits.max_connections, self.stalled)
        self.refused = self.stalled = 0
        self._last_report = now

    def track(self, handshake: asyncio.Task[None]) -> None:
        self._handshakes.add(handshake)
        handshake.add_done_callback(self._handshakes.discard)

    def close(self) -> None:
        """Drop connections still in their TLS handshake (the node is stopping)."""
        for task in list(self._handshakes):
            task.cancel()


class _GatedConnection(asyncio.Protocol):
    """Counts one connection, runs its TLS handshake, then hands it to aiohttp."""

    def __init__(self, gate: ConnectionGate) -> None:
        self.gate = gate
        self.inner: asyncio.Protocol | None = None
        self.counted = False
        # the client's first request can be decrypted before start_tls() returns to us
        self.early: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername") or ("?",)
        if not self.gate.admit(str(peer[0])):
            transport.abort()
            return
        self.counted = True
        if self.gate.ssl_context is None:
            self._attach(transport)
            return
        assert isinstance(transport, asyncio.Transport)
        transport.pause_reading()  # no byte of the ClientHello is read before TLS starts
        self.gate.track(asyncio.ensure_future(self._handshake(transport, self.gate.ssl_context)))

    async def _handshake(self, transport: asyncio.Transport, context: ssl.SSLContext) -> None:
        loop = asyncio.get_running_loop()
        try:
            tls = await loop.start_tls(transport, self, context, server_side=True,
                                       ssl_handshake_timeout=self.gate.limits.handshake_seconds)
        except (OSError, ssl.SSLError, TimeoutError, ConnectionError, asyncio.CancelledError):
            self.gate.stalled += 1
            transport.abort()
            self._release()
            self.gate.report()
            return
        self._attach(tls)

    def _attach(self, transport: asyncio.BaseTransport) -> None:
        self.inner = self.gate.app_factory()
        self.inner.connection_made(transport)
        for data in self.early:
            self.inner.data_received(data)
        self.early.clear()

    def _release(self) -> None:
        if self.counted:
            self.counted = False
            self.gate.open -= 1

    def data_received(self, data: bytes) -> None:
        if self.inner is None:
            self.early.append(data)
        else:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.inner is not None else None

    def pause_writing(self) -> None:
        if self.inner is not None:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.inner is not None:
            self.inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        self._release()
        if self.inner is not None:
            self.inner.connection_lost(exc)

