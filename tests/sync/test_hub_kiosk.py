"""A kiosk replicating through a CouchDB hub carries only what it reads, as on the LAN: its
pull from the hub is a CouchDB 2+ ``_changes?filter=_selector`` with its selector, and its
push sends the hub nothing but what the kiosk itself wrote. The stand-in hub filters as
CouchDB does (deletions, which keep only their id, still pass an id range); a real Apache
CouchDB is used too when one is given."""

from __future__ import annotations

import os
from collections.abc import Callable

import aiohttp
import pytest
from yarl import URL

from bench.stand_in_hub import HUB_PASSWORD, HUB_USER, StandInHub
from store import DocumentStore
from sync.hub import HubSettings
from sync.kiosk_selectors import supplies_selector
from sync.selector import Selector, id_prefix
from tests.sync.test_filtered_replication import TODAY, ids, office
from tests.sync.test_hub import AUTH, linked
from tests.sync.test_replication import wait_until

COUCHDB_ENV = "MISHU_COUCHDB_URL"  # e.g. http://admin:secret@127.0.0.1:5984/mishu-test
SUPPLIES_IDS = {*(f"member:{n:03d}" for n in range(20)), *(f"item:{n}" for n in range(4)),
                "asset:projector", "movement:1", "loan:1"}


async def filtered_ids(url: str, selector: Selector, headers: dict[str, str]) -> list[str]:
    async with aiohttp.ClientSession(headers=headers) as session, session.post(
            f"{url}/_changes", params={"filter": "_selector"},
            json={"selector": selector}) as response:
        assert response.status == 200, await response.text()
        return sorted(row["id"] for row in (await response.json(content_type=None))["results"])


async def test_the_stand_in_hub_filters_changes_by_selector_as_couchdb_does(
        hub: StandInHub, make_store: Callable[[str], DocumentStore]) -> None:
    source = make_store("office")
    source.bulk_put([{"_id": f"member:{n}", "name": "张三"} for n in range(3)]
                    + [{"_id": "archive:1", "title": "纪要"}])
    source.delete("member:2", source.get("member:2")["_rev"])
    async with linked(source, hub) as link:
        await wait_until(lambda: link.push.status.docs_pushed == 4, 30)
    assert await filtered_ids(hub.url, id_prefix("member:"), AUTH) == [
        "member:0", "member:1", "member:2"]  # the deletion passes its id range
    assert await filtered_ids(hub.url, {"name": "张三"}, AUTH) == ["member:0", "member:1"]
    async with aiohttp.ClientSession(headers=AUTH) as session, session.post(
            f"{hub.url}/_changes", params={"filter": "_selector"}, json={}) as response:
        assert response.status == 400  # as CouchDB answers a _selector filter with no selector


async def kiosk_through(settings: HubSettings, make_store: Callable[[str], DocumentStore]
                        ) -> None:
    """An office pushes everything to the hub; a supplies kiosk pulls its types only and
    pushes only the loan it records."""
    source, kiosk = make_store("office"), make_store("kiosk")
    office(source)
    async with linked(source, settings) as office_link:
        await wait_until(lambda: office_link.push.status.state == "idle"
                         and office_link.push.status.docs_pushed == len(ids(source)), 60)
        async with linked(kiosk, settings, selector=lambda: supplies_selector(TODAY)) as kiosk_link:
            await wait_until(lambda: ids(kiosk) == SUPPLIES_IDS, 60)
            kiosk.put({"_id": "loan:2", "asset_id": "asset:projector", "who": "member:003"})
            await wait_until(lambda: source.get_or_none("loan:2") is not None, 60)
            source.delete("member:019", source.get("member:019")["_rev"])
            await wait_until(lambda: kiosk.get_or_none("member:019") is None, 60)
            assert kiosk_link.push.status.docs_pushed == 1
    assert ids(kiosk) == SUPPLIES_IDS | {"loan:2"}
    assert kiosk_link.pull.status.docs_pulled < len(ids(source)) / 2


async def test_a_kiosk_pulls_only_its_documents_through_the_hub_and_pushes_only_its_own(
        hub: StandInHub, make_store: Callable[[str], DocumentStore]) -> None:
    await kiosk_through(HubSettings(hub.url, HUB_USER, HUB_PASSWORD), make_store)


async def test_a_kiosk_through_a_real_apache_couchdb(
        make_store: Callable[[str], DocumentStore]) -> None:
    url = os.environ.get(COUCHDB_ENV, "")
    if not url:
        pytest.skip(f"no Apache CouchDB here (Debian ships no couchdb package and npm has only "
                    f"PouchDB); set {COUCHDB_ENV}=http://user:password@host:5984/db to run this")
    parsed = URL(url)
    settings = HubSettings(str(parsed.with_user(None)), parsed.user or "", parsed.password or "")
    headers = {"Authorization": aiohttp.encode_basic_auth(settings.user, settings.password,
                                                          "utf-8")}
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.delete(settings.url):  # a database of its own, for this test only
            pass
        async with session.put(settings.url) as response:
            assert response.status in (201, 202), await response.text()
    await kiosk_through(settings, make_store)
