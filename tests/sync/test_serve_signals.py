"""``mishu serve`` stops cleanly on Ctrl+C on every platform.

Windows' default event loop has no ``add_signal_handler`` (it raises NotImplementedError);
there the node must stop through the console's SIGINT instead. Both paths are chosen by the
store's platform mode and driven here by a real signal to this process.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

import pytest

from store import DocumentStore
from store.platform import Kind, Platform
from sync.hosting import NodeSettings, SyncNode, serve_until_signalled


def windows_loop(loop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch) -> None:
    def unsupported(*args: object) -> None:
        raise NotImplementedError  # as asyncio's ProactorEventLoop does

    monkeypatch.setattr(loop, "add_signal_handler", unsupported)


@pytest.mark.parametrize("kind, signum", [(Kind.LINUX, signal.SIGTERM), (Kind.MACOS, signal.SIGINT),
                                          (Kind.WINDOWS, signal.SIGINT)])
async def test_serve_stops_cleanly_on_the_platforms_stop_signal(
        kind: Kind, signum: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.platform == "win32" and kind is not Kind.WINDOWS:
        pytest.skip("Windows' event loop has no add_signal_handler: only its own path runs there")
    loop = asyncio.get_running_loop()
    if kind is Kind.WINDOWS:
        windows_loop(loop, monkeypatch)
    before = signal.getsignal(signal.SIGINT)
    with DocumentStore.open(tmp_path, platform=Platform(kind)) as store:
        node = SyncNode(store, NodeSettings(listen_host="127.0.0.1", listen_port=0,
                                            discovery=False))
        serving = asyncio.create_task(serve_until_signalled(node))
        deadline = time.monotonic() + 10
        while node.port == 0:
            assert time.monotonic() < deadline and not serving.done(), "node did not start"
            await asyncio.sleep(0.01)
        port = node.port
        signal.raise_signal(signum)
        await asyncio.wait_for(serving, 10)  # returned normally: no KeyboardInterrupt
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)
    assert signal.getsignal(signal.SIGINT) == before
