"""``mishu import members FILE``: a roster in, a per-line report out."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from store.roster import ImportReport, import_roster

if TYPE_CHECKING:
    from ..cli import CliContext
    from ..i18n import Translator


def report_lines(t: Translator, report: ImportReport) -> list[str]:
    return [
        t("directory.import_line", line=p.line, field=t(f"members.field.{p.field}"),
          problem=t(p.key) if t.has(p.key) else p.english)
        for p in report.problems
    ]


def import_members(cli: CliContext, args: argparse.Namespace) -> int:
    t = cli.i18n
    with cli.open_store() as store:
        report = import_roster(store, args.file, skip_invalid=args.skip_invalid)
    for line in report_lines(t, report):
        print(line, file=cli.err)
    if report.problems and not args.skip_invalid:
        first = report.problems[0]
        print(t("directory.import_refused", count=len(report.problems), line=first.line,
                problem=t(first.key)), file=cli.err)
        return 1
    if report.problems:
        print(t("directory.import_partial", created=report.created, updated=report.updated,
                skipped=report.skipped), file=cli.out)
    else:
        print(t("directory.imported", created=report.created, updated=report.updated),
              file=cli.out)
    return 0
