"""The peer panel lists a hub as a hub, and says in the reader's language why it fails."""

from __future__ import annotations

from collections.abc import Callable

from sync.pull import PeerStatus
from tui.context import AppContext
from tui.dashboard_panels import sync_peers

HUB = PeerStatus("https://couch.example.edu:6984/mishu", state="failing", kind="hub",
                 last_error="Unauthorized: GET answered 401", problem="unauthorized")


def test_a_hub_refusing_the_password_is_named_in_both_languages(
        make_ctx: Callable[..., AppContext]) -> None:
    for language, name, reason in (
            ("zh", "枢纽 couch.example.edu:6984/mishu", "密码被拒绝"),
            ("en", "hub couch.example.edu:6984/mishu", "password refused")):
        ctx = make_ctx(language=language)
        ctx.sync_peers = lambda: [HUB]
        [line] = sync_peers(ctx)
        assert line.cells[0] == name and reason in line.cells[4] and line.urgent
