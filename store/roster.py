"""Import member rosters exported by 企业微信, 钉钉, 飞书 or typed by hand (CSV or XLSX).

The whole file is read and checked before anything is written: a roster with one bad row
changes nothing unless the user asks to import only the good rows. Problems name the line as a
spreadsheet shows it (the header is line 1), so the secretary can fix the file and retry.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .docstore import DocumentStore
from .errors import StoreError
from .members import Member, member_problems, new_qr_token, normalise_member

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "member_id": ("学号", "工号", "账号", "id"),
    "department": ("部门", "department"),
    "role": ("职务", "职位", "role"),
    "phone": ("手机", "手机号", "手机号码", "phone"),
    "email": ("邮箱", "个人邮箱", "企业邮箱", "email"),
}
REQUIRED = ("name", "member_id")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class RosterError(StoreError):
    """The file as a whole cannot be imported (unreadable, or required columns missing).

    Each reason is its own catalog key (``roster.error.<reason>``), so the UI says it in the
    user's language; a library's own words, if any, are only the ``detail``.
    """

    REASONS = {
        "not_found": "file not found",
        "not_xlsx": "not a readable XLSX file ({detail})",
        "not_csv": "not a valid CSV file ({detail})",
        "encoding": "text encoding is neither UTF-8 nor GB18030",
        "columns": "missing column(s): {columns}",
        "empty": "the file is empty",
        "unreadable": "cannot be read ({detail})",
        "changed": "{count} rows changed meanwhile; retry",
    }

    def __init__(self, reason: str, *, path: str, **params: object) -> None:
        self.key = f"roster.error.{reason}"
        super().__init__("{path}: " + self.REASONS[reason], path=path, **params)


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str
    key: str
    english: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)  # members written (or to be written)
    updated_names: list[str] = field(default_factory=list)  # existing members it overwrites

    @property
    def written(self) -> int:
        return self.created + self.updated


def _read_csv(path: Path) -> list[list[str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:  # a folder, no permission, a device that fails
        raise RosterError("unreadable", path=str(path),
                          detail=exc.strerror or type(exc).__name__) from None
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise RosterError("not_csv", path=str(path), detail=exc) from None
    raise RosterError("encoding", path=str(path))


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise RosterError("not_xlsx", path=str(path), detail=exc) from None
    try:
        sheet = workbook.worksheets[0]
        return [
            ["" if cell is None else _cell_text(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # IDs and phones typed as numbers
    return str(value)


def read_rows(path: Path) -> list[list[str]]:
    if not path.exists():
        raise RosterError("not_found", path=str(path))
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    return _read_csv(path)


def _column_map(header: list[str], path: Path) -> dict[str, int]:
    lookup = {alias.casefold(): name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        name = lookup.get(title.strip().casefold())
        if name is not None and name not in columns:
            columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        wanted = " / ".join("|".join(COLUMN_ALIASES[name]) for name in missing)
        raise RosterError("columns", path=str(path), columns=wanted)
    return columns


def parse_roster(path: Path) -> tuple[list[tuple[int, Member]], list[RowProblem], int]:
    """Members by line number, the problems found, and the number of data rows."""
    rows = read_rows(path)
    if not rows:
        raise RosterError("empty", path=str(path))
    columns = _column_map(rows[0], path)
    members: list[tuple[int, Member]] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    data_rows = 0
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        data_rows += 1
        values = {name: row[index] if index < len(row) else "" for name, index in columns.items()}
        member = normalise_member(Member(qr_token="", **values))
        row_problems = [
            RowProblem(line, p.field, p.key, p.english) for p in member_problems(member)
        ]
        first_line = seen.get(member.member_id)
        if member.member_id and first_line is not None:
            row_problems.append(
                RowProblem(
                    line,
                    "member_id",
                    "roster.error.duplicate",
                    f"ID {member.member_id} already appears on line {first_line}",
                )
            )
        seen.setdefault(member.member_id, line)
        if row_problems:
            problems.extend(row_problems)
        else:
            members.append((line, member))
    return members, problems, data_rows


def import_roster(store: DocumentStore, path: Path, *, skip_invalid: bool = False,
                  progress: Callable[[int, int], None] | None = None,
                  dry_run: bool = False) -> ImportReport:
    """Import a roster; writes nothing when a row is bad unless ``skip_invalid``.

    ``progress(done, total)`` follows the rows as they are checked against the store.
    ``dry_run`` reports what an import would create and overwrite, writing nothing, so the
    secretary can be asked before existing members are overwritten.
    """
    members, problems, data_rows = parse_roster(path)
    report = ImportReport(rows=data_rows, problems=problems)
    bad_lines = {problem.line for problem in problems}
    report.skipped = len(bad_lines)
    if problems and not skip_invalid:
        return report
    docs = []
    for number, (_line, member) in enumerate(members, start=1):
        if progress is not None and number % 200 == 0:
            progress(number, len(members))
        existing = store.get_or_none(member.doc_id)
        token = (existing or {}).get("qr_token") or new_qr_token()
        doc = {"_id": member.doc_id, **replace(member, qr_token=token).to_fields()}
        if existing is not None:
            doc["_rev"] = existing["_rev"]
            unchanged = all(existing.get(key) == value for key, value in doc.items())
            if unchanged:
                continue
            report.updated += 1
            report.updated_names.append(f"{member.name} ({member.member_id})")
        else:
            report.created += 1
        docs.append(doc)
        report.changed_ids.append(member.doc_id)
    if docs and not dry_run:
        results = store.bulk_put(docs)
        failed = [r for r in results if "error" in r]
        if failed:
            raise RosterError("changed", path=str(path), count=len(failed))
    return report

