"""``mishu cluster revoke|export-ca|import-ca`` as a user runs them, in both languages."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest

from store import DocumentStore
from sync.pki import Cluster, load_cluster, make_csr, sign_csr, write_node_files
from sync.revocation import TrustLedger, open_ledger, register_node
from tests.tui.cli_runner import run
from tests.tui.test_hub_settings import config_with_hub
from tui.cli import main

PASSPHRASE = "correct horse battery"


def founded(data: Path) -> Cluster:
    code, _out, err = run(data, "cluster", "init")
    assert code == 0, err
    cluster = load_cluster(data)
    assert cluster is not None
    return cluster


def member_of(founder: Cluster, data: Path, name: str) -> Cluster:
    """A joined member (what ``cluster join`` leaves behind), its membership published."""
    key, csr = make_csr(name)
    member = write_node_files(data, founder.ca_cert, key,
                              sign_csr(founder.ca_key(), founder.ca_cert, csr, name))
    with DocumentStore.open(founder.directory.parent) as store:
        register_node(store, member.node_cert)
    return member


def answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_revoke_asks_first_and_only_yes_revokes(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    founder = founded(tmp_path / "founder")
    member_of(founder, tmp_path / "kiosk", "kiosk-door")
    answer(monkeypatch, "\n")
    code, out, err = run(tmp_path / "founder", "--lang", "en", "cluster", "revoke", "kiosk-door")
    assert code == 1
    assert "Revoke node kiosk-door" in err and "cannot be undone" in err and "[y/N]" in err
    assert "Nothing was changed" in err
    answer(monkeypatch, "y\n")
    code, out, err = run(tmp_path / "founder", "--lang", "zh", "cluster", "revoke", "kiosk-door")
    assert code == 0, err
    assert "吊销节点 kiosk-door" in err and "无法撤销" in err and "已被永久吊销" in out
    code, out, _err = run(tmp_path / "founder", "--lang", "en", "cluster", "status")
    assert "kiosk-door" in out and "revoked" in out


def test_only_a_founder_revokes_until_the_ca_key_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    founder = founded(tmp_path / "founder")
    member = member_of(founder, tmp_path / "laptop", "laptop-2")
    kiosk = member_of(founder, tmp_path / "kiosk", "kiosk-door")
    with DocumentStore.open(tmp_path / "laptop") as store:  # as replication brings it
        register_node(store, kiosk.node_cert)
    code, _out, err = run(tmp_path / "laptop", "--lang", "en", "cluster", "revoke",
                          "kiosk-door", "--yes")
    assert code == 1 and "Only a founder" in err
    monkeypatch.setenv("MISHU_CA_PASSPHRASE", PASSPHRASE)
    backup = tmp_path / "usb" / "ca-backup.json"
    backup.parent.mkdir()
    code, out, err = run(tmp_path / "founder", "--lang", "zh", "cluster", "export-ca", str(backup))
    assert code == 0, err
    assert "口令加密" in out
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" not in backup.read_bytes()

    monkeypatch.setenv("MISHU_CA_PASSPHRASE", "not the passphrase")
    code, _out, err = run(tmp_path / "laptop", "--lang", "en", "cluster", "import-ca", str(backup))
    assert code == 1 and "Wrong passphrase" in err
    assert not member.holds_ca_key
    stranger = founded(tmp_path / "stranger")
    monkeypatch.setenv("MISHU_CA_PASSPHRASE", PASSPHRASE)
    code, _out, err = run(tmp_path / "stranger", "--lang", "en", "cluster", "import-ca", str(backup))
    assert code == 1 and "another cluster" in err
    assert stranger.ca_key() is not None  # its own key untouched

    code, out, err = run(tmp_path / "laptop", "--lang", "en", "cluster", "import-ca", str(backup))
    assert code == 0, err
    assert "laptop-2 now holds the CA key" in out
    assert member.holds_ca_key
    assert stat.S_IMODE((member.directory / "ca.key").stat().st_mode) == 0o600
    code, _out, err = run(tmp_path / "laptop", "--lang", "en", "cluster", "revoke",
                          "kiosk-door", "--yes")
    assert code == 0, err
    with DocumentStore.open(tmp_path / "laptop") as store:  # the new founder's signature holds
        revocation = next(store.iter_docs("clusterrevoked"))
    with DocumentStore.open(tmp_path / "founder") as store:
        ledger = open_ledger(store, founder)
        store.put({"_id": revocation["_id"], "crl": revocation["crl"]})
        assert [node.name for node in ledger.nodes() if node.revoked] == ["kiosk-door"]


def test_export_never_overwrites_without_asking(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    founded(tmp_path / "founder")
    monkeypatch.setenv("MISHU_CA_PASSPHRASE", PASSPHRASE)
    target = tmp_path / "notes.txt"
    target.write_text("keep me")
    answer(monkeypatch, "n\n")
    code, _out, err = run(tmp_path / "founder", "--lang", "en", "cluster", "export-ca", str(target))
    assert code == 1 and "exists. Overwrite it?" in err
    assert target.read_text() == "keep me"
    monkeypatch.setenv("MISHU_CA_PASSPHRASE", "short")
    code, _out, err = run(tmp_path / "founder", "--lang", "zh", "cluster", "export-ca",
                          str(tmp_path / "new.json"))
    assert code == 1 and "至少需要 8 个字符" in err
    assert not (tmp_path / "new.json").exists()


def test_a_damaged_trust_file_is_rebuilt_from_the_records(tmp_path: Path) -> None:
    founder = founded(tmp_path / "founder")
    (founder.directory / "trust.json").write_text("{not json")
    with DocumentStore.open(tmp_path / "founder") as store:
        ledger = open_ledger(store, founder)
        assert [node.name for node in ledger.nodes()] == [founder.node_name]
    assert TrustLedger.for_cluster(founder).nodes()[0].name == founder.node_name



def test_revoking_a_node_of_an_office_with_a_hub_says_to_change_the_hub_password(
        tmp_path: Path) -> None:
    """The nodes refuse what the revoked one signs, but it still knows the hub password."""
    founder = founded(tmp_path / "founder")
    member_of(founder, tmp_path / "laptop", "laptop-lost")
    config = config_with_hub(tmp_path, 0o600)
    said = {}
    for lang in ("en", "zh"):  # the second time it is revoked already: the advice stands
        out, err = io.StringIO(), io.StringIO()
        code = main(["--config", str(config), "--data", str(tmp_path / "founder"), "--lang",
                     lang, "cluster", "revoke", "laptop-lost", "--yes"], out=out, err=err)
        assert code == 0, err.getvalue()
        said[lang] = out.getvalue()
    assert "laptop-lost is revoked" in said["en"] and "已被吊销" in said["zh"]
    assert "change the password of the hub's CouchDB user" in said["en"]
    assert "请在枢纽上修改该 CouchDB 用户的密码" in said["zh"]
    assert all("couch.example.edu:6984/mishu" in text for text in said.values())
