"""Cluster security with real TLS servers on 127.0.0.1: who gets in, and what the wire shows."""

from __future__ import annotations

import asyncio
import ssl
import stat
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.serialization import Encoding

from store import DocumentStore
from sync.admin_listener import admin_password, basic_auth_middleware, parse_loopback
from sync.http_api import make_app
from sync.pairing import (
    JOINED,
    Bundle,
    create_invite,
    join_cluster,
    make_join_app,
    spend_token,
)
from sync.pki import (
    Cluster,
    ClusterError,
    init_cluster,
    load_cluster,
    make_ca,
    make_csr,
    sign_csr,
    write_node_files,
)
from sync.pull import PeerError, PullReplicator
from sync.revocation import open_ledger, register_node, revocation_middleware, revoke


async def start(app: web.Application, context: ssl.SSLContext | None) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context).start()
    return runner, runner.addresses[0][1]


def join_offline(data_dir: Path, cluster: Cluster, name: str) -> Cluster:
    """A second node of ``cluster`` (what `cluster join` achieves, without the network)."""
    key, csr = make_csr(name)
    cert = sign_csr(cluster.ca_key(), cluster.ca_cert, csr, name)
    return write_node_files(data_dir, cluster.ca_cert, key, cert)


@pytest.fixture
def two_nodes(tmp_path: Path) -> tuple[Cluster, Cluster]:
    first = init_cluster(tmp_path / "a", "secretary-laptop")
    second = join_offline(tmp_path / "b", first, "kiosk-door")
    return first, second


async def fetch(port: int, context: ssl.SSLContext | bool) -> int:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"https://127.0.0.1:{port}/mishu", ssl=context,
                               timeout=aiohttp.ClientTimeout(total=5)) as response:
            return response.status


async def test_only_clients_with_a_cluster_certificate_get_in(
    tmp_path: Path, two_nodes: tuple[Cluster, Cluster], store: DocumentStore
) -> None:
    server, member = two_nodes
    runner, port = await start(make_app(store), server.server_context())
    try:
        assert await fetch(port, member.client_context()) == 200
        anonymous = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        anonymous.check_hostname = False
        anonymous.verify_mode = ssl.CERT_NONE
        with pytest.raises(aiohttp.ClientError):
            await fetch(port, anonymous)  # no client certificate
        self_signed_key, self_signed = make_ca("intruder")
        intruder = tmp_path / "intruder"
        write_node_files(intruder, self_signed, self_signed_key, self_signed)
        with pytest.raises(aiohttp.ClientError):
            await fetch(port, load_cluster(intruder).client_context())  # self-signed
        stranger = init_cluster(tmp_path / "other-cluster", "stranger")
        with pytest.raises(aiohttp.ClientError):
            await fetch(port, stranger.client_context())  # another cluster's CA
        # and our client refuses a server of another cluster
        other_runner, other_port = await start(make_app(store), stranger.server_context())
        try:
            with pytest.raises(aiohttp.ClientError):
                await fetch(other_port, member.client_context())
        finally:
            await other_runner.cleanup()
    finally:
        await runner.cleanup()


async def test_revoked_node_is_refused_once_the_revocation_has_replicated(
    two_nodes: tuple[Cluster, Cluster], make_store: Callable[[str], DocumentStore]
) -> None:
    server, member = two_nodes
    server_store, admin_store = make_store("server"), make_store("admin")
    server_ledger, admin_ledger = open_ledger(server_store, server), open_ledger(admin_store, member)
    register_node(admin_store, member.node_cert)
    app = make_app(server_store, middlewares=[revocation_middleware(server_ledger)])
    runner, port = await start(app, server.server_context())
    try:
        assert await fetch(port, member.client_context()) == 200
        revoke(admin_store, server, admin_ledger.find("kiosk-door"))  # on another node …
        assert await fetch(port, member.client_context()) == 200  # … not replicated yet
        for doc_id in admin_store.ids_of_type("clusterrevoked"):
            server_store.put_revisions([admin_store.open_revs(doc_id, None)[0]["ok"]])
        assert await fetch(port, member.client_context()) == 403
        assert server_ledger.is_revoked(member.node_cert.public_bytes(Encoding.DER))
    finally:
        await runner.cleanup()


async def test_replicator_refuses_to_pull_from_a_revoked_server(
    two_nodes: tuple[Cluster, Cluster], make_store: Callable[[str], DocumentStore]
) -> None:
    server, member = two_nodes
    served, local = make_store("served"), make_store("local")
    served.put({"_id": "member:1", "name": "张三"})
    ledger = open_ledger(local, member)
    register_node(local, server.node_cert)
    revoke(local, server, ledger.find("secretary-laptop"))  # signed by the founder's key
    runner, port = await start(make_app(served), server.server_context())
    try:
        async with aiohttp.ClientSession() as session:
            replicator = PullReplicator(local, f"https://127.0.0.1:{port}", session,
                                        refuse_peer=ledger.is_revoked,
                                        ssl_context=member.client_context())
            with pytest.raises(PeerError, match="revoked"):
                await _with_ssl(replicator, member.client_context())
        assert local.get_or_none("member:1") is None
    finally:
        await runner.cleanup()


