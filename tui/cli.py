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

from .cli_parser import TranslatedParser
from .i18n import LANGUAGES, Translator, in_both_languages
from .logging_setup import setup_logging
from .plain_text import PrintableStream
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


def build_parser(t: Translator) -> argparse.ArgumentParser:
    parser = TranslatedParser(prog="mishu", description=t("cli.description"), translator=t)
    parser.add_argument("--config", type=Path, default=None, help=t("cli.config"))
    parser.add_argument("--data", default=None, help=t("cli.data"))
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=t("cli.lang"))
    parser.set_defaults(handler="tui.cli_commands.secretary:run_secretary")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    kiosk = sub.add_parser("kiosk", help=t("cli.kiosk")).add_subparsers(
        dest="kiosk_command", required=True, metavar="KIOSK")
    signin = _command(kiosk, "signin", "kiosk.signin_app:run_signin_kiosk", t("cli.kiosk_signin"))
    signin.add_argument("--meeting", default=None, help=t("cli.kiosk_meeting"))
    _command(kiosk, "supplies", "kiosk.supplies_app:run_supplies_kiosk", t("cli.kiosk_supplies"))
    room = _command(kiosk, "room", "kiosk.room_app:run_room_kiosk", t("cli.kiosk_room"))
    room.add_argument("room", metavar="ROOM", help=t("cli.kiosk_room_name"))
    _command(kiosk, "survey", "kiosk.survey_app:run_survey_kiosk", t("cli.kiosk_survey"))
    _command(kiosk, "pin", "tui.cli_commands.kiosk_pin:make_pin_hash", t("cli.kiosk_pin"))

    serve = _command(sub, "serve", "tui.cli_commands.serve:serve", t("cli.serve"))
    serve.add_argument("--listen-local", default=None, metavar="127.0.0.1:PORT",
                       help=t("cli.listen_local"))

    cluster = sub.add_parser("cluster", help=t("cli.cluster")).add_subparsers(
        dest="cluster_command", required=True, metavar="ACTION")
    _command(cluster, "init", "tui.cli_commands.cluster:cluster_init", t("cli.cluster_init"))
    invite = _command(cluster, "invite", "tui.cli_commands.cluster:cluster_invite",
                      t("cli.cluster_invite"))
    invite.add_argument("--address", default=None, help=t("cli.invite_address"))
    join = _command(cluster, "join", "tui.cli_commands.cluster:cluster_join", t("cli.cluster_join"))
    join.add_argument("bundle", help=t("cli.bundle"))
    _command(cluster, "status", "tui.cli_commands.cluster:cluster_status", t("cli.cluster_status"))
    revoke = _command(cluster, "revoke", "tui.cli_commands.cluster:cluster_revoke",
                      t("cli.cluster_revoke"))
    revoke.add_argument("node", help=t("cli.node"))
    revoke.add_argument("--yes", action="store_true", help=t("cli.yes_ask"))
    export_ca = _command(cluster, "export-ca", "tui.cli_commands.cluster:cluster_export_ca",
                         t("cli.export_ca"))
    export_ca.add_argument("file", type=Path, help=t("cli.ca_file"))
    export_ca.add_argument("--yes", action="store_true", help=t("cli.yes_overwrite"))
    import_ca = _command(cluster, "import-ca", "tui.cli_commands.cluster:cluster_import_ca",
                         t("cli.import_ca"))
    import_ca.add_argument("file", type=Path, help=t("cli.ca_file"))

    bundle = sub.add_parser("bundle", help=t("cli.bundle_usb")
                            ).add_subparsers(dest="bundle_command", required=True, metavar="ACTION")
    bundle_out = _command(bundle, "export", "tui.cli_commands.bundle:bundle_export",
                          t("cli.bundle_export"))
    bundle_out.add_argument("file", type=Path, help=t("cli.bundle_file"))
    bundle_out.add_argument("--for", dest="for_node", default=None, metavar="NODE_ID",
                            help=t("cli.bundle_for"))
    bundle_out.add_argument("--yes", action="store_true", help=t("cli.yes_overwrite"))
    bundle_in = _command(bundle, "import", "tui.cli_commands.bundle:bundle_import",
                         t("cli.bundle_import"))
    bundle_in.add_argument("file", type=Path, help=t("cli.bundle_file"))

    importing = sub.add_parser("import", help=t("cli.import")).add_subparsers(
        dest="import_command", required=True, metavar="WHAT")
    members = _command(importing, "members", "tui.cli_commands.members:import_members",
                       t("cli.import_members"))
    members.add_argument("file", type=Path, help=t("cli.roster_file"))
    members.add_argument("--skip-invalid", action="store_true", help=t("cli.skip_invalid"))

    export = sub.add_parser("export", help=t("cli.export")).add_subparsers(
        dest="export_command", required=True, metavar="WHAT")
    attendance = _command(export, "attendance", "tui.cli_commands.meetings:export_attendance",
                          t("cli.export_attendance"))
    attendance.add_argument("meeting", help=t("cli.meeting"))
    attendance.add_argument("--format", choices=("csv", "xlsx"), default="csv",
                            help=t("cli.format"))
    attendance.add_argument("--out", type=Path, default=None, metavar="FILE",
                            help=t("cli.out"))
    bookings = _command(export, "bookings", "tui.cli_commands.bookings:export_bookings",
                        t("cli.export_bookings"))
    bookings.add_argument("--ics", type=Path, required=True, metavar="FILE",
                          help=t("cli.ics"))
    bookings.add_argument("--room", default=None, help=t("cli.room"))
    bookings.add_argument("--from", dest="date_from", default=None, metavar="YYYY-MM-DD",
                          help=t("cli.date_from"))
    bookings.add_argument("--to", dest="date_to", default=None, metavar="YYYY-MM-DD",
                          help=t("cli.date_to"))

    badges = _command(sub, "badges", "tui.cli_commands.meetings:print_badges", t("cli.badges"))
    badges.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help=t("cli.sheet_out"))
    labels = _command(sub, "labels", "tui.cli_commands.supplies:print_labels", t("cli.labels"))
    labels.add_argument("kind", choices=("assets", "items"), help=t("cli.kind"))
    labels.add_argument("--out", type=Path, required=True, metavar="FILE",
                        help=t("cli.sheet_out"))
    labels.add_argument("--columns", type=int, default=None, help=t("cli.columns"))
    labels.add_argument("--rows", type=int, default=None, help=t("cli.rows"))

    _command(sub, "demo", "tui.cli_commands.demo:fill_demo_office", t("cli.demo"))
    return parser


