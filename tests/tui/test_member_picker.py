"""Pilot journey (b): people are picked by name; text that names no member is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Input, OptionList

from store import DocumentStore
from store.errors import ValidationError
from store.members import Member, MemberDirectory, save_member
from store.people import resolve_person
from tui.app import MishuApp
from tui.context import AppContext
from tui.i18n import Translator
from tui.screens.meetings import MeetingsScreen
from tui.widgets.common.member_picker import MemberPicker

from .test_meetings import new_meeting_form, open_meetings, wait_until

PEOPLE = [("2026001", "张三", "秘书处"), ("2026002", "张顺", "宣传部"), ("2026003", "李四", "学习部")]


def seed(store: DocumentStore) -> None:
    for member_id, name, department in PEOPLE:
        save_member(store, Member(member_id, name, department))


async def test_pick_an_attendee_by_typing_zhangs_and_choosing(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_meetings(pilot, app)
        form = await new_meeting_form(pilot, app, "秘书处例会")
        picker = form.query_one("#field-members", MemberPicker)
        picker.input.focus()
        await pilot.press(*"zhangs")
        options = picker.query_one(OptionList)
        await wait_until(lambda: options.option_count == 2, pilot)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(2)]
        assert shown[0].startswith("张三（2026001）") and shown[1].startswith("张顺（2026002）")
        await pilot.press("down", "down", "enter")  # into the list, to 张顺, pick
        await wait_until(lambda: picker.picked == ["2026002"], pilot)
        assert picker.input.value == "" and picker.input.has_focus
        await pilot.press(*"ls", "enter")  # Enter with the list open takes the best match
        await wait_until(lambda: picker.picked == ["2026002", "2026003"], pilot)
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, MeetingsScreen), pilot)
        created = screen.current_meeting()
        assert created is not None and set(created.roster) == {"2026002", "2026003"}


async def test_a_minute_taker_who_is_not_a_member_is_refused(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(140, 45)) as pilot:
        await open_meetings(pilot, app)
        form = await new_meeting_form(pilot, app, "例会")
        form.query_one("#field-minute_taker Input", Input).value = "baiming"
        seq = store.update_seq
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and store.update_seq == seq
        assert "“baiming” is not a member" in str(form.query_one("#form-error").render())


def test_resolving_typed_people(store: DocumentStore) -> None:
    seed(store)
    directory = MemberDirectory()
    store.attach_index(directory)
    assert resolve_person(directory, "2026001") == "2026001"
    assert resolve_person(directory, "张三（2026001）") == "2026001"
    assert resolve_person(directory, "李四") == "2026003"  # a unique exact name
    assert resolve_person(directory, "zhangshun") == "2026002"  # pinyin that fits one person
    with pytest.raises(ValidationError):
        resolve_person(directory, "zhangs")  # 张三 or 张顺: pick from the list
    assert resolve_person(directory, "dinggui", guest_ok=True) == "guest:dinggui"
    with pytest.raises(ValidationError) as refused:
        resolve_person(directory, "dinggui")
    assert Translator("zh").error(refused.value) == (
        "“dinggui”不是成员：请输入姓名、拼音或学号，并从列表中选择")
