"""A sign-in kiosk that carries only what it needs, end to end: its node pulls a filtered feed
from a full office node, a member added at the office can sign in at the door, the archive
never reaches the kiosk, and the kiosk's sign-in reaches the office."""

from __future__ import annotations

from collections.abc import Callable

import aiohttp

from kiosk.signin_app import SigninKiosk
from store import DocumentStore
from store.meetings import Meeting, save_meeting
from store.members import Member, save_member
from sync.hosting import NodeSettings, SyncNode
from sync.kiosk_selectors import signin_selector
from sync.pull import PullReplicator
from tui.context import AppContext

from ..conftest import FIXED_NOW
from .driving import kiosk_settings, scan, wait_until


def node(store: DocumentStore, **changes: object) -> SyncNode:
    return SyncNode(store, NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False,
                                        longpoll_seconds=1.0, **changes))  # type: ignore[arg-type]


async def test_a_filtered_kiosk_signs_in_a_member_added_at_the_office(
        store: DocumentStore, make_store: Callable[[str], DocumentStore],
        make_ctx: Callable[..., AppContext]) -> None:
    office = make_store("office")
    save_member(office, Member("001", "张三", "秘书处", qr_token=f"M{1:016X}"))
    save_meeting(office, Meeting("meeting:weekly", "部长例会", "2026-11-25T09:30",
                                 "2026-11-25T11:00", "A", roster=("001", "002")))
    office.bulk_put([{"_id": f"archive:{n}", "title": "会议纪要"} for n in range(30)])

    def kiosk_selector() -> dict[str, object]:
        return signin_selector(store, FIXED_NOW.date())

    office_node, kiosk_node = node(office), node(store, selector=kiosk_selector)
    await office_node.start()
    office_url = f"http://127.0.0.1:{office_node.port}"
    try:
        async with aiohttp.ClientSession() as session:  # the kiosk's earlier run
            await PullReplicator(store, office_url, session, selector=kiosk_selector).replicate()
        assert store.exists("meeting:weekly") and not store.ids_of_type("archive")

        app = SigninKiosk(make_ctx("en", settings=kiosk_settings()))
        app.sync_node = kiosk_node
        async with app.run_test(size=(80, 24)) as pilot:
            kiosk_node.add_peer(office_url)
            office_node.add_peer(f"http://127.0.0.1:{kiosk_node.port}")
            save_member(office, Member("002", "李四", "宣传部", qr_token=f"M{2:016X}"))
            office.put({"_id": "archive:late", "title": "新的纪要"})
            await wait_until(lambda: store.exists("member:002"), pilot, 30)
            await scan(pilot, f"M{2:016X}")
            assert app.result.outcome == "ok" and "李四" in app.result.detail
            await wait_until(lambda: office.exists("signin:weekly:002"), pilot, 30)
            assert not store.ids_of_type("archive")
    finally:
        await office_node.stop()
