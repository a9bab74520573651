"""The attendance sheet a secretary files after a meeting: one record per person, no UI.

Rows follow :func:`store.meetings_attendance.attendance_rows` (roster order, then walk-ins);
the CLI and the meetings screen translate the headings and statuses and write CSV or XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass

from .meetings_attendance import AttendanceRow, Status
from .members import MemberDirectory

COLUMNS = ("name", "member_id", "department", "status", "time", "method", "note")


@dataclass(frozen=True)
class AttendanceRecord:
    name: str
    member_id: str
    department: str
    status: Status
    time: str  # HH:MM, empty when absent
    method: str  # badge / id / name / manual, empty when absent
    note: str  # leave reason or manual sign-in reason
    also: str = ""  # the other doors the member was scanned at: "东门 13:58、北门 14:01"

    def cells(self) -> tuple[str, ...]:
        return tuple(str(getattr(self, column)) for column in COLUMNS)


def attendance_records(rows: list[AttendanceRow], directory: MemberDirectory) -> list[AttendanceRecord]:
    records = []
    for row in rows:
        member = directory.by_id(row.member_id)
        note = row.absence.reason if row.absence is not None else ""
        if row.signin is not None and row.signin.reason:
            note = row.signin.reason
        records.append(AttendanceRecord(
            name=member.name if member else row.member_id,
            member_id=row.member_id,
            department=member.department if member else "",
            status=row.status,
            time=row.signin.clock if row.signin else "",
            method=row.signin.method if row.signin else "",
            note=note,
            also="、".join(f"{scan.door or scan.node} {scan.clock}" for scan in row.also),
        ))
    return records
