"""Two `mishu serve` processes on two "hosts" find each other by zeroconf alone and converge.

The hosts are Linux network namespaces joined by a veth pair (veth carries multicast; the
loopback interface does not, so two processes on 127.0.0.1 would prove nothing). Needs root
for `ip netns`; skipped with the reason printed otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from store import DocumentStore
from sync.pki import init_cluster, make_csr, sign_csr, write_node_files

ROOT = Path(__file__).resolve().parents[2]
MISHU = [sys.executable, "-m", "tui.cli"]
LOCAL_PORT = 5984


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=30)


@pytest.fixture
def two_hosts():
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.skip("network namespaces need root and iproute2 (`ip`); not available here")
    tag = uuid.uuid4().hex[:6]
    hosts = [f"mishu-a-{tag}", f"mishu-b-{tag}"]
    veths = [f"va{tag}", f"vb{tag}"]
    created = []
    try:
        for host in hosts:
            result = run("ip", "netns", "add", host)
            if result.returncode != 0:
                pytest.skip(f"cannot create a network namespace: {result.stderr.strip()}")
            created.append(host)
        steps = [
            ("ip", "link", "add", veths[0], "type", "veth", "peer", "name", veths[1]),
            ("ip", "link", "set", veths[0], "netns", hosts[0]),
            ("ip", "link", "set", veths[1], "netns", hosts[1]),
            ("ip", "-n", hosts[0], "addr", "add", "10.231.0.1/24", "dev", veths[0]),
            ("ip", "-n", hosts[1], "addr", "add", "10.231.0.2/24", "dev", veths[1]),
            ("ip", "-n", hosts[0], "link", "set", veths[0], "up", "multicast", "on"),
            ("ip", "-n", hosts[1], "link", "set", veths[1], "up", "multicast", "on"),
            ("ip", "-n", hosts[0], "link", "set", "lo", "up"),
            ("ip", "-n", hosts[1], "link", "set", "lo", "up"),
            ("ip", "-n", hosts[0], "route", "add", "224.0.0.0/4", "dev", veths[0]),
            ("ip", "-n", hosts[1], "route", "add", "224.0.0.0/4", "dev", veths[1]),
        ]
        for step in steps:
            result = run(*step)
            if result.returncode != 0:
                pytest.skip(f"cannot set up the veth link ({' '.join(step)}): {result.stderr}")
        yield hosts
    finally:
        for host in created:
            run("ip", "netns", "delete", host)


def prepare_node(base: Path, name: str, ca, ca_key) -> Path:  # type: ignore[no-untyped-def]
    data = base / name
    key, csr = make_csr(name)
    write_node_files(data, ca, key, sign_csr(ca_key, ca, csr, name))
    config = base / f"{name}.toml"
    config.write_text(f'[general]\nnode_name = "{name}"\n[sync]\nlisten_port = 6984\n'
                      f'discovery = true\nstatic_peers = []\nlisten_local = "127.0.0.1:{LOCAL_PORT}"\n',
                      encoding="utf-8")
    with DocumentStore.open(data) as store:
        store.bulk_put([{"_id": f"signin:{name}:{n}", "by": name, "n": n} for n in range(25)])
    return data


def count_in(host: str, data: Path) -> int:
    """Ask the node inside ``host`` through its loopback listener (only reachable from there)."""
    secret = data / "local-admin.secret"
    if not secret.exists():
        return -1  # the node has not started yet
    password = secret.read_text().strip()
    probe = ("import base64, json, urllib.request\n"
             f"r = urllib.request.Request('http://127.0.0.1:{LOCAL_PORT}/mishu')\n"
             f"r.add_header('Authorization', 'Basic ' + base64.b64encode(b'admin:{password}').decode())\n"
             "print(json.load(urllib.request.urlopen(r, timeout=5))['doc_count'])\n")
    result = run("ip", "netns", "exec", host, sys.executable, "-c", probe)
    return int(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else -1


EXPECTED = 2 * 25 + 2  # the sign-ins, and each node's membership record (its certificate)


def test_two_hosts_discover_each_other_and_converge(tmp_path: Path, two_hosts: list[str]) -> None:
    cluster = init_cluster(tmp_path / "founder", "founder")
    ca, ca_key = cluster.ca_cert, cluster.ca_key()
    datas = [prepare_node(tmp_path, f"node{i}", ca, ca_key) for i in range(2)]
    processes = []
    try:
        for host, data in zip(two_hosts, datas):
            processes.append(subprocess.Popen(
                ["ip", "netns", "exec", host, *MISHU, "--config", str(tmp_path / f"{data.name}.toml"),
                 "--data", str(data), "serve"],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        deadline = time.monotonic() + 60
        counts = [0, 0]
        while time.monotonic() < deadline:
            counts = [count_in(host, data) for host, data in zip(two_hosts, datas)]
            if counts == [EXPECTED, EXPECTED]:
                break
            time.sleep(0.5)
        logs = "\n".join((data / "logs" / "mishu.log").read_text(encoding="utf-8")[-1500:]
                         for data in datas if (data / "logs" / "mishu.log").exists())
        assert counts == [EXPECTED, EXPECTED], f"not converged: {counts}\n{logs}"
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        outputs = [process.communicate(timeout=30) for process in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err[-2000:]
        assert "Stopped" in out
    states = []
    for data in datas:
        with DocumentStore.open(data) as store:
            states.append(json.dumps([(r["id"], r["value"]["rev"]) for r in store.all_docs()]))
    assert states[0] == states[1]