def early_translator(argv: Sequence[str]) -> Translator:
    """The language before the config is read: ``--lang``, else what LANG asks for."""
    peek = argparse.ArgumentParser(add_help=False)
    peek.add_argument("--lang", default=None)
    language = peek.parse_known_args(argv)[0].lang
    return Translator(Settings().with_overrides(
        language=language if language in LANGUAGES else None).language())


def resolve_handler(spec: str) -> Handler:
    module_name, function = spec.split(":")
    return getattr(importlib.import_module(module_name), function)  # type: ignore[no-any-return]


def _check_data_dir(path: Path) -> None:
    """A data directory that is a file (``--data README.md``) is named as such, before the
    log or the store trip over it with a less clear error."""
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))


def pypinyin_defaults() -> None:
    """Settings pypinyin reads once, at its import; called before anything loads it, and
    leaving alone what the user has set.

    pypinyin copies its tables at import unless told not to, for callers that load their own
    readings over them; mishu never does, and the copies cost ~4 MB of every process that
    searches. Its phrases (35 MB as pypinyin keeps them, 7 MB more for a word splitter mishu
    does not use) are read by :mod:`store.phrase_readings` in the ~8 MB search keys need.
    """
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    pypinyin_defaults()
    # names, titles and errors printed below may come from a peer: no terminal codes pass
    out = PrintableStream(out or sys.stdout)
    err = PrintableStream(err or sys.stderr)
    argv = sys.argv[1:] if argv is None else argv
    early = early_translator(argv)
    args = build_parser(early).parse_args(argv)
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
        log_file = setup_logging(settings.data_dir, settings.general.log_level)
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
        print(in_both_languages("error.crashed", kind=type(error).__name__, log=log_file),
              file=err)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
