"""One archive record in full, with its history, and the actions on the paper file.

Lending, returning, filing, approvals, copies, destruction, attachments and renumbering all
start here; each asks for its few values in a
:class:`~tui.widgets.common.fields_dialog.FieldsDialog` and hands them to a store rule, which
refuses with a translated reason (an approval missing, the file already out). Destruction
and renumbering name what will change and ask first; Ctrl+Z takes the last one back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from store.archive import ArchiveRecord, save_record
from store.archive_blobs import BlobStore
from store.archive_events import (APPROVER_ROLES, PENDING, PURPOSES, ArchiveEvent, ArchiveState,
                                  check_view, copy_event, decision_event, destroy_event,
                                  file_event, lend_event, request_event, return_event, save_event)
from store.archive import propose_number
from store.archive_index import ArchiveIndex, renumber
from store.archive_numbering import NumberingScheme
from store.errors import StoreError
from store.people import person_label

from ...plain_text import plain
from ...screens.base import Dialog
from ...screens.undoable import UNDO, Undoable, Undoing
from ..common.fields_dialog import ChoiceField, Field, FieldsDialog, MemberField, Submit
from .result_table import confidentiality_label

BOLD, ALARM = "b", "b red"
ACTIONS = ("file", "lend", "return", "request", "decide", "copy", "destroy", "attach", "view",
           "renumber")


class ArchiveDetail(Undoing, Dialog[None]):
    DEFAULT_CLASSES = "form-dialog archive-dialog archive-detail"
    BINDINGS = [
        UNDO,
        Binding("escape", "close", "common.close"),
        Binding("f", "file", "archive.action.file"),
        Binding("l", "lend", "archive.action.lend"),
        Binding("r", "return", "archive.action.return"),
        Binding("a", "request", "archive.action.request"),
        Binding("d", "decide", "archive.action.decide"),
        Binding("c", "copy", "archive.action.copy"),
        Binding("x", "destroy", "archive.action.destroy"),
        Binding("t", "attach", "archive.action.attach"),
        Binding("v", "view", "archive.action.view"),
        Binding("n", "renumber", "archive.action.renumber"),
    ]

    def __init__(self, archive_id: str, scheme: NumberingScheme) -> None:
        super().__init__()
        self.archive_id = archive_id
        self.scheme = scheme
        self.verified: dict[str, Text] = {}  # attachment sha256 → verification line, once shown
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def index(self) -> ArchiveIndex:
        return self.ctx.index(ArchiveIndex)

    @property
    def record(self) -> ArchiveRecord:
        record = self.index.record(self.archive_id)
        assert record is not None
        return record

    @property
    def state(self) -> ArchiveState:
        return self.index.state(self.archive_id)

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with Vertical():
            with VerticalScroll():
                yield Static("", id="archive-detail")
            yield Static(" · ".join(f"{key} {t(f'archive.action.{name}')}"
                                    for key, name in zip("flradcxtvn", ACTIONS)),
                         id="archive-keys")

    def on_mount(self) -> None:
        self._unsubscribe = self.ctx.store.subscribe(lambda _seq: self.app.call_later(self.redraw))
        self.call_after_refresh(self.redraw)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    # -- drawing --------------------------------------------------------------------------------

    def redraw(self) -> None:
        if self.is_mounted and self.index.record(self.archive_id) is not None:
            self.query_one("#archive-detail", Static).update(self.describe())

    def describe(self) -> Text:
        """The record for reading, bold and red where it matters; what people typed is shown
        as typed (never parsed as markup)."""
        t, r, state = self.ctx.i18n, self.record, self.state
        today = self.ctx.clock().date()
        ends = r.retention_ends()
        retention = t(f"archive.retention.{r.retention}")
        if ends is not None:
            retention += " " + t("archive.until", day=ends.isoformat())
        location = plain(t("archive.detail.location", location=r.location or "—",
                           retention=retention))
        if r.retention_expired(today) and state.status != "destroyed":
            location.append(f"  {t('archive.destruction_due')}", style=ALARM)
        lines = [
            Text.assemble(plain(r.number, style=BOLD), "  ", plain(
                f"{r.category} · {confidentiality_label(t, r.confidentiality)} · "
                f"{t(f'archive.status.{state.status}')}")),
            plain(r.title, style=BOLD),
            plain(t("archive.detail.issued", issuer=r.issuer or "—", day=r.date or "—")),
            plain(t("archive.detail.keywords", keywords="、".join(r.keywords) or "—")),
            location,
            plain(t("archive.detail.registered", at=r.registered_at.replace("T", " "),
                    filed=state.filed.at.replace("T", " ") if state.filed else "—")),
        ]
        if r.renumbered_from:
            lines.append(plain(t("archive.detail.renumbered",
                                 numbers="、".join(r.renumbered_from))))
        if self.index.is_duplicate(r):
            lines.append(plain(t("archive.detail.duplicate"), style=ALARM))
        for loan in state.open_loans:
            if loan.overdue(today):
                lines.append(plain(t("archive.overdue_loan", person=loan.lend.person,
                                     due=loan.lend.due), style=ALARM))
        lines.append(plain(f"\n{t('archive.detail.attachments')}", style=BOLD))
        for attachment in r.attachments:
            line = plain(f"  {attachment.name} ({attachment.size // 1024 + 1} KB) ")
            line.append_text(self.verified.get(attachment.sha256, Text()))
            lines.append(line)
        lines.append(plain(f"\n{t('archive.detail.history')}", style=BOLD))
        lines.extend(plain(f"  {self.event_line(e)}") for e in reversed(state.events))
        return Text("\n").join(lines)

    def event_line(self, event: ArchiveEvent) -> str:
        """One event as a sentence (shown as plain text)."""
        t = self.ctx.i18n
        text = t(f"archive.event.{event.kind}", person=event.person, due=event.due,
                 purpose=t(f"archive.purpose.{event.purpose}") if event.purpose else "",
                 role=event.role, copies=event.copies,
                 decision=t("archive.approved" if event.approved else "archive.rejected"))
        if event.kind == "request":
            approval = self.state.approval(event.event_id)
            text += f" [{t(f'archive.approval.{approval.status if approval else PENDING}')}]"
        reason = f" — {event.reason}" if event.reason else ""
        return f"{event.at.replace('T', ' ')}  {text}{reason}"

    # -- actions --------------------------------------------------------------------------------

    def ask(self, title_key: str, fields: list[Field], submit: Submit, note: str = "") -> None:
        def done(saved: bool | None) -> None:
            if saved:
                self.notify(self.ctx.i18n("common.saved"))
                self.redraw()

        self.app.push_screen(FieldsDialog(self.ctx.i18n(title_key, number=self.record.number),
                                         fields, submit, note), done)

    def person_field(self, label_key: str = "archive.field.person") -> MemberField:
        """Archive users are picked as members; an outside borrower is kept as a guest."""
        return MemberField("person", self.ctx.i18n(label_key), guest_ok=True)

    def person(self, values: dict[str, str], name: str = "person") -> str:
        """Events record people as they read: "name（ID）", or "name（guest）"."""
        return person_label(self.ctx.directory, values[name], self.ctx.i18n("people.guest"))

    def do(self, action: Callable[[], object]) -> None:
        """Run an action needing no values; a refusal is shown, the view redrawn either way."""
        try:
            action()
        except StoreError as error:
            self.notify(self.ctx.i18n.error(error), severity="error")
        self.redraw()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_file(self) -> None:
        now, node = self.ctx.clock(), self.ctx.settings.node_name
        self.do(lambda: save_event(self.ctx.store, file_event(self.record, self.state, now, node)))

    def action_lend(self) -> None:
        now, node = self.ctx.clock(), self.ctx.settings.node_name
        due = (now + timedelta(days=14)).date().isoformat()
        self.ask("archive.action.lend_title",
                 [self.person_field("archive.field.borrower"),
                  Field("due", self.ctx.i18n("archive.field.due"), due)],
                 lambda v: save_event(self.ctx.store, lend_event(
                     self.record, self.state, self.person(v), v["due"], now, node)))

    def action_return(self) -> None:
        now, node = self.ctx.clock(), self.ctx.settings.node_name
        loans = self.state.open_loans
        if not loans:
            self.notify(self.ctx.i18n("archive.error.not_on_loan"), severity="warning")
            return
        self.do(lambda: save_event(self.ctx.store, return_event(loans[0], now, node)))

    def action_request(self) -> None:
        t = self.ctx.i18n
        now, node = self.ctx.clock(), self.ctx.settings.node_name
        self.ask("archive.action.request_title",
                 [self.person_field(),
                  ChoiceField("purpose", t("archive.field.purpose"), PURPOSES[0],
                              tuple((t(f"archive.purpose.{p}"), p) for p in PURPOSES)),
                  Field("reason", t("archive.field.reason"))],
                 lambda v: save_event(self.ctx.store, request_event(
                     self.record, self.state, self.person(v), v["purpose"], v["reason"], now, node)))

    def action_decide(self) -> None:
        t = self.ctx.i18n
        now, node = self.ctx.clock(), self.ctx.settings.node_name
        pending = [a for a in self.state.approvals if a.status == PENDING]
        if not pending:
            self.notify(t("archive.no_pending"), severity="warning")
            return
        approval = pending[0]
        request = approval.request
        note = t("archive.decide_note", person=request.person,
                 purpose=t(f"archive.purpose.{request.purpose}"), reason=request.reason)
        self.ask("archive.action.decide_title",
                 [MemberField("approver", t("archive.field.approver"), guest_ok=True),
                  ChoiceField("role", t("archive.field.role"), APPROVER_ROLES[0],
                              tuple((role, role) for role in APPROVER_ROLES)),
                  ChoiceField("decision", t("archive.field.decision"), "yes",
                              ((t("archive.approved"), "yes"), (t("archive.rejected"), "no"))),
                  Field("reason", t("archive.field.reason"))],
                 lambda v: save_event(self.ctx.store, decision_event(
                     approval, self.person(v, "approver"), v["role"], v["decision"] == "yes", v["reason"],
                     now, node=node)), note)

    def action_copy(self) -> None:
        now, node = self.ctx.clock(), self.ctx.settings.node_name
        t = self.ctx.i18n
        self.ask("archive.action.copy_title",
                 [self.person_field(), Field("copies", t("archive.field.copies"), "1"),
                  Field("reason", t("archive.field.reason"))],
                 lambda v: save_event(self.ctx.store, copy_event(
                     self.record, self.state, self.person(v), _count(v["copies"]), v["reason"], now,
                     node)))

    def action_destroy(self) -> None:
        """Who and why first (the rules check them), then the confirmation, then the record."""
        t, now, node = self.ctx.i18n, self.ctx.clock(), self.ctx.settings.node_name
        checked: list[ArchiveEvent] = []

        def check(values: dict[str, str]) -> None:
            checked.append(destroy_event(self.record, self.state, self.person(values),
                                         values["reason"], now, node))

        def confirm(accepted: bool | None) -> None:
            if not accepted or not checked:
                return
            event, record = checked[-1], self.record
            self.confirm_then(
                t("archive.ask_destroy", number=record.number, title=record.title),
                [Undoable(t("archive.action.destroy"), (event.event_id,),
                          lambda: save_event(self.ctx.store, event),
                          t("archive.destroyed", number=record.number))])

        self.app.push_screen(FieldsDialog(
            t("archive.action.destroy_title", number=self.record.number),
            [self.person_field(), Field("reason", t("archive.field.reason"))], check), confirm)

    def action_attach(self) -> None:
        limit = self.ctx.settings.archive.attachment_max_mb * 1024 * 1024

        def attach(values: dict[str, str]) -> None:
            blobs = BlobStore.for_store(self.ctx.store)
            added = blobs.add_file(Path(values["path"]).expanduser(), limit)
            record = self.record
            if all(a.sha256 != added.sha256 for a in record.attachments):
                save_record(self.ctx.store,
                            replace(record, attachments=(*record.attachments, added)))

        self.ask("archive.action.attach_title",
                 [Field("path", self.ctx.i18n("archive.field.path"))], attach)

    def action_view(self) -> None:
        blobs = BlobStore.for_store(self.ctx.store)

        def reveal(values: dict[str, str]) -> None:
            check_view(self.record, self.state, self.person(values), self.ctx.clock().date())
            for attachment in self.record.attachments:
                try:
                    blobs.read(attachment)
                    line = plain(f"✓ {blobs.path(attachment.sha256)}", style="green")
                except StoreError as error:
                    line = plain(f"✗ {self.ctx.i18n.error(error)}", style=ALARM)
                self.verified[attachment.sha256] = line

        self.ask("archive.action.view_title", [self.person_field()], reveal)

    def action_renumber(self) -> None:
        t, record = self.ctx.i18n, self.record
        if not self.index.is_duplicate(record):
            self.notify(t("archive.error.not_duplicate", number=record.number), severity="warning")
            return
        _seq, number = propose_number(self.scheme, record.category, record.year,
                                      self.index.taken_seqs(record.category, record.year))
        self.confirm_then(
            t("archive.ask_renumber", old=record.number, new=number, title=record.title),
            [Undoable(t("archive.action.renumber"), (self.archive_id,),
                      lambda: renumber(self.ctx.store, self.index, self.archive_id, self.scheme),
                      t("archive.renumbered", number=number))])

    def after_undoable(self) -> None:
        self.redraw()


def _count(text: str) -> int:
    return int(text) if text.isdigit() else 0
