"""Kill a writer with SIGKILL at random instants; verify every acknowledged write survived.

Used by the test suite (a short run) and by ``make chaos`` (200 kills). A write counts as
kept when the acknowledged revision is in the document's revision tree and either is the
current winner with exactly the acknowledged content, or is an ancestor of the winner (a later
write that was made but not yet acknowledged when the kill came).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store import DocumentStore, NotFound, StoreError
from store.docstore import STORE_DIR

ROOT = Path(__file__).resolve().parent.parent
KILL = getattr(signal, "SIGKILL", signal.SIGTERM)  # Windows: SIGTERM is TerminateProcess, as abrupt


@dataclass
class CrashReport:
    kills: int = 0
    acknowledged: int = 0
    lost: int = 0
    corrupt_stores: int = 0
    failures: list[str] = field(default_factory=list)
    during_compaction: int = 0  # kills that found a background compaction under way


def _run_once(data_dir: Path, seed: int, rng: random.Random, acked: dict[str, dict[str, Any]]
              ) -> int:
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.crash_writer", str(data_dir), "--seed", str(seed)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
    )
    assert child.stdout is not None
    ready = child.stdout.readline()
    if ready.strip() != "ready":
        child.kill()
        raise RuntimeError(f"writer did not start: {ready!r} {child.stderr.read() if child.stderr else ''}")
    time.sleep(rng.uniform(0.005, 0.25))
    os.kill(child.pid, KILL)
    child.wait()
    count = 0
    for line in child.stdout.read().splitlines():
        try:
            ack = json.loads(line)
        except json.JSONDecodeError:
            continue  # the kill cut the line being printed: that write was never acknowledged
        acked[ack["id"]] = ack
        count += 1
    child.stdout.close()
    if child.stderr is not None:
        child.stderr.close()
    return count


def _verify(store: DocumentStore, acked: dict[str, dict[str, Any]]) -> list[str]:
    lost = []
    for doc_id, ack in acked.items():
        try:
            tree = store.revision_tree(doc_id)
        except NotFound:
            lost.append(f"{doc_id}: missing entirely")
            continue
        if ack["rev"] not in tree:
            lost.append(f"{doc_id}: revision {ack['rev']} missing")
            continue
        winner = store.all_docs(keys=[doc_id])[0]["value"]["rev"]
        if winner == ack["rev"]:
            current = store.get_or_none(doc_id)
            body = None if current is None else {k: v for k, v in current.items()
                                                 if not k.startswith("_")}
            if body != ack["body"]:
                lost.append(f"{doc_id}: content differs at {winner}")
        elif ack["rev"] not in _ancestors(tree, winner):
            lost.append(f"{doc_id}: {ack['rev']} is not an ancestor of {winner}")
    return lost


def _compaction_under_way(data_dir: Path) -> bool:
    """Two journal generations on disk: the writer had switched, the snapshot was not done."""
    return len(list((data_dir / STORE_DIR).glob("journal-*"))) > 1


def _ancestors(tree: dict[str, Any], rev: str) -> set[str]:
    seen = set()
    current = tree[rev].parent
    while current is not None and current in tree:
        seen.add(current)
        current = tree[current].parent
    return seen


Round = Callable[[Path, random.Random, dict[str, dict[str, Any]], int], int]


def _rounds(data_dir: Path, kills: int, seed: int, one_round: Round) -> CrashReport:
    """Run ``one_round`` (write, get killed) ``kills`` times; verify after every kill."""
    rng = random.Random(seed)
    report = CrashReport()
    acked: dict[str, dict[str, Any]] = {}
    for round_number in range(kills):
        report.acknowledged += one_round(data_dir, rng, acked, round_number)
        report.kills += 1
        report.during_compaction += _compaction_under_way(data_dir)
        try:
            with DocumentStore.open(data_dir) as store:
                lost = _verify(store, acked)
        except StoreError as error:
            report.corrupt_stores += 1
            report.failures.append(f"round {round_number}: store did not open: {error}")
            break
        report.lost += len(lost)
        report.failures.extend(f"round {round_number}: {line}" for line in lost[:5])
    return report


def _store_api_round(data_dir: Path, rng: random.Random, acked: dict[str, dict[str, Any]],
                     round_number: int) -> int:
    return _run_once(data_dir, rng.randrange(1 << 30) * 1000 + round_number, rng, acked)


def crash_loop(data_dir: Path, kills: int, seed: int) -> CrashReport:
    """Writes through the store API in a child process, killed at random instants."""
    return _rounds(data_dir, kills, seed, _store_api_round)

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_server(data_dir: Path, port: int, child: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 30
    secret = data_dir / "local-admin.secret"
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"mishu serve exited: {child.stderr.read() if child.stderr else ''}")
        if secret.exists():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return secret.read_text().strip()
            except OSError:
                pass
        time.sleep(0.05)
    raise RuntimeError("mishu serve did not start listening")


def _http_round(data_dir: Path, rng: random.Random, acked: dict[str, dict[str, Any]],
                round_number: int) -> int:
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--data", str(data_dir), "serve",
         "--listen-local", f"127.0.0.1:{port}"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    password = wait_for_server(data_dir, port, child)
    auth = "Basic " + base64.b64encode(f"admin:{password}".encode()).decode()
    # the kill comes at a random instant after the first acknowledged batch, so every round
    # really interrupts writes in flight, however slow the machine is today
    killer = threading.Timer(rng.uniform(0.02, 0.5), os.kill, (child.pid, KILL))
    count = 0
    serial = 0
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while True:
            serial += 1
            docs = [{"_id": f"loan:http-{round_number}-{serial}-{n}", "asset": n, "member": "李四"}
                    for n in range(rng.randint(1, 30))]
            connection.request("POST", "/mishu/_bulk_docs", json.dumps({"docs": docs}),
                               {"Content-Type": "application/json", "Authorization": auth})
            response = connection.getresponse()
            results = json.loads(response.read())
            if response.status != 201:
                raise RuntimeError(f"_bulk_docs answered {response.status}: {results}")
            for doc, result in zip(docs, results):
                acked[doc["_id"]] = {"id": doc["_id"], "rev": result["rev"],
                                     "body": {k: v for k, v in doc.items() if k != "_id"}}
                count += 1
            if killer.ident is None:
                killer.start()
    except (OSError, http.client.HTTPException, ValueError):
        pass  # the server was killed mid-request: that batch was never acknowledged
    finally:
        if killer.ident is None:
            os.kill(child.pid, KILL)  # it failed before the first acknowledged batch
        else:
            killer.join()
        child.wait()
        if child.stderr is not None:
            child.stderr.close()
    return count


def http_crash_loop(data_dir: Path, kills: int, seed: int) -> CrashReport:
    """The same promise through `mishu serve`: every 201 from _bulk_docs survives SIGKILL."""
    return _rounds(data_dir, kills, seed, _http_round)
