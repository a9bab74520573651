"""The expense workbook for the finance department: every expense, then totals per term.

Amounts go into the sheet as :class:`~decimal.Decimal` yuan, so finance can add them up and
no float rounding creeps in; everything typed by people is text (see :mod:`store.table_export`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from store.desk_approvals import Expense, totals
from store.members import MemberDirectory
from store.table_export import Cell


def _yuan(cents: int) -> Decimal:
    return Decimal(cents) / 100


def expense_sheet(expenses: Sequence[tuple[Expense, str]], directory: MemberDirectory,
                  t: Callable[..., str]) -> list[Sequence[Cell]]:
    """``expenses`` pairs each expense with its status; the rows, header first."""
    rows: list[Sequence[Cell]] = [tuple(t(f"desk.approvals.sheet.{key}") for key in (
        "department", "term", "applicant", "purpose", "amount", "status", "filed", "receipts"))]
    for expense, status in sorted(expenses, key=lambda pair: (pair[0].department,
                                                              pair[0].filed_at)):
        member = directory.by_id(expense.member_id)
        rows.append((expense.department, expense.term,
                     member.name if member else expense.member_id, expense.purpose,
                     _yuan(expense.amount_cents), t(f"desk.approvals.status.{status}"),
                     expense.filed_at.replace("T", " "),
                     "; ".join(receipt.name for receipt in expense.receipts)))
    rows.append(())
    rows.append(tuple(t(f"desk.approvals.sheet.{key}")
                      for key in ("department", "term", "count", "total")))
    rows.extend((total.department, total.term, total.count, _yuan(total.cents))
                for total in totals(expenses))
    return rows
