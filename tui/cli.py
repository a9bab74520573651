"""``mishu``: the console script. Parses arguments and config once, then hands off.

Each subcommand names its handler as ``module:function``; handlers are imported only when
their command runs, so ``mishu kiosk signin`` starts without loading the PDF or TLS code.
Exit codes: 0 ok, 1 user error (a clear message on stderr, details in the log), 2 usage.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, TextIO

from store import DocumentStore, StoreError

from .i18n import Translator
from .logging_setup import setup_logging
from .settings import Settings, load_settings

log = logging.getLogger("mishu")

DEFAULT_CONFIG = Path("config.toml")


@dataclass
class CliContext:
    settings: Settings
    i18n: Translator
    out: TextIO
    err: TextIO

    @contextmanager
    def open_store(self) -> Iterator[DocumentStore]:
        store = DocumentStore.open(self.settings.data_dir)
        try:
            yield store
        finally:
            store.close()


Handler = Callable[[CliContext, argparse.Namespace], int]


def _command(sub: argparse._SubParsersAction, name: str, handler: str, help_text: str
             ) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=handler)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mishu", description="Offline-first office software for a secretariat."
    )
    parser.add_argument("--config", type=Path, default=None, help="config file (config.toml)")
    parser.add_argument("--data", default=None, help="data directory (overrides config)")
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help="interface language")
    parser.set_defaults(handler="tui.cli_commands.secretary:run_secretary")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    kiosk = sub.add_parser("kiosk", help="run a locked-down kiosk").add_subparsers(
        dest="kiosk_command", required=True, metavar="KIOSK")
    signin = _command(kiosk, "signin", "kiosk.signin_app:run_signin_kiosk",
                      "meeting-room door sign-in kiosk")
    signin.add_argument("--meeting", default=None, help="meeting id to sign in to")
    _command(kiosk, "supplies", "kiosk.supplies_app:run_supplies_kiosk",
             "supply-room self-service kiosk (take, borrow, return)")
    _command(kiosk, "pin", "tui.cli_commands.kiosk_pin:make_pin_hash",
             "print the config.toml hash for a new admin PIN")

    serve = _command(sub, "serve", "tui.cli_commands.serve:serve", "run a headless sync node")
    serve.add_argument("--listen-local", default=None, metavar="127.0.0.1:PORT",
                       help="also serve plain HTTP with a password on this loopback address")

    cluster = sub.add_parser("cluster", help="create or join a cluster of nodes").add_subparsers(
        dest="cluster_command", required=True, metavar="ACTION")
    _command(cluster, "init", "tui.cli_commands.cluster:cluster_init", "create a new cluster")
    invite = _command(cluster, "invite", "tui.cli_commands.cluster:cluster_invite",
                      "print a one-time join bundle and its QR code")
    invite.add_argument("--address", default=None, help="address the new node should contact")
    join = _command(cluster, "join", "tui.cli_commands.cluster:cluster_join",
                    "join the cluster of an invite bundle")
    join.add_argument("bundle")
    _command(cluster, "status", "tui.cli_commands.cluster:cluster_status", "list known nodes")
    revoke = _command(cluster, "revoke", "tui.cli_commands.cluster:cluster_revoke",
                      "revoke a node's certificate for good (founder only)")
    revoke.add_argument("node")
    revoke.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    export_ca = _command(cluster, "export-ca", "tui.cli_commands.cluster:cluster_export_ca",
                         "write the CA key, encrypted with a passphrase (founder only)")
    export_ca.add_argument("file", type=Path)
    export_ca.add_argument("--yes", action="store_true", help="overwrite FILE without asking")
    import_ca = _command(cluster, "import-ca", "tui.cli_commands.cluster:cluster_import_ca",
                         "make this member a founder with an exported CA key")
    import_ca.add_argument("file", type=Path)

    bundle = sub.add_parser("bundle", help="carry the data on a USB stick (USB 数据包)"
                            ).add_subparsers(dest="bundle_command", required=True, metavar="ACTION")
    bundle_out = _command(bundle, "export", "tui.cli_commands.bundle:bundle_export",
                          "write every revision and scan to an encrypted, signed bundle "
                          "(导出加密并签名的数据包)")
    bundle_out.add_argument("file", type=Path)
    bundle_out.add_argument("--for", dest="for_node", default=None, metavar="NODE_ID",
                            help="only what that node has not pulled from here yet "
                                 "(只导出该节点尚未取得的部分)")
    bundle_out.add_argument("--yes", action="store_true", help="overwrite FILE without asking")
    bundle_in = _command(bundle, "import", "tui.cli_commands.bundle:bundle_import",
                         "apply a bundle from a member of this cluster, as a replication "
                         "(导入本集群成员的数据包)")
    bundle_in.add_argument("file", type=Path)

    importing = sub.add_parser("import", help="import data").add_subparsers(
        dest="import_command", required=True, metavar="WHAT")
    members = _command(importing, "members", "tui.cli_commands.members:import_members",
                       "import a member roster (CSV or XLSX)")
    members.add_argument("file", type=Path)
    members.add_argument("--skip-invalid", action="store_true",
                         help="import the good rows even if some rows are bad")

    export = sub.add_parser("export", help="export data").add_subparsers(
        dest="export_command", required=True, metavar="WHAT")
    attendance = _command(export, "attendance", "tui.cli_commands.meetings:export_attendance",
                          "export a meeting's attendance")
    attendance.add_argument("meeting")
    attendance.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    attendance.add_argument("--out", type=Path, default=None)
    bookings = _command(export, "bookings", "tui.cli_commands.bookings:export_bookings",
                        "export bookings as an iCalendar file")
    bookings.add_argument("--ics", type=Path, required=True, metavar="FILE")
    bookings.add_argument("--room", default=None)
    bookings.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD")
    bookings.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD")

    badges = _command(sub, "badges", "tui.cli_commands.meetings:print_badges",
                      "printable member QR badges")
    badges.add_argument("--out", type=Path, required=True)
    labels = _command(sub, "labels", "tui.cli_commands.supplies:print_labels",
                      "printable QR label sheets for assets or consumables")
    labels.add_argument("kind", choices=("assets", "items"))
    labels.add_argument("--out", type=Path, required=True, help="FILE.pdf or FILE.png")
    labels.add_argument("--columns", type=int, default=None, help="labels across (config: 3)")
    labels.add_argument("--rows", type=int, default=None, help="labels down (config: 8)")

    _command(sub, "demo", "tui.cli_commands.demo:fill_demo_office", "fill a sample office")
    return parser


def resolve_handler(spec: str) -> Handler:
    module_name, function = spec.split(":")
    return getattr(importlib.import_module(module_name), function)  # type: ignore[no-any-return]


def _check_data_dir(path: Path) -> None:
    """A data directory that is a file (``--data README.md``) is named as such, before the
    log or the store trip over it with a less clear error."""
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    # the settings' language is not known yet: --lang, or what LANG asks for
    early = Translator(Settings().with_overrides(language=args.lang).language())
    if args.config is not None and not args.config.is_file():
        print(early("error.config_missing", path=args.config), file=err)
        return 2  # a usage error: running on ./data instead would surprise
    config_path = args.config if args.config is not None else DEFAULT_CONFIG
    try:
        settings = load_settings(config_path).with_overrides(data_dir=args.data,
                                                              language=args.lang)
    except (StoreError, OSError) as error:
        print(early.error(error), file=err)
        return 1
    i18n = Translator(settings.language())
    try:
        _check_data_dir(settings.data_dir)
        setup_logging(settings.data_dir, settings.general.log_level)
    except OSError as error:  # no log to write to: the message is all there is
        print(i18n.error(error), file=err)
        return 1
    ctx = CliContext(settings=settings, i18n=i18n, out=out, err=err)
    try:
        return resolve_handler(args.handler)(ctx, args)
    except StoreError as error:
        log.info("refused: %s", error)
        print(i18n.error(error), file=err)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as error:  # a file that cannot be read or written: the message names it
        log.warning("command failed on a file", exc_info=True)
        print(i18n.error(error), file=err)
        return 1
    except Exception as error:
        log.exception("command failed")
        print(i18n.error(error), file=err)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
