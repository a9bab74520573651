"""``mishu export attendance MEETING`` and ``mishu badges --out FILE``.

The attendance sheet is written in the user's language (headings, statuses, methods) as CSV
(UTF-8 with a BOM, so Excel shows Chinese correctly) or XLSX; the meetings screen exports
through :func:`write_attendance` too.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import ValidationError
from store.docstore import DocumentStore
from store.meeting_lookup import find_meetings, short_code
from store.meetings import MEETING, Meeting
from store.meetings_attendance import AttendanceIndex
from store.meetings_export import COLUMNS, AttendanceRecord, attendance_records
from store.members import MemberDirectory
from store.table_export import write_table

if TYPE_CHECKING:
    from ..cli import CliContext
    from ..i18n import Translator


def localised_rows(t: Translator, records: list[AttendanceRecord]) -> list[list[str]]:
    header = [t(f"meetings.column.{column}") for column in COLUMNS]
    rows = [header]
    for record in records:
        cells = list(record.cells())
        cells[COLUMNS.index("status")] = t(f"meetings.status.{record.status.value}")
        if record.method:
            cells[COLUMNS.index("method")] = t(f"meetings.method.{record.method}")
        rows.append(cells)
    return rows


def write_attendance(path: Path, fmt: str, title: str, rows: list[list[str]]) -> None:
    write_table(path, rows, fmt, title or "attendance")


def one_meeting(store: DocumentStore, query: str) -> Meeting:
    """The meeting ``query`` (id, short code or title) names; several are listed, not guessed."""
    meetings = [Meeting.from_doc(doc) for doc in store.iter_docs(MEETING)]
    found = find_meetings(meetings, query)
    if not found:
        raise ValidationError("meetings.error.no_meeting", "No meeting {meeting_id}",
                              meeting_id=query)
    if len(found) > 1:
        lines = "\n".join(f"  {short_code(m)}  {m.start.replace('T', ' ')}  {m.title}"
                          for m in found[:20])
        raise ValidationError("meetings.error.ambiguous",
                              "“{query}” matches several meetings; give one of these codes:\n"
                              "{candidates}", query=query, candidates=lines)
    return found[0]


def export_attendance(cli: CliContext, args: argparse.Namespace) -> int:
    t = cli.i18n
    with cli.open_store() as store:
        meeting = one_meeting(store, args.meeting)
        index, directory = AttendanceIndex(store), MemberDirectory()
        store.attach_index(index)
        store.attach_index(directory)
        records = attendance_records(
            index.rows(meeting.meeting_id, cli.settings.meetings.late_grace_minutes), directory)
    out = args.out or Path(f"attendance-{meeting.key}.{args.format}")
    write_attendance(out, args.format, meeting.title, localised_rows(t, records))
    print(t("meetings.exported", count=len(records), path=out), file=cli.out)
    return 0


def print_badges(cli: CliContext, args: argparse.Namespace) -> int:
    from store.badges import badge_pages  # Pillow only when badges are printed
    from store.label_sheet import save_pages

    t = cli.i18n
    if args.out.suffix.lower() not in (".pdf", ".png"):
        raise ValidationError("meetings.error.badge_format", "Badges are written as .pdf or .png")
    with cli.open_store() as store:
        directory = MemberDirectory()
        store.attach_index(directory)
        members = directory.all()
    if not members:
        raise ValidationError("meetings.error.no_members", "There are no members to print")
    pages = badge_pages(members)
    written = save_pages(pages, args.out)
    print(t("meetings.badges_written", count=len(members), pages=len(pages), path=written[0]),
          file=cli.out)
    return 0
