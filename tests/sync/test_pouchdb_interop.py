"""An unmodified PouchDB 9, set up the ordinary way, replicates both ways with a mishu node
(installed here via npm)."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import web

from bench.stand_in_hub import POUCH_DIR, NodeMissing, install_node_packages
from store import DocumentStore
from sync.http_api import make_app
from sync.peer_guard import checkpoint_writes_only

DOCS = 550


def install_pouchdb() -> None:
    try:
        install_node_packages()
    except NodeMissing as missing:
        pytest.skip(str(missing))
    except RuntimeError as failed:
        pytest.fail(str(failed))


def mishu_state(store: DocumentStore) -> dict[str, dict[str, object]]:
    """Every document's leaves and whether it is deleted, in the shape pouch_peer.js prints."""
    rows, _ = store.changes(style="all_docs")
    return {row["id"]: {"leaves": sorted(change["rev"] for change in row["changes"]),
                        "deleted": bool(row.get("deleted"))} for row in rows}


async def test_default_pouchdb_client_pushes_and_pulls_with_identical_revision_trees(
    store: DocumentStore, caplog: pytest.LogCaptureFixture
) -> None:
    install_pouchdb()
    runner = web.AppRunner(make_app(store, middlewares=[checkpoint_writes_only]))  # as for peers
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/mishu"
    try:
        process = await asyncio.create_subprocess_exec(
            "node", str(POUCH_DIR / "pouch_peer.js"), url, str(DOCS), cwd=POUCH_DIR,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), 300)
    finally:
        await runner.cleanup()
    assert process.returncode == 0, err.decode()[-3000:]
    report = json.loads(out)
    assert report["push_ok"] and report["pull_ok"]
    assert report["db_name"] == "mishu"
    assert report["session"]["userCtx"]["name"] == "pouch"
    conflicted = deleted = DOCS // 10
    assert report["pushed"] == DOCS + conflicted  # every leaf: one each, two where conflicted
    ours = mishu_state(store)
    assert len(ours) == DOCS
    assert sum(1 for entry in ours.values() if len(entry["leaves"]) == 2) == conflicted
    assert sum(1 for entry in ours.values() if entry["deleted"]) == deleted
    assert ours == report["source"] == report["target"]
    assert "refused a peer" not in caplog.text  # PouchDB's checkpoint ids pass the guard
