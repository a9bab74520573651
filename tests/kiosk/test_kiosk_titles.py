"""Each kiosk names its terminal window in the kiosk's language, not by its Python class.

Before: the window title was Textual's default, the class name ("SurveyKiosk").
"""

from __future__ import annotations

import pytest

from kiosk.base import KioskApp
from kiosk.room_app import RoomKiosk
from kiosk.signin_app import SigninKiosk
from kiosk.supplies_app import SuppliesKiosk
from kiosk.survey_app import SurveyKiosk
from store import DocumentStore
from store.rooms import Room
from tui.context import AppContext
from tui.i18n import Translator

from .driving import kiosk_settings

KIOSKS = {SigninKiosk: ("会议签到", "sign-in"), SuppliesKiosk: ("物资室", "supply-room"),
          RoomKiosk: ("会议室门口", "room-door"), SurveyKiosk: ("调查", "survey")}


def test_every_kiosk_has_its_own_title() -> None:
    assert set(KIOSKS) == set(KioskApp.__subclasses__())


@pytest.mark.parametrize("kind", list(KIOSKS), ids=lambda kind: kind.__name__)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_window_title_names_the_kiosk_in_its_language(
        kind: type[KioskApp], language: str, store: DocumentStore) -> None:
    ctx = AppContext(settings=kiosk_settings(), store=store, i18n=Translator(language))
    app = kind(ctx, Room("room:201", "201", 20)) if kind is RoomKiosk else kind(ctx)
    zh, en = KIOSKS[kind]
    assert (zh if language == "zh" else en) in app.title
    ctx.close()
