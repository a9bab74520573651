"""A hub over HTTPS with a private CA: trusted through ``ca_file``, refused without it (a clear
failing status, nothing written). The hub here is a mishu store behind Basic auth, which
speaks the same CouchDB API as the real one for documents and checkpoints."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from store import DocumentStore
from sync.admin_listener import USER, basic_auth_middleware
from sync.blob_fetch import BlobFetcher
from sync.http_api import make_app
from sync.hub import HubLink, HubSettings
from sync.pki import make_ca
from tests.sync.test_replication import wait_until

PASSWORD = "hub-secret"


def server_files(directory: Path) -> tuple[Path, Path, Path]:
    """A private CA (its PEM is the ca_file) and a certificate for 127.0.0.1 it signed."""
    ca_key, ca_cert = make_ca("hub")
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(x509.Name([]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=True)
            .sign(ca_key, hashes.SHA256()))
    paths = directory / "ca.pem", directory / "hub.pem", directory / "hub.key"
    paths[0].write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@asynccontextmanager
async def https_hub(store: DocumentStore, cert: Path, key: Path) -> AsyncIterator[str]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    runner = web.AppRunner(make_app(store, middlewares=[basic_auth_middleware(PASSWORD)]))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context).start()
    try:
        yield f"https://127.0.0.1:{runner.addresses[0][1]}/mishu"
    finally:
        await runner.cleanup()


async def test_a_hub_with_a_private_ca_is_trusted_through_ca_file_only(
        tmp_path: Path, make_store: Callable[[str], DocumentStore]) -> None:
    hub_store, node = make_store("hub"), make_store("node")
    node.put({"_id": "note:1", "text": "经 HTTPS 送达"})
    ca, cert, key = server_files(tmp_path)
    async with https_hub(hub_store, cert, key) as url:
        for ca_file, delivered in (("", False), (str(ca), True)):
            link = HubLink(node, HubSettings(url, USER, PASSWORD, ca_file), BlobFetcher(node),
                           longpoll_seconds=1.0)
            stop = asyncio.Event()
            task = asyncio.create_task(link.run(stop))
            try:
                if delivered:
                    await wait_until(lambda: hub_store.exists("note:1"), 30)
                else:
                    await wait_until(lambda link=link: link.status.state == "failing", 30)
                    assert link.status.problem == "certificate"
                    assert not hub_store.exists("note:1")
            finally:
                stop.set()
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
    assert hub_store.get("note:1")["text"] == "经 HTTPS 送达"
