"""Archive search: Chinese substrings, pinyin and initials, number forms, filters, ranking."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from store import DocumentStore
from store.archive import CONFIDENTIAL, PUBLIC, ArchiveRecord
from store.archive_demo import generate_records
from store.archive_events import file_event, save_event
from store.archive_index import ArchiveIndex
from store.archive_numbering import NumberingScheme
from store.archive_search import ArchiveQuery, naive_search, recency

from .test_archive import NOW

SCHEME = NumberingScheme("校学生会")


def record(key: str, title: str, seq: int, *, category: str = "发文", year: int = 2026,
           keywords: tuple[str, ...] = (), issuer: str = "校学生会秘书处",
           confidentiality: str = "internal", day: str = "") -> ArchiveRecord:
    return ArchiveRecord(f"archive:{key}", SCHEME.render(category, year, seq), category, year,
                         seq, title, issuer, day or f"{year}-03-{seq % 28 + 1:02d}", keywords,
                         confidentiality=confidentiality, registered_at="2026-11-25T09:00")


RECORDS = [
    record("song", "关于举办第十届校园歌手大赛的通知", 12, keywords=("歌手大赛", "文艺")),
    record("sport", "关于开展秋季运动会报名工作的通知", 3, keywords=("运动会",)),
    record("money", "学生会活动经费使用情况报告", 120, category="财务", issuer="校团委",
           confidentiality=CONFIDENTIAL),
    record("minutes", "部长例会会议纪要", 12, category="会议纪要", year=2025, keywords=("例会",)),
    record("old", "关于举办新年晚会的通知", 5, year=2012, confidentiality=PUBLIC),
]


@pytest.fixture
def index(store: DocumentStore) -> ArchiveIndex:
    store.bulk_put([r.to_doc() for r in RECORDS])
    built = ArchiveIndex()
    store.attach_index(built)
    return built


def found(index: ArchiveIndex, text: str = "", **filters: object) -> list[str]:
    query = ArchiveQuery(text, **filters)  # type: ignore[arg-type]
    return [archive_id.split(":")[1] for archive_id in index.search(query).archive_ids]


def test_chinese_substrings_in_title_keywords_and_issuer(index: ArchiveIndex) -> None:
    assert found(index, "歌手") == ["song"]
    assert found(index, "运动会报名") == ["sport"]
    assert found(index, "文艺") == ["song"]  # a keyword
    assert found(index, "团委") == ["money"]  # the issuing body
    assert set(found(index, "通知")) == {"song", "sport", "old"}
    assert found(index, "不存在的词") == []


def test_pinyin_and_initials(index: ArchiveIndex) -> None:
    assert found(index, "gsds") == ["song"]  # 歌手大赛, initials
    assert found(index, "geshou") == ["song"]
    assert found(index, "yundonghui") == ["sport"]
    assert found(index, "bzlh")[0] == "minutes"  # 部长例会: 长 read as zhang
    assert found(index, "buzhang") == ["minutes"]
    assert found(index, "JINGFEI") == ["money"]  # case does not matter


def test_names_and_offices_are_found_by_every_reading(store: DocumentStore) -> None:
    prize = record("prize", "获奖情况通报", 7, keywords=("曾伟", "单雪"), issuer="行政部")
    store.bulk_put([prize.to_doc(), RECORDS[0].to_doc()])
    index = ArchiveIndex()
    store.attach_index(index)
    for query in ("shanxue", "danxue", "zengwei", "cengwei", "xingzheng", "hangzheng", "shanx"):
        assert found(index, query) == ["prize"], query
    assert found(index, "anxue") == []  # still only where a character begins


def test_number_forms(index: ArchiveIndex) -> None:
    assert found(index, "〔2026〕12") == ["song"]
    assert found(index, "[2026]12") == ["song"]
    assert found(index, "校学生会〔2025〕12号") == ["minutes"]
    assert found(index, "12")[:2] == ["song", "minutes"]  # seq 12 first, the newer one first
    assert found(index, "〔2012〕") == ["old"]


def test_filters_and_ranking(index: ArchiveIndex, store: DocumentStore) -> None:
    assert found(index, category="财务") == ["money"]
    assert found(index, "通知", year=2012) == ["old"]
    assert found(index, confidentiality=CONFIDENTIAL) == ["money"]
    assert found(index, "tz", confidentiality=PUBLIC) == ["old"]
    # a title that starts with the query beats newer ones where only the issuer contains it
    assert found(index, "学生会")[0] == "money"
    assert found(index, "xsh")[0] == "money"
    assert found(index, "关于举办") == ["song", "old"]
    assert found(index, "jb") == ["song", "old"]
    assert found(index, "huiyi") == ["minutes"]
    sport = index.record("archive:sport")
    assert sport is not None
    assert found(index, status="filed") == []
    save_event(store, file_event(sport, index.state(sport.archive_id), NOW))
    assert found(index, status="filed") == ["sport"]
    assert found(index, "通知", status="registered") == ["song", "old"]
    # with no text: everything allowed, newest document first
    assert found(index) == ["song", "money", "sport", "minutes", "old"]


def test_the_index_follows_edits_and_deletions(index: ArchiveIndex, store: DocumentStore) -> None:
    doc = store.get("archive:song")
    store.put({**doc, "title": "关于举办主持人大赛的通知", "keywords": ["主持人"]})
    assert found(index, "歌手") == []
    assert found(index, "zcr") == ["song"]
    store.delete("archive:song", store.get("archive:song")["_rev"])
    assert found(index, "zcr") == [] and index.record("archive:song") is None
    assert found(index, "tz") == ["sport", "old"]


def canonical(index: ArchiveIndex, archive_ids: list[str]) -> list[list[str]]:
    """Results as runs of equally recent records, each run sorted: ties may come either way."""
    runs: list[list[str]] = []
    last = None
    for archive_id in archive_ids:
        record = index.record(archive_id)
        assert record is not None
        if runs and recency(record) == last:
            runs[-1].append(archive_id)
        else:
            runs.append([archive_id])
        last = recency(record)
    return [sorted(run) for run in runs]


def test_the_index_answers_what_a_full_scan_answers(store: DocumentStore) -> None:
    rng = random.Random(7)
    records = list(generate_records(rng, SCHEME, 600))
    store.bulk_put([r.to_doc() for r in records])
    index = ArchiveIndex()
    store.attach_index(index)
    statuses = {r.archive_id: "registered" for r in records}
    queries = ["通知", "tz", "hy", "jingfei", "〔2025〕3", "7", "学生会", "x", "wenyi", "会议",
               "zhaopin", "sh", "活动", "〔2024〕", "buchang", "hangzheng", "xingzheng", "dan"]
    for text in queries:
        for query in (ArchiveQuery(text), ArchiveQuery(text, category="财务"),
                      ArchiveQuery(text, year=2025, confidentiality=CONFIDENTIAL)):
            ours, scan = index.search(query, 1000), naive_search(records, statuses, query, 1000)
            assert ours.total == scan.total, query
            assert canonical(index, ours.archive_ids) == canonical(index, scan.archive_ids), query
    changed = replace(records[0], title="全新的标题ABC")
    store.put({**changed.to_doc(), "_rev": store.get(changed.archive_id)["_rev"]})
    assert index.search(ArchiveQuery("qxdbt")).archive_ids == [changed.archive_id]
