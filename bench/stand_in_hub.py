"""A stand-in CouchDB hub for the hub tests and ``make bench``: express-pouchdb (in memory)
behind HTTP Basic auth, started from the npm packages in ``tests/sync/pouch`` (installed there
on first use, as the PouchDB interop test does)."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

POUCH_DIR = Path(__file__).resolve().parent.parent / "tests" / "sync" / "pouch"
HUB_USER = "mishu-hub"
HUB_PASSWORD = "correct horse 电池"


class NodeMissing(Exception):
    """node or npm is not installed (the reason to print when skipping)."""


def install_node_packages() -> None:
    """``npm install`` into ``tests/sync/pouch`` once (PouchDB, express-pouchdb)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise NodeMissing("node and npm are not installed; the PouchDB and hub tests need them")
    if (POUCH_DIR / "node_modules" / "express-pouchdb").exists():
        return
    result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], check=False,
                            cwd=POUCH_DIR, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"npm install of PouchDB failed:\n{result.stderr[-2000:]}")


@dataclass(frozen=True)
class StandInHub:
    port: int

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.root}/mishu"


@asynccontextmanager
async def stand_in_hub() -> AsyncIterator[StandInHub]:
    """A running hub with database ``mishu`` and user ``HUB_USER``; stopped on exit (its
    stdin closing ends it even if this process dies first)."""
    install_node_packages()
    process = await asyncio.create_subprocess_exec(
        "node", str(POUCH_DIR / "couch_hub.js"), HUB_USER, HUB_PASSWORD, "mishu",
        cwd=POUCH_DIR, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    try:
        assert process.stdout is not None and process.stdin is not None
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        if not line:
            assert process.stderr is not None
            raise RuntimeError(f"the stand-in hub did not start: {(await process.stderr.read())[-2000:]!r}")
        yield StandInHub(json.loads(line)["port"])
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()
