"""USB bundles from the secretary app: export and import behind a progress bar, then a summary.

The format, encryption and checks are :mod:`sync.bundle`'s (the same as ``mishu bundle``); this
asks for the file, refuses to overwrite one, runs the work in a thread and says what happened
(documents new, already known, in conflict). A bundle refused as foreign, damaged or truncated
writes nothing and the reason is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import ValidationError
from sync.bundle import ExportSummary, ImportSummary, export_bundle, import_bundle
from sync.pki import ClusterError, load_cluster

from .widgets.common.fields_dialog import Field, FieldsDialog
from .widgets.common.progress_dialog import ProgressDialog

if TYPE_CHECKING:
    from textual.app import App

    from sync.pki import Cluster

    from .context import AppContext


def _cluster(ctx: AppContext) -> Cluster:
    cluster = load_cluster(ctx.settings.data_dir)
    if cluster is None:
        raise ClusterError(key="cluster.not_member", reason="This computer is in no cluster")
    return cluster


def _path(values: dict[str, str]) -> Path:
    text = values["file"].strip()
    if not text:
        raise ValidationError("bundle.file_required", "Give the bundle's file name")
    return Path(text).expanduser()


def export_with_progress(app: App[None]) -> None:
    ctx: AppContext = app.ctx  # type: ignore[attr-defined]
    t = ctx.i18n

    def exported(path: Path, summary: ExportSummary) -> None:
        app.notify(t("bundle.exported", file=str(path), documents=summary.documents,
                     revisions=summary.revisions, blobs=summary.blobs), timeout=10)

    def start(values: dict[str, str]) -> None:
        path = _path(values)
        if path.exists():  # never overwritten: an older bundle on the stick may be the only copy
            raise ValidationError("bundle.exists", "{file} exists already; choose another name",
                                  file=str(path))
        if not path.parent.is_dir():
            raise ValidationError("bundle.no_folder", "There is no folder {folder}",
                                  folder=str(path.parent))
        cluster = _cluster(ctx)
        total = len(ctx.store.changes(0)[0])

        def work(progress):  # type: ignore[no-untyped-def]
            return export_bundle(ctx.store, cluster, path,
                                 progress=lambda done: progress(done, total))

        # once the file dialog has closed: pushed from its save, the bar would be what it closes
        app.call_after_refresh(app.push_screen, ProgressDialog(
            t("bundle.exporting", file=path.name), work, lambda summary: exported(path, summary)))

    app.push_screen(FieldsDialog(t("bundle.export_title"), [Field("file", t("bundle.file"))],
                                 start, note=t("bundle.export_note")))


def import_with_progress(app: App[None]) -> None:
    ctx: AppContext = app.ctx  # type: ignore[attr-defined]
    t = ctx.i18n

    def imported(summary: ImportSummary) -> None:
        app.notify(t("bundle.imported", node=summary.node_name, new=summary.new,
                     known=summary.known, conflicts=summary.conflicts, blobs=summary.blobs),
                   timeout=10)

    def start(values: dict[str, str]) -> None:
        path = _path(values)
        if not path.is_file():
            raise ValidationError("bundle.missing", "There is no file {file}", file=str(path))
        cluster = _cluster(ctx)

        def work(progress):  # type: ignore[no-untyped-def]
            return import_bundle(ctx.store, cluster, path,
                                 progress=lambda done: progress(done, 0))

        app.call_after_refresh(app.push_screen, ProgressDialog(
            t("bundle.importing", file=path.name), work, imported))

    app.push_screen(FieldsDialog(t("bundle.import_title"), [Field("file", t("bundle.file"))],
                                 start, note=t("bundle.import_note")))
