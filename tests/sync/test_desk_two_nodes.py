"""The service desk's two-node journeys over real HTTP on 127.0.0.1: two laptops deciding one
expense apart meet as one needs-attention item; two survey kiosks apart merge to one answer
per member at the office. Each node serves the CouchDB API and pulls the other once, as the
replicator does after a reconnect."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import aiohttp

from store import DocumentStore
from store.desk_approvals import Expense, cents_from_text, decision_event, file_expense
from store.desk_events import save_event
from store.members import Member, save_member
from store.survey import ANSWER, TAKEN, Survey, SurveyIndex, answer_id, save_survey, submit_answer
from sync.hosting import NodeSettings, SyncNode
from sync.kiosk_selectors import survey_selector
from sync.pull import PullReplicator
from tui.attention import gather_attention
from tui.context import AppContext
from tui.settings import Settings

from ..conftest import FIXED_NOW

APPLICANT = Member("2026001", "张三", "宣传部", "干事")
SECRETARY = Member("2026002", "李四", "秘书处", "秘书长")
DEPUTY = Member("2026003", "王五", "秘书处", "副秘书长")
SURVEY = Survey("survey:q4", "2026Q4 满意度", "2026-11-20", "2026-11-30")
KEY = b"k" * 32  # [survey] answer_key, set alike on both kiosks


def node(store: DocumentStore) -> SyncNode:
    return SyncNode(store, NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False,
                                        longpoll_seconds=1.0))


async def pull(session: aiohttp.ClientSession, target: DocumentStore, source: SyncNode,
               selector: Callable[[], dict[str, object]] | None = None) -> None:
    await PullReplicator(target, f"http://127.0.0.1:{source.port}", session,
                         selector=selector).replicate()


async def test_two_offline_decisions_of_one_expense_are_one_attention_item_on_each_laptop(
        make_store: Callable[[str], DocumentStore], make_ctx: Callable[..., AppContext]) -> None:
    office, laptop = make_store("office"), make_store("laptop")
    for member in (APPLICANT, SECRETARY, DEPUTY):
        save_member(office, member)
    expense = file_expense(office, Expense("", "2026001", "宣传部", cents_from_text("60"),
                                           "横幅"), FIXED_NOW)
    nodes = node(office), node(laptop)
    for running in nodes:
        await running.start()
    try:
        async with aiohttp.ClientSession() as session:
            await pull(session, laptop, nodes[0])
            roles = Settings().desk.roles
            for store, approver, approved in ((office, SECRETARY, True), (laptop, DEPUTY, False)):
                save_event(store, decision_event(expense.expense_id, "2026001", {}, ("first",),
                                                 approver, approved, "" if approved else "超预算",
                                                 roles, FIXED_NOW))
            await pull(session, office, nodes[1])
            await pull(session, laptop, nodes[0])
    finally:
        for running in nodes:
            await running.stop()
    for store in (office, laptop):
        ctx = AppContext(Settings(), store, make_ctx().i18n, clock=lambda: FIXED_NOW)
        items = [item for item in gather_attention(ctx) if item.kind == "desk_clash"]
        assert len(items) == 1 and items[0].params["what"] == "横幅"
        assert len(items[0].doc_ids) == 2  # both decisions, one item
        ctx.close()


async def test_answers_from_two_kiosks_apart_merge_one_per_member_at_the_office(
        make_store: Callable[[str], DocumentStore]) -> None:
    office, west, east = make_store("office"), make_store("west"), make_store("east")
    save_survey(office, SURVEY)
    for number in range(1, 6):
        save_member(office, Member(f"00{number}", f"成员{number}", "秘书处"))
    nodes = node(office), node(west), node(east)
    for running in nodes:
        await running.start()
    try:
        async with aiohttp.ClientSession() as session:
            for kiosk in (west, east):  # each kiosk carries the survey and the members only
                await pull(session, kiosk, nodes[0], survey_selector)
            today = date(2026, 11, 25)
            for member_id in ("001", "002", "003"):
                assert submit_answer(west, SURVEY, member_id, (5, 5, 5), "西门", today=today,
                                     key=KEY)
            for member_id in ("003", "004", "005"):  # 003 answers again at the other door
                assert submit_answer(east, SURVEY, member_id, (2, 2, 2), "东门", today=today,
                                     key=KEY)
            for kiosk_node in nodes[1:]:
                await pull(session, office, kiosk_node)
    finally:
        for running in nodes:
            await running.stop()
    assert len(office.ids_of_type(TAKEN)) == 5
    assert len(office.ids_of_type(ANSWER)) == 5  # one per member who answered
    assert office.conflicts(answer_id(KEY, SURVEY.survey_id, "003"))  # kept, one counted
    index = SurveyIndex()
    office.attach_index(index)
    assert index.result(SURVEY).answers == 5
