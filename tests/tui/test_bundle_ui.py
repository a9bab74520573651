"""USB bundles from the app: export and import behind a progress bar, then a summary; an
existing file is never overwritten and a second import adds nothing."""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import Input

from store import DocumentStore
from sync.pki import Cluster
from tests.sync.test_bundle import founder, member  # noqa: F401 - fixtures
from tui.app import MishuApp
from tui.bundle_actions import export_with_progress, import_with_progress
from tui.context import AppContext
from tui.i18n import Translator
from tui.settings import GeneralSettings, Settings
from tui.widgets.common.fields_dialog import FieldsDialog

from ..conftest import FIXED_NOW


def app_on(store: DocumentStore, data_dir: Path, language: str) -> MishuApp:
    settings = Settings(general=GeneralSettings(data_dir=str(data_dir), node_name="n"))
    return MishuApp(AppContext(settings=settings, store=store, i18n=Translator(language),
                               clock=lambda: FIXED_NOW))


async def run_dialog(app: MishuApp, pilot, start, file: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """Open the bundle dialog, give ``file``, save; the notifications once the work is over."""
    start(app)
    await pilot.pause()
    assert isinstance(app.screen, FieldsDialog)
    app.screen.query_one("#field-file", Input).value = str(file)
    await pilot.press("ctrl+s")
    deadline = time.monotonic() + 60
    while not app._notifications or app.screen.__class__.__name__ == "ProgressDialog":
        assert time.monotonic() < deadline, "the bundle work did not finish"
        await pilot.pause(0.05)
    return [str(note.message) for note in app._notifications]


async def test_export_then_import_with_a_summary_and_nothing_overwritten(
    tmp_path: Path, founder: tuple[Cluster, DocumentStore],  # noqa: F811
    member: tuple[Cluster, DocumentStore],  # noqa: F811
) -> None:
    _cluster, store = founder
    bundle = tmp_path / "stick" / "mishu.bundle"
    bundle.parent.mkdir()
    app = app_on(store, tmp_path / "founder", "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        notes = await run_dialog(app, pilot, export_with_progress, bundle)
        assert bundle.is_file() and "已写入" in notes[-1]
        written = bundle.read_bytes()
        app._notifications.clear()
        notes = await run_dialog(app, pilot, export_with_progress, bundle)
        assert "已存在" in notes[-1] and bundle.read_bytes() == written
        assert isinstance(app.screen, FieldsDialog)  # still open with what was typed

    _joined, other = member
    app = app_on(other, tmp_path / "member", "en")
    async with app.run_test(size=(80, 24)) as pilot:
        notes = await run_dialog(app, pilot, import_with_progress, bundle)
        assert notes[-1].startswith("Bundle from") and ": 0 new revisions" not in notes[-1]
        assert other.get("meeting:1") is not None
        app._notifications.clear()
        notes = await run_dialog(app, pilot, import_with_progress, bundle)
        assert ": 0 new revisions" in notes[-1]  # importing twice changes nothing
