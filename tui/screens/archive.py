"""档案: register with the next official number, search as you type, lend, approve, report.

The results come from the shared :class:`~store.archive_index.ArchiveIndex`, fed by the
changes feed, so every keystroke is an index lookup (no scan) and records or events
replicated from another node appear without a reload. Enter opens a record's detail view,
where the paper file is lent, returned, copied or destroyed and approvals are asked for and
given.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker, WorkerState

from store.archive import ArchiveRecord, propose_number, register, split_keywords
from store.archive_index import ArchiveIndex
from store.archive_numbering import NumberingScheme
from store.archive_search import ArchiveQuery
from store.errors import StoreError

from ..plain_text import plain
from ..widgets.archive.detail_view import ArchiveDetail
from ..widgets.archive.register_form import RegisterForm, register_fields
from ..widgets.archive.report_dialog import ReportDialog
from ..widgets.archive.result_table import ArchiveTable
from ..widgets.archive.search_bar import ArchiveSearchBar
from ..widgets.common.follows_store import FollowsStore
from .base import PaletteCommand
from .undoable import UndoableScreen

RESULT_LIMIT = 200


class ArchiveScreen(FollowsStore, UndoableScreen):
    title_key = "nav.archive"
    CSS_PATH = "../styles/archive.tcss"
    BINDINGS = [
        Binding("ctrl+n", "register", "archive.register"),
        Binding("ctrl+f", "focus_search", "archive.search"),
        Binding("ctrl+o", "reports", "archive.reports"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_now = ArchiveQuery()

    @property
    def index(self) -> ArchiveIndex:
        return self.ctx.index(ArchiveIndex)

    @property
    def scheme(self) -> NumberingScheme:
        return self.ctx.settings.archive.scheme()

    def compose_body(self) -> ComposeResult:
        this_year = self.ctx.clock().year
        with Vertical(id="archive"):
            yield ArchiveSearchBar(self.ctx.settings.archive.categories,
                                   list(range(this_year, this_year - 30, -1)), id="archive-bar")
            yield Static("", id="archive-count")
            yield ArchiveTable(id="archive-results")
        self.fill_after_mount(self.redraw)

    def on_mount(self) -> None:
        self.follow_store()
        self.query_one("#archive-search", Input).focus()

    # -- searching ------------------------------------------------------------------------------

    @on(ArchiveSearchBar.Changed)
    def search_changed(self, event: ArchiveSearchBar.Changed) -> None:
        self.query_now = event.query
        self.redraw()

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        if not (self.ctx.has_index(ArchiveIndex) and self.index.search_ready):
            self.query_one("#archive-count", Static).update(self.t("archive.loading"))
            self._build_search_index()
            return
        result = self.index.search(self.query_now, RESULT_LIMIT)
        self.query_one(ArchiveTable).reload(result.archive_ids, self.index)
        duplicates = len(self.index.duplicates())
        text = plain(self.t("archive.count", shown=len(result.archive_ids), total=result.total,
                            records=len(self.index.records)))
        if duplicates:
            text.append(f"  {self.t('archive.duplicates', count=duplicates)}", style="b red")
        self.query_one("#archive-count", Static).update(text)

    @work(thread=True, exclusive=True, group="archive-index")
    def _build_search_index(self) -> None:
        """The cold build (seconds at 50k records) runs here, off the event loop."""
        index = self.ctx.index(ArchiveIndex)
        self.ctx.store.without_writes(lambda: index.search_index)

    @on(Worker.StateChanged)
    def _search_index_built(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "archive-index" and event.state is WorkerState.SUCCESS:
            self.redraw()

    @on(Input.Submitted, "#archive-search")
    def to_results(self) -> None:
        self.query_one(ArchiveTable).focus()

    @on(DataTable.RowSelected, "#archive-results")
    def open_record(self, event: DataTable.RowSelected) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self.app.push_screen(ArchiveDetail(str(event.row_key.value), self.scheme))

    # -- actions --------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#archive-search", Input).focus()

    def proposal(self, category: str, year: str) -> str:
        if not year.isdigit():
            return self.t("archive.error.bad_year", year=year)
        try:
            _seq, number = propose_number(self.scheme, category, int(year),
                                          self.index.taken_seqs(category, int(year)))
        except StoreError as error:
            return self.ctx.i18n.error(error)
        return self.t("archive.next_number", number=number)

    def action_register(self) -> None:
        settings = self.ctx.settings.archive
        now = self.ctx.clock()
        registered: list[ArchiveRecord] = []

        def submit(values: dict[str, str]) -> None:
            year = int(values["year"]) if values["year"].isdigit() else 0
            draft = ArchiveRecord(
                ArchiveRecord.new_id(), "", values["category"], year, 0, values["title"],
                values["issuer"], values["date"], split_keywords(values["keywords"]),
                values["cabinet"], values["shelf"], values["box"], values["confidentiality"],
                values["retention"])
            registered.append(register(
                self.ctx.store, draft, self.scheme, settings.categories,
                self.index.taken_seqs(draft.category, draft.year), self.ctx.clock(),
                self.ctx.settings.node_name))

        def done(saved: bool | None) -> None:
            if saved and registered:
                self.notify(self.t("archive.registered", number=registered[0].number))
                self.query_one("#archive-search", Input).value = registered[0].number

        fields = register_fields(self.ctx.i18n, settings.categories, now.year,
                                 now.date().isoformat())
        self.app.push_screen(RegisterForm(self.t("archive.register"), fields, submit,
                                          self.proposal), done)

    def action_reports(self) -> None:
        self.app.push_screen(ReportDialog())

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            ("archive.register", "archive.register_help", self.action_register),
            ("archive.search", "archive.search_help", self.action_focus_search),
            ("archive.reports", "archive.reports_help", self.action_reports),
        ]
