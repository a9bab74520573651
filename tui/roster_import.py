"""Import a member roster from the TUI: behind a progress bar, with the first bad row named.

A roster with a bad row writes nothing (see :func:`store.roster.import_roster`); the secretary
is told which line and why, fixes the file and imports again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from store.roster import ImportReport, import_roster

from .widgets.common.progress_dialog import ProgressDialog

if TYPE_CHECKING:
    from textual.app import App

    from .context import AppContext


def import_with_progress(app: App[None], path: Path) -> None:
    ctx: AppContext = app.ctx  # type: ignore[attr-defined]

    def done(report: ImportReport) -> None:
        t = ctx.i18n
        if report.problems:
            first = report.problems[0]
            app.notify(t("directory.import_refused", count=len(report.problems), line=first.line,
                         problem=t(first.key) if t.has(first.key) else first.english),
                       severity="error", timeout=10)
        else:
            app.notify(t("directory.imported", created=report.created, updated=report.updated))

    app.push_screen(ProgressDialog(ctx.i18n("directory.importing", path=path.name),
                                   lambda progress: import_roster(ctx.store, path,
                                                                  progress=progress), done))
