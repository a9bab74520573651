"""Idle connections that never start TLS cannot lock a real peer out of a node."""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.abuse import join_offline, tls_settings
from sync.connection_gate import ConnectionGate, ConnectionLimits
from sync.hosting import SyncNode
from sync.pki import init_cluster

IDLE_SOCKETS = 200
IDLE_CLIENT = """
import socket, sys, time
port = int(sys.argv[1])
held = [socket.create_connection(("127.0.0.1", port)) for _ in range({count})]
print("open", flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
async def test_a_peer_replicates_while_idle_sockets_hold_the_node(
        tmp_path: Path, make_store, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    first = init_cluster(tmp_path / "a", "office")
    second = join_offline(first, tmp_path / "b", "kiosk")
    served, pulling = make_store("a"), make_store("b")
    limits = ConnectionLimits(max_connections=64, reserved_for_peers=8, handshake_seconds=1.0)
    node = SyncNode(served, tls_settings(first, longpoll_seconds=2.0, connections=limits))
    await node.start()
    # the node may open only ~100 more files: without a cap, 200 idle sockets exhaust them
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (len(os.listdir("/proc/self/fd")) + 100, hard))
    idle = subprocess.Popen([sys.executable, "-c", IDLE_CLIENT.format(count=IDLE_SOCKETS),
                             str(node.port)], stdout=subprocess.PIPE,
                            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE,
                                                                  (soft, hard)))
    peer = SyncNode(pulling, tls_settings(second, longpoll_seconds=2.0,
                                          static_peers=(f"https://127.0.0.1:{node.port}",)))
    try:
        assert idle.stdout is not None
        assert await asyncio.to_thread(idle.stdout.readline) == b"open\n"
        await peer.start()
        served.put({"_id": "member:1", "name": "张三"})
        deadline = time.monotonic() + 30
        while not pulling.exists("member:1"):
            assert time.monotonic() < deadline, "the peer never got through"
            await asyncio.sleep(0.1)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        idle.kill()
        idle.wait()
        await peer.stop()
        await node.stop()
    summaries = [r for r in caplog.records if "connections refused" in r.getMessage()]
    assert len(summaries) <= 2
    assert not [r for r in caplog.records if "Too many open files" in r.getMessage()]


def test_the_last_places_are_kept_for_known_peers_and_refusals_are_summarised(
        caplog: pytest.LogCaptureFixture) -> None:
    now = [1000.0]
    gate = ConnectionGate(lambda: asyncio.Protocol(), None,
                          ConnectionLimits(max_connections=3, reserved_for_peers=1),
                          known_hosts=lambda: {"192.0.2.7"}, clock=lambda: now[0])
    assert gate.admit("198.51.100.1") and gate.admit("198.51.100.1")
    assert not gate.admit("198.51.100.1")  # only a known peer may take the last place
    assert gate.admit("192.0.2.7")
    assert not gate.admit("192.0.2.7")
    for _ in range(50):
        gate.admit("198.51.100.1")
    now[0] += 61
    gate.admit("198.51.100.1")
    summaries = [r.getMessage() for r in caplog.records if "connections refused" in r.getMessage()]
    assert len(summaries) == 2 and summaries[1].startswith("since the last report: 52 connections")
