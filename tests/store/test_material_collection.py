"""Material collection: who is missing, withdrawals, offline merges, exports, hostile text."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document

from store import DocumentStore
from store.archive_blobs import BlobStore, attachments_of
from store.demo import fill_demo
from store.errors import ValidationError
from store.material_collection import (
    CollectionAttention,
    CollectionIndex,
    MaterialCollection,
    new_collection,
    save_collection,
    split_departments,
    submit,
    withdraw,
)
from store.material_collection_export import export_docx, export_zip, safe_name
from tui.i18n import Translator

from .merging import sync

NOW = datetime(2026, 11, 30, 10, 0)
HOSTILE = "[red]宣传部[/]\x1b[2J\x00<w:p>../../etc\u202e"


def opened(store: DocumentStore, departments: tuple[str, ...] = ("体育部", "宣传部", "学习部")
           ) -> tuple[MaterialCollection, CollectionIndex]:
    collection = new_collection("工作总结", "2026-12-04 17:00", departments, NOW)
    save_collection(store, collection)
    index = CollectionIndex()
    store.attach_index(index)
    return collection, index


def test_a_department_that_has_not_handed_in_is_missing(store: DocumentStore) -> None:
    collection, index = opened(store)
    submit(store, collection, "体育部", "本学期举办比赛六场。", (), NOW, "laptop")
    submit(store, collection, "宣传部", "推文二十篇。", (), NOW, "laptop")
    assert index.missing(collection) == ["学习部"]
    assert collection.deadline == "2026-12-04T17:00"


def test_a_withdrawn_submission_leaves_the_department_missing_until_undone(
        store: DocumentStore) -> None:
    collection, index = opened(store, ("体育部",))
    item = submit(store, collection, "体育部", "初稿", (), NOW, "laptop")
    withdraw(store, item, NOW)
    assert index.missing(collection) == ["体育部"]
    store.delete(item.withdrawal_id, store.get(item.withdrawal_id)["_rev"])  # what undo does
    assert index.missing(collection) == []
    assert store.get(item.item_id)["text"] == "初稿"  # the fact itself was never changed


def test_refusals_name_the_problem(store: DocumentStore) -> None:
    collection, _ = opened(store)
    with pytest.raises(ValidationError) as refused:
        submit(store, collection, "外联部", "x", (), NOW, "laptop")
    assert refused.value.key == "collections.error.not_asked"
    with pytest.raises(ValidationError):
        submit(store, collection, "体育部", "  ", (), NOW, "laptop")
    with pytest.raises(ValidationError):
        new_collection("总结", "周五", ("体育部",), NOW)
    assert new_collection("总结", "2026-12-04", ("体育部",), NOW).deadline == "2026-12-04T23:59"
    assert split_departments("体育部、宣传部，学习部;Arts Department\n体育部") == (
        "体育部", "宣传部", "学习部", "Arts Department")


def test_two_nodes_submitting_offline_keep_both(make_store: Callable[[str], DocumentStore],
                                                tmp_path: Path) -> None:
    a, b = make_store("a"), make_store("b")
    collection, index_a = opened(a)
    sync(a, b)
    index_b = CollectionIndex()
    b.attach_index(index_b)
    source = tmp_path / "总结.pdf"
    source.write_bytes(b"%PDF-1.4 sports")
    scan = BlobStore.for_store(b).import_file(source, 1 << 20)
    submit(a, collection, "体育部", "A 机登记", (), NOW, "a")
    item_b = submit(b, collection, "宣传部", "", (scan,), NOW, "b")
    sync(a, b)
    for index in (index_a, index_b):
        assert index.missing(collection) == ["学习部"]
        assert len(index.submissions(collection.collection_id)) == 2
    # The file's bytes follow the record: node a now knows to fetch them.
    assert BlobStore.for_store(a).missing(attachments_of(a.iter_docs("collection_item"))) == [
        scan.sha256]
    assert item_b.withdrawal_id.startswith("collection_withdrawal:")


def submitted(store: DocumentStore, tmp_path: Path) -> tuple[MaterialCollection, CollectionIndex]:
    collection, index = opened(store)
    blobs = BlobStore.for_store(store)
    word = tmp_path / "体育部总结.docx"
    document = Document()
    document.add_paragraph("体育部全年举办比赛六场。")
    document.save(str(word))
    pdf = tmp_path / "附表.pdf"
    pdf.write_bytes(b"%PDF-1.4 table")
    submit(store, collection, "体育部", "", (blobs.import_file(word, 1 << 20),
                                           blobs.import_file(pdf, 1 << 20)), NOW, "laptop")
    submit(store, collection, "宣传部", "推文二十篇。\n海报十张。", (), NOW, "laptop")
    return collection, index


@pytest.mark.parametrize("language", ["zh", "en"])
def test_zip_export_holds_every_submission(store: DocumentStore, tmp_path: Path,
                                           language: str) -> None:
    collection, index = submitted(store, tmp_path)
    path = tmp_path / "out.zip"
    lacking = export_zip(path, collection, index.statuses(collection), BlobStore.for_store(store),
                         Translator(language))
    assert lacking == 0
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        contents = {name: archive.read(name) for name in names}
    assert sorted(names) == sorted([
        "01 体育部/11-30 1000-1-体育部总结.docx", "01 体育部/11-30 1000-1-附表.pdf",
        "02 宣传部/11-30 1000-1.txt", ("提交情况" if language == "zh" else "summary") + ".txt"])
    assert contents["01 体育部/11-30 1000-1-附表.pdf"] == b"%PDF-1.4 table"
    assert contents["02 宣传部/11-30 1000-1.txt"].decode() == "推文二十篇。\n海报十张。"
    summary = contents[names[-1]].decode()
    assert ("学习部：未提交" if language == "zh" else "学习部: missing") in summary


def test_combined_docx_holds_every_submission(store: DocumentStore, tmp_path: Path) -> None:
    collection, index = submitted(store, tmp_path)
    path = tmp_path / "out.docx"
    export_docx(path, collection, index.statuses(collection), BlobStore.for_store(store),
                Translator("zh"))
    text = [p.text for p in Document(str(path)).paragraphs]
    assert text[0] == "工作总结"
    order = [text.index(line) for line in ("体育部", "体育部全年举办比赛六场。", "文件：附表.pdf",
                                           "宣传部", "推文二十篇。", "海报十张。", "学习部",
                                           "未提交。")]
    assert order == sorted(order)


def test_a_file_not_synced_yet_is_named_not_fatal(store: DocumentStore, tmp_path: Path) -> None:
    collection, index = submitted(store, tmp_path)
    for item in index.submissions(collection.collection_id):
        for attachment in item.attachments:
            BlobStore.for_store(store).path(attachment.sha256).unlink()
    lacking = export_zip(tmp_path / "out.zip", collection, index.statuses(collection),
                         BlobStore.for_store(store), Translator("en"))
    assert lacking == 2


def test_hostile_text_is_inert_in_both_exports(store: DocumentStore, tmp_path: Path) -> None:
    collection = new_collection(HOSTILE * 30, "2026-12-04 17:00", (HOSTILE, "../.."), NOW)
    save_collection(store, collection)
    index = CollectionIndex()
    store.attach_index(index)
    submit(store, collection, HOSTILE, HOSTILE, (), NOW, "laptop")
    blobs = BlobStore.for_store(store)
    export_zip(tmp_path / "h.zip", collection, index.statuses(collection), blobs,
               Translator("zh"))
    with zipfile.ZipFile(tmp_path / "h.zip") as archive:
        for name in archive.namelist():
            assert ".." not in name.split("/") and not name.startswith("/")
            assert all(ch >= " " for ch in name)
            assert len(name.split("/")) <= 2
    export_docx(tmp_path / "h.docx", collection, index.statuses(collection), blobs,
                Translator("en"))
    text = "\n".join(p.text for p in Document(str(tmp_path / "h.docx")).paragraphs)
    assert "[red]宣传部[/]" in text and "\x1b" not in text and "\x00" not in text
    assert safe_name("../..") == "_"


def test_past_its_deadline_a_collection_with_missing_departments_needs_attention(
        store: DocumentStore) -> None:
    collection, index = opened(store)
    submit(store, collection, "体育部", "比赛六场。", (), NOW, "laptop")
    assert [c.missing for c in index.open_collections()] == [("宣传部", "学习部")]
    assert CollectionAttention(index, NOW).attention_items() == []  # not due yet
    (item,) = CollectionAttention(index, datetime(2026, 12, 4, 17, 1)).attention_items()
    assert item.kind == "collection_missing" and item.doc_ids == (collection.collection_id,)
    assert item.params == {"title": "工作总结", "missing": "宣传部、学习部"}
    for department in ("宣传部", "学习部"):
        submit(store, collection, department, "已交。", (), NOW, "laptop")
    assert CollectionAttention(index, datetime(2026, 12, 5)).attention_items() == []
    assert index.open_collections() == []


def test_the_demo_office_collects_summaries_with_two_departments_missing(
        store: DocumentStore) -> None:
    """Before, the demo had no collection: the desk's collections tab opened empty."""
    fill_demo(store, today=NOW.date())
    index = CollectionIndex()
    store.attach_index(index)
    [collection] = index.collections()
    assert index.missing(collection) == ["文艺部", "外联部"]
    assert [c.collection.title for c in index.open_collections()] == ["各部门11月工作总结"]
