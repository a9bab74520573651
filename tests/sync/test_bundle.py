"""USB bundles: a round trip between two members of one cluster, and the bundles refused whole
(tampered, cut off, from another cluster, not a bundle) with nothing written."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from store import DocumentStore
from store.archive import ArchiveRecord
from store.archive_blobs import BlobStore
from sync.bundle import BundleError, export_bundle, import_bundle, since_for
from sync.pairing import create_invite, join_cluster, make_join_app
from sync.pki import Cluster, init_cluster
from sync.pull import PullReplicator
from tests.sync.test_archive_blobs_sync import record_with_scan, serve
from tests.tui.cli_runner import run

SCAN = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 5000  # ~1.3 MB: spans several chunks


def leaves(store: DocumentStore) -> dict[str, tuple[list[str], bool]]:
    rows, _ = store.changes(style="all_docs")
    return {row["id"]: (sorted(c["rev"] for c in row["changes"]), bool(row.get("deleted")))
            for row in rows}


@pytest.fixture
def founder(tmp_path: Path) -> Iterator[tuple[Cluster, DocumentStore]]:
    cluster = init_cluster(tmp_path / "founder", "secretary-laptop")
    store = DocumentStore.open(tmp_path / "founder")
    shared = store.put({"_id": "meeting:1", "title": "例会", "room": "201"})
    store.put({"_id": "meeting:1", "_rev": shared, "title": "例会", "room": "302"})
    store.put_revisions([{"_id": "meeting:1", "_rev": "2-" + "b" * 32, "room": "105",
                          "_revisions": {"start": 2, "ids": ["b" * 32, shared.split("-")[1]]}}])
    gone = store.put({"_id": "item:pen", "count": 3})
    store.delete("item:pen", gone)
    store.bulk_put([{"_id": f"member:{n}", "name": f"成员{n}"} for n in range(1200)])
    record_with_scan(store, tmp_path, SCAN)
    yield cluster, store
    store.close()


@pytest.fixture
async def member(tmp_path: Path, founder: tuple[Cluster, DocumentStore]
                 ) -> AsyncIterator[tuple[Cluster, DocumentStore]]:
    """A machine that joined with a genuine invite: it receives the cluster key then."""
    cluster, store = founder
    runner = web.AppRunner(make_join_app(store, cluster), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0,
                      ssl_context=cluster.server_context(require_client_cert=False)).start()
    try:
        address = f"127.0.0.1:{runner.addresses[0][1]}"
        joined = await join_cluster(tmp_path / "member", create_invite(cluster, address),
                                    "new-laptop")
    finally:
        await runner.cleanup()
    opened = DocumentStore.open(tmp_path / "member")
    yield joined, opened
    opened.close()


def test_a_bundle_round_trip_keeps_conflicts_and_scans_and_is_idempotent(
        tmp_path: Path, founder: tuple[Cluster, DocumentStore],
        member: tuple[Cluster, DocumentStore]) -> None:
    (cluster, source), (member_cluster, target) = founder, member
    path = tmp_path / "usb" / "mishu.bundle"
    path.parent.mkdir()
    exported = export_bundle(source, cluster, path)
    assert exported.blobs == 1 and exported.documents == len(leaves(source))
    assert SCAN[:64] not in path.read_bytes()  # readable only with the cluster key

    first = import_bundle(target, member_cluster, path)
    assert leaves(target) == leaves(source)
    assert len(target.conflicts("meeting:1")) == 1  # both edits kept
    assert (first.new, first.known, first.conflicts, first.blobs) == (
        exported.revisions, 0, 1, 1)
    assert first.node_name == "secretary-laptop"
    [attachment] = [a for doc in target.iter_docs("archive") for a in
                    ArchiveRecord.from_doc(doc).attachments]
    assert BlobStore.for_store(target).read(attachment) == SCAN

    seq = target.update_seq
    again = import_bundle(target, member_cluster, path)
    assert (again.new, again.known, again.blobs) == (0, exported.revisions, 0)
    assert target.update_seq == seq and leaves(target) == leaves(source)


async def test_a_bundle_for_a_node_holds_only_what_it_has_not_pulled(
        tmp_path: Path, founder: tuple[Cluster, DocumentStore],
        member: tuple[Cluster, DocumentStore]) -> None:
    (cluster, source), (member_cluster, target) = founder, member
    runner, url = await serve(source)
    try:
        async with aiohttp.ClientSession() as session:
            await PullReplicator(target, url, session).replicate()
    finally:
        await runner.cleanup()
    assert since_for(source, target.node_id) == source.update_seq
    source.bulk_put([{"_id": f"booking:{n}", "room": "201"} for n in range(3)])
    path = tmp_path / "later.bundle"
    exported = export_bundle(source, cluster, path, since_for(source, target.node_id))
    assert (exported.documents, exported.blobs) == (3, 0)
    assert import_bundle(target, member_cluster, path).new == 3
    assert leaves(target) == leaves(source)


def test_tampered_cut_off_foreign_and_strange_files_are_refused_whole(
        tmp_path: Path, founder: tuple[Cluster, DocumentStore],
        member: tuple[Cluster, DocumentStore]) -> None:
    (cluster, source), (member_cluster, target) = founder, member
    good = tmp_path / "good.bundle"
    export_bundle(source, cluster, good)
    data = good.read_bytes()
    stranger = init_cluster(tmp_path / "other", "other-union")
    other_store = DocumentStore.open(tmp_path / "other")
    other_store.put({"_id": "member:x", "name": "外人"})
    foreign = tmp_path / "foreign.bundle"
    export_bundle(other_store, stranger, foreign)
    other_store.close()

    cases = {"damaged": data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 1])
             + data[len(data) // 2 + 1:],
             "truncated": data[:len(data) - 200],
             "foreign": foreign.read_bytes(),
             "not_bundle": b"PK\x03\x04 a zip file, not a bundle"}
    seq = target.update_seq
    for reason, content in cases.items():
        path = tmp_path / f"{reason}.bundle"
        path.write_bytes(content)
        with pytest.raises(BundleError) as refused:
            import_bundle(target, member_cluster, path)
        assert refused.value.key == f"bundle.{reason}", reason
        assert target.update_seq == seq and target.doc_count == 0
        assert not (tmp_path / "member" / "attachments").exists() or not any(
            p.is_file() for p in (tmp_path / "member" / "attachments").rglob("*"))


@pytest.mark.parametrize(("language", "exported", "imported", "foreign"), [
    ("en", "documents", "new revisions", "another cluster"),
    ("zh", "份文档", "新修订", "其他集群"),
])
def test_bundle_commands_speak_both_languages(
        tmp_path: Path, founder: tuple[Cluster, DocumentStore],
        member: tuple[Cluster, DocumentStore], language: str, exported: str, imported: str,
        foreign: str) -> None:
    (_cluster, source), (_member_cluster, target) = founder, member
    source.close()
    target.close()
    path = tmp_path / "stick.bundle"
    code, out, err = run(tmp_path / "founder", "--lang", language, "bundle", "export", str(path))
    assert (code, err) == (0, "") and exported in out
    code, out, err = run(tmp_path / "member", "--lang", language, "bundle", "import", str(path))
    assert (code, err) == (0, "") and imported in out
    init_cluster(tmp_path / "other", "other-union")
    code, out, err = run(tmp_path / "other", "--lang", language, "bundle", "import", str(path))
    assert code == 1 and foreign in err and "Traceback" not in err
