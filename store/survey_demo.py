"""The demo office's satisfaction surveys: last quarter's, closed with its results, and this
quarter's, open, with a dozen answers (a few comments naming the people who helped), so the
desk shows results and the 服务之星 proposal has something to quote. The answers are written
as the survey kiosk writes them: two unlinked facts each, under a key made for the demo."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from .members import Member
from .survey import Answer, Survey, Taken, answer_id

COMMENTS = ("{name}帮我们改了三次海报，很耐心", "场地安排很及时", "{name}回复很快",
            "希望会议通知再早一点", "")


def _answers(rng: random.Random, key: bytes, survey: Survey, people: list[Member],
             day: date, helper: str) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for member in people:
        scores = tuple(rng.choice((3, 4, 4, 5, 5, 5)) for _ in survey.questions)
        comment = rng.choice(COMMENTS).format(name=helper)
        docs.append(Taken(survey.survey_id, member.member_id).to_doc())
        docs.append(Answer(answer_id(key, survey.survey_id, member.member_id), survey.survey_id,
                           day.isoformat(), scores, comment).to_doc())
    return docs


def demo_survey(rng: random.Random, members: list[Member], today: date) -> list[dict[str, Any]]:
    key = rng.randbytes(32)
    helper = next((m.name for m in members if m.department == "秘书处"), members[0].name)
    earlier = Survey("survey:demo-previous", "上季度服务满意度调查",
                     (today - timedelta(days=100)).isoformat(),
                     (today - timedelta(days=86)).isoformat())
    current = Survey("survey:demo-current", "本季度服务满意度调查",
                     (today - timedelta(days=7)).isoformat(), (today + timedelta(days=7)).isoformat())
    answering = rng.sample(members, 20)
    return [earlier.to_doc(), current.to_doc(),
            *_answers(rng, key, earlier, answering[:8], today - timedelta(days=90), helper),
            *_answers(rng, key, current, answering[8:], today - timedelta(days=2), helper)]
