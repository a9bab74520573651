"""How long `mishu serve` takes to exit on SIGTERM while a peer holds a longpoll open on it.

A node that waits for its peers' longpolls (up to a minute each) before exiting makes a
laptop lid, a kiosk's PIN exit or a service restart hang; the target is under 2 s. Used by the
test suite (one run, checked for a clean exit) and by ``make chaos`` (the worst of 20 runs).
"""

from __future__ import annotations

import base64
import http.client
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .crash_loop import ROOT, free_port, wait_for_server

EXIT_DEADLINE = 20.0  # ten times the target: only a hang counts as failing to exit


@dataclass(frozen=True)
class ShutdownRun:
    seconds: float
    exit_code: int | None  # None: still running at the deadline (then killed)


def stop_with_longpoll(data_dir: Path) -> ShutdownRun:
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--data", str(data_dir), "serve",
         "--listen-local", f"127.0.0.1:{port}"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        password = wait_for_server(data_dir, port, child)
        auth = "Basic " + base64.b64encode(f"admin:{password}".encode()).decode()
        peer = http.client.HTTPConnection("127.0.0.1", port, timeout=EXIT_DEADLINE * 4)
        # the heartbeat makes the server send its headers at once: once they are read, the
        # longpoll is being held
        peer.request("GET", "/mishu/_changes?feed=longpoll&since=now&timeout=60000"
                     "&heartbeat=10000", headers={"Authorization": auth})
        response = peer.getresponse()
        started = time.monotonic()
        child.send_signal(signal.SIGTERM)
        try:
            code: int | None = child.wait(EXIT_DEADLINE)
        except subprocess.TimeoutExpired:
            code = None
        seconds = time.monotonic() - started
        response.close()
        peer.close()
        return ShutdownRun(seconds, code)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
