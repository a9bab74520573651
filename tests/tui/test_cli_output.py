"""The command line prints data without terminal codes: a node name that would clear the screen
and retitle the window is shown as its plain characters."""

from __future__ import annotations

import io
from pathlib import Path

from store import DocumentStore
from tui.cli import main
from tui.plain_text import PLAIN_LENGTH, plain, printable

HOSTILE_NODE = "\x1b[2J\x1b]0;owned\x07door\x1b[31m[red]\r\x9b1m"


def test_printable_drops_escape_sequences_and_controls() -> None:
    assert printable(HOSTILE_NODE) == "door[red]"
    assert printable("a\tb\nc\x00d\x7f\u202egnp.exe") == "a\tb\ncdgnp.exe"
    assert printable("第一行\n第二行", newlines=False) == "第一行 第二行"


def test_cluster_status_strips_terminal_codes_from_node_names(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = tmp_path / "config.toml"
    config.write_text('[general]\nnode_name = "\\u001b[2J\\u001b]0;owned\\u0007door'
                      '\\u001b[31m[red]\\r"\n', encoding="utf-8")

    def mishu(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(["--config", str(config), "--data", str(data), "--lang", "en", *args],
                    out=out, err=err)
        return code, out.getvalue(), err.getvalue()

    assert mishu("cluster", "init")[0] == 0
    store = DocumentStore.open(data)
    store.put({"_id": "clusternode:abc123", "name": HOSTILE_NODE, "serial": "abc123",
               "issued_at": "2026-11-25T09:30\x1b[8m"})
    store.put({"_id": "clusternode:def456", "name": "名" * 1_000_000, "serial": "def456",
               "issued_at": "2026-11-25T09:31"})
    store.close()
    code, out, err = mishu("cluster", "status")
    assert code == 0, err
    assert "door[red]" in out
    assert max(len(line) for line in out.splitlines()) < 100
    for control in ("\x1b", "\x07", "\r", "\x9b"):
        assert control not in out and control not in err
    code, out, err = mishu("cluster", "revoke", "nobody\x1b[2J")
    assert code == 1 and "\x1b" not in err and "nobody" in err


def test_plain_cuts_a_megabyte_for_a_detail_view() -> None:
    shown = plain("张" * 1_000_000)
    assert len(shown.plain) == PLAIN_LENGTH + 1 and shown.plain.endswith("…")
