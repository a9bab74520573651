"""``mishu labels assets|items``: every QR on the printed PDF decodes back to its record."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
import zxingcpp

from store.label_sheet import DPI
from store.labels import label_lines
from store import DocumentStore
from store.supplies import Asset, Item
from store.supplies_desk import save_asset, save_item

from .cli_runner import run

ASSETS = [Asset(f"asset:{n}", f"GZ-2026-{n:03d}", name, code=f"A{n * 104729:016X}")
          for n, name in enumerate(["投影仪", "笔记本电脑", "相机", "音响", "麦克风", "展板"] * 5,
                                   start=1)]
ITEMS = [Item("item:paper", "A4 打印纸", "包", code="IPAPER0001"),
         Item("item:pens", "黑色签字笔", "支", code="IPENS00002")]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    with DocumentStore.open(path) as store:
        for asset in ASSETS:
            save_asset(store, asset)
        for item in ITEMS:
            save_item(store, item)
    return path


def decoded_pdf(path: Path) -> list[list[str]]:
    """The QR texts found on each page of the PDF, rendered back at its print resolution."""
    pages = []
    for page in pypdfium2.PdfDocument(path):
        image = page.render(scale=DPI / 72).to_pil()
        pages.append([result.text for result in zxingcpp.read_barcodes(image)])
    return pages


def test_asset_label_sheet_decodes_to_every_asset(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "assets.pdf"
    code, text, err = run(data_dir, "--lang", "en", "labels", "assets", "--out", str(out))
    assert code == 0, err
    assert "Wrote 30 labels on 2 page(s)" in text
    pages = decoded_pdf(out)
    assert [len(found) for found in pages] == [24, 6]  # the default 3 × 8 grid
    assert sorted(sum(pages, [])) == sorted(asset.code for asset in ASSETS)


def test_item_labels_follow_the_grid_asked_for(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "items.pdf"
    code, _, err = run(data_dir, "--lang", "en", "labels", "items", "--out", str(out), "--columns", "2",
                       "--rows", "5")
    assert code == 0, err
    assert sorted(sum(decoded_pdf(out), [])) == sorted(item.code for item in ITEMS)


def test_wrong_format_and_empty_store_are_clear_errors(tmp_path: Path, data_dir: Path) -> None:
    code, _, err = run(data_dir, "--lang", "en", "labels", "assets", "--out", str(tmp_path / "x.txt"))
    assert code == 1 and ".pdf or .png" in err
    empty = tmp_path / "empty"
    DocumentStore.open(empty).close()
    code, _, err = run(empty, "--lang", "en", "labels", "items", "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "nothing to label" in err


def test_a_label_prints_its_code_for_typing() -> None:
    assert label_lines(ITEMS[0]) == ["包", "A4 打印纸", "IPAPER0001"]
    assert label_lines(ASSETS[0])[::2] == ["GZ-2026-001", ASSETS[0].code]
