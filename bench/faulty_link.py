"""A TCP proxy between two nodes whose faults the test controls: the network, misbehaving.

Each link forwards one direction of a node pair (``client → proxy → server``). Its state can be
changed at any time:

- ``up``: forward faithfully;
- ``down``: refuse new connections and sever open ones (a partition);
- ``flaky``: forward, but delay each chunk by a random jitter (so responses on parallel
  connections arrive out of order), cut a response mid-way with some probability per chunk,
  and refuse some new connections outright.

All randomness comes from the seeded ``random.Random`` handed in, so a failing scenario replays
from its printed seed.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import dataclass, field
from enum import Enum


class LinkState(Enum):
    UP = "up"
    DOWN = "down"
    FLAKY = "flaky"


@dataclass
class LinkStats:
    connections: int = 0
    refused: int = 0
    cut: int = 0
    bytes_forwarded: int = 0


@dataclass
class FaultyLink:
    target_host: str
    target_port: int
    rng: random.Random
    state: LinkState = LinkState.UP
    max_delay: float = 0.05
    cut_probability: float = 0.2
    drop_probability: float = 0.2
    stats: LinkStats = field(default_factory=LinkStats)
    _server: asyncio.AbstractServer | None = None
    _open: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._sever_all()
            await self._server.wait_closed()

    def set_state(self, state: LinkState) -> None:
        self.state = state
        if state is LinkState.DOWN:
            self._sever_all()

    def _sever_all(self) -> None:
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _handle(self, client_reader: asyncio.StreamReader,
                      client_writer: asyncio.StreamWriter) -> None:
        self.stats.connections += 1
        if self.state is LinkState.DOWN or (
            self.state is LinkState.FLAKY and self.rng.random() < self.drop_probability
        ):
            self.stats.refused += 1
            client_writer.transport.abort()
            return
        try:
            server_reader, server_writer = await asyncio.open_connection(
                self.target_host, self.target_port)
        except OSError:
            client_writer.transport.abort()
            return
        self._open.update((client_writer, server_writer))
        try:
            await asyncio.gather(
                self._pump(client_reader, server_writer, may_cut=False),
                self._pump(server_reader, client_writer, may_cut=True),
            )
        except asyncio.CancelledError:
            # the scenario's loop is closing: end quietly, because Python 3.11's stream server
            # reports a cancelled connection handler as an "exception in callback"
            pass
        finally:
            for writer in (client_writer, server_writer):
                self._open.discard(writer)
                writer.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    may_cut: bool) -> None:
        """Copy one direction; while flaky, delay chunks and maybe cut a response mid-way."""
        with contextlib.suppress(OSError, asyncio.IncompleteReadError, ConnectionError):
            while True:
                chunk = await reader.read(65536)
                if not chunk or self.state is LinkState.DOWN:
                    break
                if self.state is LinkState.FLAKY:
                    await asyncio.sleep(self.rng.uniform(0, self.max_delay))
                    if may_cut and self.rng.random() < self.cut_probability:
                        writer.write(chunk[: self.rng.randint(0, len(chunk) - 1)])
                        self.stats.cut += 1
                        break
                writer.write(chunk)
                await writer.drain()
                self.stats.bytes_forwarded += len(chunk)
        writer.transport.abort()
