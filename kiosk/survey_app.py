"""``mishu kiosk survey``: the anonymous satisfaction survey terminal.

A member badges in (or types their ID, or picks their name), scores each question with one
key (1–5), may type a comment, and is thanked. The kiosk writes the two separate facts of
:mod:`store.survey` (that they answered; what was answered) and forgets the member at once:
nothing on screen after "thank you" says who answered what. A member this kiosk knows to have
answered is told so, kindly, and nothing is written.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult

from store.errors import ValidationError
from store.members import Member
from store.survey import Survey, SurveyIndex, has_answered, submit_answer
from store.survey_key import answer_key
from sync.kiosk_selectors import survey_selector
from tui.context import AppContext
from tui.plain_text import clip

from .base import KioskApp, run_kiosk
from .member_chooser import MemberChooser, pick_list, who
from .scanner import Scan

if TYPE_CHECKING:
    from tui.cli import CliContext

SCORE_KEYS = "12345"
SCHEDULE_CHECK_SECONDS = 30.0


@dataclass
class Session:
    """One member's answer in progress; dropped on Esc, on idle, and once written."""

    member: Member
    scores: list[int] = field(default_factory=list)


class SurveyKiosk(KioskApp):
    IDLE_KEY = "survey.kiosk_idle"
    TITLE_KEY = "kiosk.title_survey"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.surveys = ctx.index(SurveyIndex)
        self.survey: Survey | None = None
        self.session: Session | None = None
        self.chooser = MemberChooser(self)
        self.key = answer_key(ctx.settings.survey.answer_key, ctx.store.data_dir)
        self._unsubscribe: Callable[[], None] | None = None

    def compose_kiosk(self) -> ComposeResult:
        yield from super().compose_kiosk()
        yield pick_list()

    def kiosk_ready(self) -> None:
        self.ctx.directory  # noqa: B018 - built now, not on the first scan
        self._unsubscribe = self.ctx.store.subscribe(
            lambda _seq: self.call_later(self._follow_surveys))
        super().kiosk_ready()
        self.choose_survey()
        self.set_interval(SCHEDULE_CHECK_SECONDS, self.guarded(self._follow_surveys))

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def _follow_surveys(self) -> None:
        if self.session is None:
            self.choose_survey()

    def choose_survey(self) -> None:
        """The newest survey open today."""
        open_now = self.surveys.open_surveys(self.ctx.clock().date())
        self.survey = open_now[0] if open_now else None
        t = self.ctx.i18n
        if self.survey is None:
            self.set_header(t("survey.kiosk_none"))
        else:
            self.set_header(t("survey.kiosk_header", title=clip(self.survey.title),
                              closes=self.survey.closes))

    # -- input ------------------------------------------------------------------------------

    async def handle_key(self, event: events.Key) -> None:
        """A score is one key: 1–5 while a question is asked, nothing to confirm. Any other
        character then is refused on the spot with the hint (before, a stray 9 began a typed
        code that swallowed the next scores and then answered a question by itself)."""
        if self._asking() and event.is_printable and event.character:
            event.stop()
            self.touch()
            if event.character in SCORE_KEYS:
                self.score(int(event.character))
            else:
                self.set_hint(self.ctx.i18n("survey.kiosk_score_hint"))
            return
        await super().handle_key(event)

    def _asking(self) -> bool:
        return (self.session is not None and self.survey is not None
                and len(self.session.scores) < len(self.survey.questions))

    def answer_scan(self, scan: Scan) -> None:
        t = self.ctx.i18n
        if self.session is not None:
            if not self._asking():
                self.finish(scan.text)
            return
        self.chooser.drop()
        if self.survey is None:
            self.show_refused(t("survey.kiosk_none"))
            return
        found = self.chooser.answer(scan)
        if found is not None:
            self.start(found[0])

    def confirm(self) -> None:
        if self.chooser.offering:
            member = self.chooser.take_choice()
            if member is not None:
                self.start(member)
        elif self.session is not None and not self._asking():
            self.finish("")

    def navigate(self, delta: int) -> None:
        self.chooser.navigate(delta)

    def cancel(self) -> None:
        self.session = None
        self.chooser.drop()
        self.showing_personal_data = False
        self.show_idle()

    def forget_personal_state(self) -> None:
        self.session = None
        self.chooser.drop()
        self.choose_survey()

    # -- the answer -------------------------------------------------------------------------

    def start(self, member: Member) -> None:
        t = self.ctx.i18n
        assert self.survey is not None
        if has_answered(self.ctx.store, self.survey.survey_id, member.member_id):
            self.show_notice(t("survey.kiosk_already"), who(member))
            return
        self.session = Session(member)
        self.ask()

    def ask(self) -> None:
        assert self.session is not None and self.survey is not None
        t = self.ctx.i18n
        number = len(self.session.scores)
        self.result.show("notice", t("survey.kiosk_question", number=number + 1,
                                     total=len(self.survey.questions),
                                     question=clip(self.survey.questions[number])),
                         t("survey.kiosk_scale"))
        self.showing_personal_data = True
        self.set_hint(t("survey.kiosk_score_hint"))

    def score(self, value: int) -> None:
        assert self.session is not None and self.survey is not None
        self.session.scores.append(value)
        if self._asking():
            self.ask()
            return
        t = self.ctx.i18n
        self.result.show("notice", t("survey.kiosk_comment"), t("survey.kiosk_comment_detail"))
        self.set_hint(t("survey.kiosk_comment_hint"))

    def finish(self, comment: str) -> None:
        t = self.ctx.i18n
        session, survey = self.session, self.survey
        assert session is not None and survey is not None
        try:
            written = submit_answer(self.ctx.store, survey, session.member.member_id,
                                    session.scores, comment, today=self.ctx.clock().date(),
                                    key=self.key)
        except ValidationError as error:  # a comment too long, the survey closed meanwhile
            self.show_refused(t.error(error), t("survey.kiosk_comment_detail"))
            return
        self.session = None
        if written:
            self.show_ok(t("survey.kiosk_thanks"), t("survey.kiosk_anonymous"))
        else:
            self.show_notice(t("survey.kiosk_already"))
        self.set_hint(t("kiosk.hint"))


def run_survey_kiosk(cli: CliContext, args: argparse.Namespace) -> int:
    return run_kiosk(cli, SurveyKiosk, lambda _ctx: survey_selector)
