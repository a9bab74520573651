"""The indexed archive search against the full scan on random archives: the same matches,
the same count and the same order, whatever the titles, readings, filters and edits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from store.archive import CONFIDENTIALITY, ArchiveRecord
from store.archive_search import ArchiveQuery, ArchiveSearch, naive_search, recency
from store.textsearch import search_keys

from .test_archive_search import SCHEME

# Heteronyms (曾 zeng/ceng, 单 shan/dan, 行 xing/hang, 重 zhong/chong, 乐 yue/le), phrases
# read in context (银行, 会议), letters and digits: where index and scan could disagree.
CHARS = "曾单行重乐银会议纪要通知学生长部校园运动xA1２ "
CATEGORIES = ("发文", "财务")
STATUSES = ("registered", "filed")

texts = st.text(alphabet=CHARS, min_size=1, max_size=8)
records = st.builds(
    lambda key, title, keywords, issuer, category, year, seq, secret: ArchiveRecord(
        f"archive:{key:04d}", SCHEME.render(category, year, seq), category, year, seq, title,
        issuer, f"{year}-01-{seq % 28 + 1:02d}", keywords, confidentiality=secret),
    st.integers(0, 9999), texts, st.lists(texts, max_size=2).map(tuple),
    st.sampled_from(("", "校团委", "曾单行")), st.sampled_from(CATEGORIES),
    st.integers(2024, 2026), st.integers(1, 40), st.sampled_from(CONFIDENTIALITY))


@st.composite
def queries(draw: st.DrawFn, titles: list[str]) -> ArchiveQuery:
    """Typed text — characters, or the pinyin, initials or a slice of a title's reading — and
    perhaps a filter."""
    source = search_keys(draw(st.sampled_from(titles)))
    spelling = draw(st.sampled_from((source.text, source.pinyin, source.initials)))
    start = draw(st.integers(0, len(spelling)))
    text = draw(st.one_of(st.just(spelling[start:start + draw(st.integers(1, 8))]), texts,
                          st.sampled_from(("zeng", "ceng", "dan", "shan", "hang", "xing", "2025",
                                           "3", "〔2026〕4", "chong", "le")))) or "x"
    filters = draw(st.sampled_from(({}, {"category": "财务"}, {"year": 2025},
                                    {"status": "filed"}, {"confidentiality": CONFIDENTIALITY[0]},
                                    {"category": "发文", "year": 2026})))
    return ArchiveQuery(text, **filters)  # type: ignore[arg-type]


def runs(archive_ids: list[str], by_id: dict[str, ArchiveRecord]) -> list[list[str]]:
    """Results as runs of equally recent records, each run sorted: ties may come either way."""
    out: list[list[str]] = []
    last = None
    for archive_id in archive_ids:
        order = recency(by_id[archive_id])
        if out and order == last:
            out[-1].append(archive_id)
        else:
            out.append([archive_id])
        last = order
    return [sorted(run) for run in out]


@settings(max_examples=200, deadline=None)
@given(st.lists(records, min_size=1, max_size=40, unique_by=lambda r: r.archive_id),
       st.data())
def test_the_index_answers_what_the_full_scan_answers(archive: list[ArchiveRecord],
                                                       data: st.DataObject) -> None:
    index = ArchiveSearch()
    statuses: dict[str, str] = {}
    for number, record in enumerate(archive):
        statuses[record.archive_id] = STATUSES[number % 2]
        index.put(record, statuses[record.archive_id])
    edited = data.draw(st.lists(st.sampled_from(archive), max_size=3))
    for record in edited:  # edits and removals go through the same index
        index.remove(record.archive_id)
    live = {r.archive_id: r for r in archive if r not in edited}
    for record in edited[:1]:
        live[record.archive_id] = record
        index.put(record, statuses[record.archive_id])
    for _ in range(8):
        query = data.draw(queries([r.title for r in archive]))
        ours = index.search(query, 1000)
        scan = naive_search(live.values(), statuses, query, 1000)
        assert ours.total == scan.total, query
        assert runs(ours.archive_ids, live) == runs(scan.archive_ids, live), query
