"""``[[sync.hubs]]`` is read once at start: a hub password file others can read is refused
with a message in both languages naming the fix; a good one becomes the node's hub settings."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tui.cli import main
from tui.settings import load_settings

HUB = """
[sync]
discovery = false
[[sync.hubs]]
url = "https://couch.example.edu:6984/mishu"
user = "mishu"
password_file = "{secret}"
"""


def config_with_hub(tmp_path: Path, mode: int) -> Path:
    secret = tmp_path / "hub-password"
    secret.write_text("s3cret 密码\n", encoding="utf-8")
    secret.chmod(mode)
    config = tmp_path / "config.toml"
    config.write_text(HUB.format(secret=secret), encoding="utf-8")
    return config


def test_a_private_password_file_gives_the_hub_its_settings(tmp_path: Path) -> None:
    [hub] = load_settings(config_with_hub(tmp_path, 0o600)).sync.hubs
    assert (hub.url, hub.user, hub.password) == ("https://couch.example.edu:6984/mishu",
                                                 "mishu", "s3cret 密码")
    assert "s3cret" not in repr(hub)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows uses ACLs")
@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "其他用户也能读取（权限 0o644）。请运行 `chmod 600"),
    ("en", "can be read by others (mode 0o644); run `chmod 600"),
])
def test_a_password_file_others_can_read_is_refused_in_both_languages(
        tmp_path: Path, lang: str, expected: str) -> None:
    config = config_with_hub(tmp_path, 0o644)
    out, err = io.StringIO(), io.StringIO()
    code = main(["--config", str(config), "--data", str(tmp_path / "data"), "--lang", lang,
                 "demo"], out=out, err=err)
    assert code == 1 and expected in err.getvalue() and "Traceback" not in err.getvalue()


def test_the_commented_example_in_the_shipped_config_works_once_uncommented(
        tmp_path: Path) -> None:
    shipped = (Path(__file__).resolve().parents[2] / "config.toml").read_text(encoding="utf-8")
    secret = tmp_path / "hub-password"
    secret.write_text("s3cret\n", encoding="utf-8")
    secret.chmod(0o600)
    example = shipped.replace("# [[sync.hubs]]", "[[sync.hubs]]").replace(
        '# url = ', 'url = ').replace('# user = ', 'user = ').replace(
        '# password_file = "/etc/mishu/hub-password"', f'password_file = "{secret}"').replace(
        '# ca_file = ""', 'ca_file = ""')
    config = tmp_path / "config.toml"
    config.write_text(example, encoding="utf-8")
    [hub] = load_settings(config).sync.hubs
    assert hub.url == "https://couch.example.edu:6984/mishu" and hub.password == "s3cret"
    assert load_settings(Path(__file__).resolve().parents[2] / "config.toml").sync.hubs == ()
