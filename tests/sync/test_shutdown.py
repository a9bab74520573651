"""`mishu serve` exits promptly and cleanly on SIGTERM while a peer holds a longpoll."""

from __future__ import annotations

from pathlib import Path

from bench.shutdown import stop_with_longpoll


def test_sigterm_with_a_longpoll_held_exits_cleanly(tmp_path: Path) -> None:
    run = stop_with_longpoll(tmp_path / "node")
    assert run.exit_code == 0, f"mishu serve did not exit cleanly ({run})"
