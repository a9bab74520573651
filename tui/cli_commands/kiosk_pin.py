"""``mishu kiosk pin``: turn a new admin PIN into the hash config.toml stores."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from store.kiosk_pin import DEFAULT_PIN, hash_pin

if TYPE_CHECKING:
    from ..cli import CliContext


def make_pin_hash(cli: CliContext, args: argparse.Namespace) -> int:
    t = cli.i18n
    if sys.stdin.isatty():
        pin = getpass.getpass(t("kiosk_pin.prompt"))
    else:
        pin = sys.stdin.readline().strip()
    if not pin.isdigit() or len(pin) < 4:
        print(t("kiosk_pin.too_short"), file=cli.err)
        return 1
    if pin == DEFAULT_PIN:
        print(t("kiosk_pin.is_default"), file=cli.err)
        return 1
    print(t("kiosk_pin.paste"), file=cli.err)
    print(f'admin_pin_hash = "{hash_pin(pin)}"', file=cli.out)
    return 0
