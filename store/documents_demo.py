"""Documents in every stage for the demo office (with the archive they are issued into, a
:data:`store.demo.DEMO_PARTS` entry) and the benchmark: requests waiting for a draft, drafts in
review, one returned, one signed, issued ones with receipts outstanding. Each is written through
the same rules a secretary uses, so the facts are what the screens will meet: an issued one
takes the next 发文 number of its year in the archive's register. Seeded like the rest of the
demo.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterator, Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from .archive import ArchiveRecord, format_time, propose_number
from .archive_demo import DEPARTMENTS, EVENTS, VERBS, demo_archive
from .archive_numbering import NumberingScheme
from .documents import (ISSUE, Actor, Content, DocEvent, acknowledge, derive_state, distribute,
                        make_event, once_id, request, return_for_changes, save_draft, sign_off)
from .members import Member

SIGNERS = ("主席", "秘书长")
DEMO_DOCUMENTS = 9
ISSUED_AS = "发文"  # the archive category an issued document is registered in


def _content(what: str, department: str, extra: str = "") -> Content:
    return Content(f"关于{what}的通知", "各部门：",
                   f"为{what}，现将有关事项通知如下：\n\n一、由{department}负责组织。{extra}\n\n特此通知。",
                   signatory="校学生会")


def document_events(rng: random.Random, stage_number: int, start: datetime, number: str = "",
                    archive_id: str = "") -> list[DocEvent]:
    """One document's events, taken as far as stage ``stage_number`` (0 requested, 1 drafting,
    2 in review, 3 returned, 4 signed, 5 issued, 6–7 distributed, 8 all received);
    ``number`` and ``archive_id`` name its issue from stage 5 on."""
    department = rng.choice(DEPARTMENTS)
    what = f"{rng.choice(VERBS)}{rng.choice(EVENTS)}"
    clock = iter(start + timedelta(hours=3 * step) for step in range(20))

    def actor(person: str = "秘书处") -> Actor:
        return Actor(next(clock), person)

    events = [request(actor(), department, what, (start + timedelta(days=7)).date().isoformat(),
                      owner=rng.choice(("李秘书", "周秘书", "陈秘书")),
                      template="doctemplate:notice")]

    def step(make) -> None:  # type: ignore[no-untyped-def]
        events.append(make(derive_state(events[0].doc_key, events)))

    if stage_number >= 1:
        step(lambda s: save_draft(s, actor(), _content(what, department)))
    if stage_number >= 2:
        step(lambda s: save_draft(s, actor(), _content(what, department), submit=True))
    if stage_number >= 3:
        step(lambda s: return_for_changes(s, actor("王秘书长"), "写明时间和地点"))
    if stage_number >= 4:
        step(lambda s: save_draft(s, actor(), _content(what, department, "时间地点另行通知。"),
                                  submit=True))
        step(lambda s: sign_off(s, actor("王秘书长"), rng.choice(SIGNERS), SIGNERS))
    if stage_number >= 5:
        step(lambda s: make_event(s, ISSUE, actor(), once_id(s.doc_key, ISSUE), number=number,
                                  archive_id=archive_id, **_issued(s.rounds[-1].submit)))
    if stage_number >= 6:
        step(lambda s: distribute(s, actor(), rng.sample(DEPARTMENTS, 3)))
    for recipient_number in range({7: 1, 8: 3}.get(stage_number, 0)):
        step(lambda s, n=recipient_number: acknowledge(s, actor(), s.recipients[n]))
    return events


def _issued(submit: DocEvent) -> dict[str, Any]:
    content = submit.content
    return {"title": content.title, "recipients": content.recipients, "body": content.body,
            "signatory": content.signatory, "date": content.date}


def generate_documents(rng: random.Random, start: datetime, count: int
                       ) -> Iterator[list[DocEvent]]:
    """``count`` documents spread over the stages, one started every two hours from ``start``."""
    for number in range(count):
        yield document_events(rng, number % 9, start + timedelta(hours=2 * number),
                              f"校学生会发〔{start.year}〕{number + 1}号",
                              f"archive:bench{number:06d}")


def demo_archive_and_documents(rng: random.Random, members: list[Member], today: date
                               ) -> list[dict[str, Any]]:
    """The demo archive, then the documents issued into its register."""
    archive = demo_archive(rng, members, today)
    taken: dict[int, set[int]] = {}
    for doc in archive:
        if doc.get("category") == ISSUED_AS:
            taken.setdefault(doc["year"], set()).add(doc["seq"])
    return archive + demo_documents(rng, members, today, taken)


def demo_documents(rng: random.Random, _members: list[Member], today: date,
                   taken: Mapping[int, Collection[int]]) -> list[dict[str, Any]]:
    """Nine documents, one per stage; the first request is already past its draft promise.
    ``taken`` is the archive's 发文 sequences by year: the issued ones number on from there."""
    scheme = NumberingScheme("校学生会")
    register = {year: set(seqs) for year, seqs in taken.items()}
    docs: list[dict[str, Any]] = []
    for stage_number in range(DEMO_DOCUMENTS):
        start = datetime.combine(today - timedelta(days=9 - stage_number), time(9, 0))
        year_taken = register.setdefault(start.year, set())
        seq, number = propose_number(scheme, ISSUED_AS, start.year, year_taken)
        record = ArchiveRecord(f"archive:demo-document-{stage_number}", number, ISSUED_AS,
                               start.year, seq, "", "校学生会", start.date().isoformat(),
                               registered_at=format_time(start), registered_by="秘书处")
        events = document_events(rng, stage_number, start, number, record.archive_id)
        issue = next((e for e in events if e.kind == ISSUE), None)
        if issue is not None:
            year_taken.add(seq)
            docs.append(ArchiveRecord(**{**record.__dict__, "title": issue.title}).to_doc())
        docs.extend(event.to_doc() for event in _renamed(events, f"demo{stage_number}"))
    return docs


def _renamed(events: list[DocEvent], key: str) -> list[DocEvent]:
    """The same facts under fixed ids, so a second ``mishu demo`` finds them there already."""
    old = events[0].doc_key
    ids = {e.event_id: (e.event_id.replace(old, key) if old in e.event_id
                        else f"docevent:{key}-{number}") for number, e in enumerate(events)}
    return [replace(e, event_id=ids[e.event_id], doc_key=key, ref=ids.get(e.ref, e.ref))
            for e in events]
