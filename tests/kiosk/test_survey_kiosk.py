"""The survey kiosk through a Pilot: badge in, one key per score, a comment, thanks; locked;
a member it knows to have answered is told so; two kiosks apart merge one answer per member."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import pytest

from kiosk.survey_app import SurveyKiosk
from kiosk.widgets.pin_dialog import PinDialog
from store import DocumentStore
from store.members import Member, save_member
from store.survey import ANSWER, TAKEN, Survey, save_survey
from tui.context import AppContext
from tui.i18n import Translator
from tui.settings import SurveySettings

from .driving import PIN, kiosk_settings, scan, type_slowly, wait_until

NOW = datetime(2026, 11, 25, 12, 0)
SURVEY = Survey("survey:q4", "2026Q4 服务满意度", "2026-11-20", "2026-11-30")
BADGES = {number: f"M{number:016X}" for number in range(1, 5)}


def seed(store: DocumentStore) -> None:
    for number, name in enumerate(["张三", "李四", "王五", "赵六"], start=1):
        save_member(store, Member(f"00{number}", name, "宣传部", phone="13800000000",
                                  qr_token=BADGES[number]))
    save_survey(store, SURVEY)


def survey_ctx(store: DocumentStore, language: str = "zh", **kiosk: object) -> AppContext:
    settings = replace(kiosk_settings(**kiosk), survey=SurveySettings(answer_key="shared secret"))
    return AppContext(settings=settings, store=store, i18n=Translator(language), clock=lambda: NOW)


@pytest.fixture
def kiosk(store: DocumentStore) -> Callable[..., SurveyKiosk]:
    seed(store)
    contexts: list[AppContext] = []

    def make(language: str = "zh", **changes: object) -> SurveyKiosk:
        contexts.append(survey_ctx(store, language, **changes))
        return SurveyKiosk(contexts[-1])

    yield make
    for ctx in contexts:
        ctx.close()


async def answer(pilot, badge: str, scores: str, comment: str = "") -> None:  # type: ignore[no-untyped-def]
    await scan(pilot, badge)
    await pilot.press(*scores)
    await pilot.pause()
    await type_slowly(pilot, comment)


async def test_a_member_answers_and_the_kiosk_forgets_them(
        kiosk: Callable[..., SurveyKiosk], store: DocumentStore) -> None:
    app = kiosk("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        assert "2026Q4 服务满意度" in str(app.kiosk_screen.query_one("#kiosk-header").content)
        await scan(pilot, BADGES[1])
        assert app.result.headline == "第 1/3 题：及时性"
        await pilot.press("4")
        assert app.result.headline == "第 2/3 题：专业性"
        await pilot.press("5", "3")
        await pilot.pause()
        assert app.result.headline == "还有什么想说的？"
        await type_slowly(pilot, "ok")
        await wait_until(lambda: app.result.outcome == "ok", pilot)
        assert app.result.headline == "提交成功，谢谢！"
        assert "张三" not in app.result.headline + app.result.detail
        assert app.session is None
    answers = [store.get(i) for i in store.ids_of_type(ANSWER)]
    assert [(a["scores"], a["comment"], a["day"]) for a in answers] == [([4, 5, 3], "ok",
                                                                         "2026-11-25")]
    assert "001" not in json.dumps(answers) and BADGES[1] not in json.dumps(answers)
    assert store.ids_of_type(TAKEN) == ["surveytaken:q4:001"]


async def test_a_second_answer_is_refused_kindly(kiosk: Callable[..., SurveyKiosk],
                                                 store: DocumentStore) -> None:
    app = kiosk("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer(pilot, BADGES[2], "555")
        await wait_until(lambda: app.result.outcome == "ok", pilot)
        await scan(pilot, "002")  # the same member by typed ID
        await wait_until(lambda: app.result.outcome == "notice", pilot)
        assert app.result.headline == "You have already answered this survey. Thank you!"
    assert len(store.ids_of_type(ANSWER)) == 1


async def test_escape_gives_up_without_saving(kiosk: Callable[..., SurveyKiosk],
                                              store: DocumentStore) -> None:
    app = kiosk("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, BADGES[3])
        await pilot.press("4", "escape")
        await pilot.pause()
        assert app.session is None and app.result.outcome == "idle"
    assert store.ids_of_type(ANSWER) == [] and store.ids_of_type(TAKEN) == []


async def test_locked_and_the_pin_leaves(kiosk: Callable[..., SurveyKiosk]) -> None:
    app = kiosk("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c", "ctrl+q", "ctrl+z", "ctrl+p")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        await pilot.press("f12")
        await wait_until(lambda: isinstance(app.screen, PinDialog), pilot)
        await pilot.press(*PIN, "enter")
        await wait_until(lambda: isinstance(app.screen, PinDialog) and app.screen.unlocked, pilot)
        await pilot.press("enter")
        await wait_until(lambda: app.return_code is not None, pilot)
    assert app.return_code == 0


async def test_idle_reset_drops_an_unfinished_answer(kiosk: Callable[..., SurveyKiosk],
                                                     store: DocumentStore) -> None:
    app = kiosk("zh", idle_reset_seconds=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, BADGES[4])
        await pilot.press("5")
        await wait_until(lambda: app.result.outcome == "idle" and app.session is None, pilot)
    assert store.ids_of_type(ANSWER) == []


async def test_no_open_survey_is_a_friendly_refusal(store: DocumentStore) -> None:
    save_member(store, Member("001", "张三", qr_token=BADGES[1]))
    ctx = survey_ctx(store, "en")
    app = SurveyKiosk(ctx)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert "No satisfaction survey" in str(app.kiosk_screen.query_one("#kiosk-header").content)
            await scan(pilot, BADGES[1])
            assert app.result.outcome == "refused"
    finally:
        ctx.close()


async def test_hostile_survey_title_and_names_are_text(store: DocumentStore) -> None:
    save_member(store, Member("001", "[bold]张[/]\x1b[31m", qr_token=BADGES[1]))
    store.put({"_id": "survey:evil", "title": "[/]\x1b]0;pwn\x07[link=x]", "opens": "2026-11-01",
               "closes": "2026-11-30", "questions": ["[b]速度[/b]\x1b[2J"]})
    ctx = survey_ctx(store, "en")
    app = SurveyKiosk(ctx)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            header = str(app.kiosk_screen.query_one("#kiosk-header").content)
            assert "[/]" in header and "\x1b" not in header
            await scan(pilot, BADGES[1])
            assert "[b]速度[/b]" in app.result.headline and "\x1b" not in app.result.headline
            await pilot.press("3")
            await type_slowly(pilot, "")
            await wait_until(lambda: app.result.outcome == "ok", pilot)
    finally:
        ctx.close()
    assert len(store.ids_of_type(ANSWER)) == 1


async def test_two_kiosks_apart_merge_one_answer_per_member(
        store: DocumentStore, make_store: Callable[[str], DocumentStore]) -> None:
    west, east = store, make_store("east")
    seed(west)
    seed(east)
    for node, answers in ((west, [(1, "555"), (2, "444")]), (east, [(2, "111"), (3, "333")])):
        ctx = survey_ctx(node, "zh")
        app = SurveyKiosk(ctx)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                for number, scores in answers:
                    await answer(pilot, BADGES[number], scores)
                    await wait_until(lambda: app.result.outcome == "ok", pilot)
        finally:
            ctx.close()
    for source, target in ((west, east), (east, west)):
        for kind in (TAKEN, ANSWER):
            for doc_id in source.ids_of_type(kind):
                target.put_revisions([e["ok"] for e in source.open_revs(doc_id, None) if "ok" in e])
    for node in (west, east):
        assert len(node.ids_of_type(TAKEN)) == 3 and len(node.ids_of_type(ANSWER)) == 3
    ctx = survey_ctx(east, "zh")
    app = SurveyKiosk(ctx)
    try:
        async with app.run_test(size=(80, 24)) as pilot:  # now east has seen west's answer too
            await scan(pilot, BADGES[1])
            assert app.result.headline == "您已经填写过这份调查，谢谢！"
    finally:
        ctx.close()


async def test_a_key_that_is_no_score_is_refused_and_spoils_nothing(
        kiosk: Callable[..., SurveyKiosk], store: DocumentStore) -> None:
    """Before: a stray 9 began a typed code; the next scores went into it and vanished."""
    app = kiosk("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, BADGES[1])
        await pilot.press("9", "x")
        assert app.result.headline == "第 1/3 题：及时性"
        await pilot.press("4", "5", "3")
        await pilot.pause()
        assert app.result.headline == "还有什么想说的？"
        await type_slowly(pilot, "ok")
        await wait_until(lambda: app.result.outcome == "ok", pilot)
    answers = [store.get(i) for i in store.ids_of_type(ANSWER)]
    assert [a["scores"] for a in answers] == [[4, 5, 3]]
