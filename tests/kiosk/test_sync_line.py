"""The kiosk's sync line against a real peer node on 127.0.0.1 that comes and goes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from aiohttp import web

from kiosk.signin_app import SigninKiosk
from kiosk.sync_freshness import LAST_SYNC, freshness, remember_sync
from store import DocumentStore
from sync.hosting import NodeSettings, SyncNode
from sync.http_api import make_app
from sync.pull import PeerStatus
from tui.context import AppContext

from .driving import kiosk_settings, wait_until


def line(app: SigninKiosk) -> str:
    return str(app.kiosk_screen.query_one("#kiosk-sync").content)


async def test_never_synced_then_reachable_then_stale_after_the_peer_goes(
        store: DocumentStore, make_store: Callable[[str], DocumentStore],
        make_ctx: Callable[..., AppContext]) -> None:
    now = [datetime(2026, 11, 25, 13, 52)]
    ctx = make_ctx("en", settings=kiosk_settings(stale_after_minutes=10))
    ctx.clock = lambda: now[0]
    node = SyncNode(store, NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False,
                                        longpoll_seconds=1.0))
    ctx.sync_peers = lambda: node.peer_statuses
    app = SigninKiosk(ctx)
    app.sync_node = node
    peer = web.AppRunner(make_app(make_store("office")))
    async with app.run_test(size=(80, 24)) as pilot:
        assert line(app) == "Not synced with the office yet — scans are kept and sent later"
        await peer.setup()
        await web.TCPSite(peer, "127.0.0.1", 0).start()
        node.add_peer(f"http://127.0.0.1:{peer.addresses[0][1]}")
        await wait_until(lambda: line(app) == "Sync: 1 of 1 other nodes reachable", pilot, 20)

        await peer.cleanup()  # the office node goes away
        await wait_until(lambda: "no other node reachable since 13:52" in line(app), pilot, 20)
        now[0] += timedelta(minutes=11)
        await wait_until(lambda: line(app).startswith("Offline — data as of 13:52"), pilot)
        assert app.kiosk_screen.query_one("#kiosk-sync").has_class("-stale")


def test_a_damaged_last_sync_record_reads_as_never_synced(store: DocumentStore) -> None:
    store.put_local(LAST_SYNC, {"at": "[/] not a time"})
    assert remember_sync(store, [], datetime(2026, 11, 25, 13, 52)) is None
    state = freshness([PeerStatus("http://office", state="failing")], None,
                      datetime(2026, 11, 25, 13, 52), timedelta(minutes=10))
    assert (state.key, state.reachable, state.peers) == ("kiosk.sync_never", 0, 1)
