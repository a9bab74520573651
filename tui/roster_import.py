"""Import a member roster from the TUI: behind a progress bar, with the first bad row named.

A roster with a bad row writes nothing (see :func:`store.roster.import_roster`); the secretary
is told which line and why, fixes the file and imports again. A first pass writes nothing and
counts what would change; when existing members would be overwritten, the count and their
names are shown and the import waits for a yes. Given an :class:`Undoing` screen, the import
is that screen's last action, so Ctrl+Z puts every member back as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from store.roster import ImportReport, import_roster
from store.undo import snapshot

from .screens.undoable import UndoStep
from .widgets.common.confirm_dialog import Choice, ConfirmDialog
from .widgets.common.progress_dialog import ProgressDialog

if TYPE_CHECKING:
    from textual.app import App

    from .context import AppContext
    from .screens.undoable import Undoing


def import_with_progress(app: App[None], path: Path, undo_on: Undoing | None = None) -> None:
    ctx: AppContext = app.ctx  # type: ignore[attr-defined]
    t = ctx.i18n

    def imported(report: ImportReport, step: UndoStep) -> None:
        app.notify(t("directory.imported", created=report.created, updated=report.updated))
        if undo_on is not None and report.written:
            undo_on.last_undo = step

    def write(preview: ImportReport) -> None:
        before = snapshot(ctx.store, preview.changed_ids)
        step = UndoStep(t("directory.imported", created=preview.created,
                          updated=preview.updated), before)
        app.push_screen(ProgressDialog(t("directory.importing", path=path.name),
                                       lambda progress: import_roster(ctx.store, path,
                                                                      progress=progress),
                                       lambda report: imported(report, step)))

    def previewed(preview: ImportReport) -> None:
        if preview.problems:
            first = preview.problems[0]
            app.notify(t("directory.import_refused", count=len(preview.problems), line=first.line,
                         problem=t(first.key) if t.has(first.key) else first.english),
                       severity="error", timeout=10)
        elif preview.updated:
            app.push_screen(ConfirmDialog(
                t("directory.ask_import", path=path.name, created=preview.created,
                  updated=preview.updated),
                [Choice("import", t("directory.import"))], t("directory.ask_import_updated"),
                preview.updated_names), lambda key: write(preview) if key else None)
        else:
            write(preview)

    app.push_screen(ProgressDialog(t("directory.importing", path=path.name),
                                   lambda progress: import_roster(ctx.store, path,
                                                                  progress=progress,
                                                                  dry_run=True), previewed))