async def _with_ssl(replicator: PullReplicator, context: ssl.SSLContext) -> int:
    replicator.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context))
    try:
        return await replicator.replicate()
    finally:
        await replicator.session.close()


async def test_invites_are_single_use_expire_and_pin_the_ca(
    tmp_path: Path, store: DocumentStore
) -> None:
    cluster = init_cluster(tmp_path / "inviter", "secretary-laptop")
    join_app = make_join_app(store, cluster)
    runner, port = await start(join_app, cluster.server_context(require_client_cert=False))
    try:
        bundle = create_invite(cluster, f"127.0.0.1:{port}")
        decoded = Bundle.decode(bundle.encode())
        assert decoded == bundle
        joined = await join_cluster(tmp_path / "new", decoded, "laptop-2")
        assert joined.cluster_id == cluster.cluster_id
        with pytest.raises(ClusterError, match="already used"):
            await join_cluster(tmp_path / "again", decoded, "laptop-3")
        expired = create_invite(cluster, f"127.0.0.1:{port}", ttl=-1)
        with pytest.raises(ClusterError, match="expired"):
            await join_cluster(tmp_path / "late", expired, "laptop-4")
        # a bundle whose fingerprint is not this server's CA: abort before any CSR is sent
        honest = create_invite(cluster, f"127.0.0.1:{port}")
        forged = Bundle(honest.token, "0" * 64, honest.address, honest.expires)
        requests_before = len(join_app[JOINED])
        with pytest.raises(ClusterError, match="does not match"):
            await join_cluster(tmp_path / "fooled", forged, "laptop-5")
        assert len(join_app[JOINED]) == requests_before
        spend_token(cluster, honest.token)  # the honest token was never spent by the abort
        assert not (tmp_path / "fooled" / "cluster" / "node.pem").exists()
    finally:
        await runner.cleanup()


class WireTap:
    """A TCP proxy that records every byte crossing it."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.captured = bytearray()

    async def start(self) -> int:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            while data := await src.read(65536):
                self.captured.extend(data)
                dst.write(data)
                await dst.drain()
            dst.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer),
                             return_exceptions=True)


async def test_no_document_content_crosses_the_wire_in_plaintext(
    two_nodes: tuple[Cluster, Cluster], make_store: Callable[[str], DocumentStore]
) -> None:
    server, member = two_nodes
    source, target = make_store("source"), make_store("target")
    source.bulk_put([{"_id": f"member:{n}", "name": "张三", "phone": "13800001234"}
                     for n in range(50)])
    runner, port = await start(make_app(source), server.server_context())
    tap = WireTap(port)
    tap_port = await tap.start()
    try:
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=member.client_context()))
        async with session:
            written = await PullReplicator(target, f"https://127.0.0.1:{tap_port}", session).replicate()
        assert written == 50 and target.get("member:7")["phone"] == "13800001234"
    finally:
        tap.server.close()
        await runner.cleanup()
    assert len(tap.captured) > 5000
    for secret in ("13800001234", "张三", "member:7"):
        assert secret.encode() not in tap.captured


async def test_loopback_listener_requires_the_password(store: DocumentStore, tmp_path: Path) -> None:
    password = admin_password(tmp_path)
    secret = tmp_path / "local-admin.secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    runner, port = await start(make_app(store, middlewares=[basic_auth_middleware(password)]), None)
    try:
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}/mishu"
            async with session.get(url) as response:
                assert response.status == 401 and "Basic" in response.headers["WWW-Authenticate"]
            wrong = {"Authorization": aiohttp.encode_basic_auth("admin", "wrong")}
            async with session.get(url, headers=wrong) as response:
                assert response.status == 401
            right = {"Authorization": aiohttp.encode_basic_auth("admin", password)}
            async with session.get(url, headers=right) as response:
                assert response.status == 200
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("address", ["0.0.0.0:5984", "192.168.1.10:5984", "[::]:5984", "x:1"])
def test_local_listener_refuses_non_loopback_addresses(address: str) -> None:
    with pytest.raises(ClusterError):
        parse_loopback(address)
    assert parse_loopback("127.0.0.1:5984") == ("127.0.0.1", 5984)


def test_keys_are_private_files(tmp_path: Path) -> None:
    cluster = init_cluster(tmp_path, "laptop")
    for name in ("ca.key", "node.key"):
        assert stat.S_IMODE((cluster.directory / name).stat().st_mode) == 0o600
    assert cluster.cluster_id == cluster.ca_fingerprint[:16]
