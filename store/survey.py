"""The anonymous satisfaction survey (满意度调查): surveys, who has answered, and the answers.

A survey is ``survey:{uuid}``: a title, the days it is open, and its questions, each scored
1–5 (by default 及时性, 专业性, 态度), plus a free comment.

One answer per member, yet no document ties an answer to a member. Two separate facts are
written together:

* ``surveytaken:{survey key}:{member id}`` says *that* the member answered. Its id is
  deterministic, so the same member answering at two kiosks that were apart is one document
  after the merge (identical content even gives the identical revision: no conflict). It holds
  the survey and the member and nothing else: no time, no node, no scores.
* ``surveyanswer:{id}`` holds *what* was answered: the survey, the scores, the comment and the
  day (rounded to the day, so no minute lines it up with a sign-in or a badge scan). Its id is
  ``HMAC-SHA256(key, survey ‖ member)`` cut to 128 bits, with a key kept outside the store
  (``[survey] answer_key`` in config.toml, the same on every answering node; see
  :mod:`store.survey_key`). The id is the same wherever the member answers, so a member who
  answered at two kiosks while they were apart gives two revisions of *one* answer document:
  after the merge it is a conflict whose deterministic winner is the one answer counted; the
  losing leaf is left alone (the conflict inbox knows answers settle by this rule). Without
  the key the id cannot be turned back into a member: it is a keyed hash, not a plain hash a
  reader could recompute for every member of the directory.

The two facts share only the survey id, which every answer of that survey shares alike.
What this scheme cannot hide, said plainly: whoever holds the key can recompute a member's
answer id (so the key lives only on the kiosks and the secretariat's machine, never in the
store or a hub), and a node's own journal writes the two facts one after the other, so someone
with that machine's disk and the moment a member stood at the kiosk could pair them.

A kiosk refuses a second answer only when it has already seen the member's ``surveytaken``
fact; two kiosks apart both accept, and the merge keeps one, as above.

Results are shown only once :data:`MIN_ANSWERS` answers exist, so a handful of answers cannot
be traced back to the few people who gave them; the quarterly report counts only surveys that
passed that threshold themselves.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from statistics import fmean
from typing import Any

from .doc_codec import DocumentRecord, LocalDate, text_tuple
from .docstore import DocumentStore
from .errors import InvalidDocument, ValidationError

SURVEY = "survey"
TAKEN = "surveytaken"
ANSWER = "surveyanswer"
DEFAULT_QUESTIONS = ("及时性", "专业性", "态度")
MIN_ANSWERS = 5
TARGET = 4.5
SCALE = range(1, 6)
COMMENT_LIMIT = 500


def _refuse(key: str, english: str, **params: Any) -> ValidationError:
    return ValidationError(f"survey.error.{key}", english, **params)


def quarter_of(day: str) -> str:
    """``2026-11-25`` → ``2026Q4``."""
    return f"{day[:4]}Q{(int(day[5:7]) - 1) // 3 + 1}"


@dataclass(frozen=True)
class Survey(DocumentRecord):
    ID_FIELD = "survey_id"

    survey_id: str
    title: str
    opens: LocalDate
    closes: LocalDate
    questions: tuple[str, ...] = DEFAULT_QUESTIONS

    @staticmethod
    def new_id() -> str:
        return f"{SURVEY}:{uuid.uuid4().hex}"

    @property
    def key(self) -> str:
        return self.survey_id.split(":", 1)[1]

    @property
    def quarter(self) -> str:
        return quarter_of(self.opens)

    def is_open(self, today: date) -> bool:
        return self.opens <= today.isoformat() <= self.closes

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Survey:
        survey: Survey = super().from_doc(doc)
        return replace(survey, questions=text_tuple(doc, "questions") or DEFAULT_QUESTIONS)


@dataclass(frozen=True)
class Taken(DocumentRecord):
    """That a member answered a survey: no time, no node, no scores."""

    survey_id: str
    member_id: str

    @property
    def doc_id(self) -> str:
        return taken_id(self.survey_id, self.member_id)


@dataclass(frozen=True)
class Answer(DocumentRecord):
    """What was answered, with nothing that names who answered."""

    ID_FIELD = "answer_id"

    answer_id: str
    survey_id: str
    day: LocalDate
    scores: tuple[int, ...] = ()
    comment: str = ""

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Answer:
        answer: Answer = super().from_doc(doc)
        scores = doc.get("scores")
        if not isinstance(scores, list) or not all(
                type(score) is int and score in SCALE for score in scores):
            raise InvalidDocument(reason=f"{doc.get('_id')}: scores are not 1–5")
        return replace(answer, scores=tuple(scores))


def taken_id(survey_id: str, member_id: str) -> str:
    return f"{TAKEN}:{survey_id.split(':', 1)[-1]}:{member_id}"


def answer_id(key: bytes, survey_id: str, member_id: str) -> str:
    """The one answer id a member can have for a survey, unreadable without ``key``."""
    digest = hmac.new(key, f"{survey_id}\x00{member_id}".encode(), hashlib.sha256).hexdigest()
    return f"{ANSWER}:{digest[:32]}"


def check_survey(survey: Survey) -> Survey:
    title = survey.title.strip()
    questions = tuple(q.strip() for q in survey.questions if q.strip())
    if not title:
        raise _refuse("title_required", "A survey needs a title")
    if not questions:
        raise _refuse("questions_required", "A survey needs at least one question")
    for day in (survey.opens, survey.closes):
        try:
            date.fromisoformat(day)
        except ValueError:
            raise _refuse("bad_date", "{day} is not a date (YYYY-MM-DD)", day=day) from None
    if survey.closes < survey.opens:
        raise _refuse("closes_first", "The survey closes before it opens")
    return replace(survey, title=title, questions=questions)


def save_survey(store: DocumentStore, survey: Survey) -> Survey:
    checked = check_survey(survey)
    store.put_latest(checked.to_doc())
    return checked


def has_answered(store: DocumentStore, survey_id: str, member_id: str) -> bool:
    return store.exists(taken_id(survey_id, member_id))


def check_scores(survey: Survey, scores: Iterable[int], comment: str) -> tuple[int, ...]:
    given = tuple(scores)
    if len(given) != len(survey.questions) or any(score not in SCALE for score in given):
        raise _refuse("bad_scores", "Give every question a score from 1 to 5")
    if len(comment) > COMMENT_LIMIT:
        raise _refuse("comment_long", "A comment has at most {limit} characters",
                      limit=COMMENT_LIMIT)
    return given


def submit_answer(store: DocumentStore, survey: Survey, member_id: str, scores: Iterable[int],
                  comment: str, *, today: date, key: bytes) -> bool:
    """Record a member's answer; ``False`` when this node knows they answered already.

    Both facts go in one write (one fsync), in a random order, so neither is on disk without
    the other.
    """
    if not survey.is_open(today):
        raise _refuse("closed", "This survey is open from {opens} to {closes}",
                      opens=survey.opens, closes=survey.closes)
    checked = check_scores(survey, scores, comment)
    if has_answered(store, survey.survey_id, member_id):
        return False
    facts = [Taken(survey.survey_id, member_id).to_doc(),
             Answer(answer_id(key, survey.survey_id, member_id), survey.survey_id,
                    today.isoformat(), checked, comment.strip()).to_doc()]
    secrets.SystemRandom().shuffle(facts)
    results = store.bulk_put(facts)
    return all(result.get("ok") for result in results)


@dataclass(frozen=True)
class SurveyResult:
    """One survey's figures; ``averages`` is empty until :data:`MIN_ANSWERS` answers exist."""

    survey: Survey
    answers: int
    averages: tuple[float, ...] = ()
    comments: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        return self.answers >= MIN_ANSWERS


@dataclass(frozen=True)
class QuarterScore:
    quarter: str
    question: str
    average: float
    answers: int


class SurveyIndex:
    """Surveys and their answers (each answer's winning revision), from the changes feed."""

    doc_types = (SURVEY, ANSWER)

    def __init__(self) -> None:
        self.surveys: dict[str, Survey] = {}
        self._answers: dict[str, Answer] = {}

    def reset(self) -> None:
        self.surveys.clear()
        self._answers.clear()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        target: dict[str, Any] = self.surveys if doc_id.startswith(f"{SURVEY}:") else self._answers
        target.pop(doc_id, None)
        if doc is not None:
            target[doc_id] = (Survey if target is self.surveys else Answer).from_doc(doc)

    def survey_list(self) -> list[Survey]:
        """Newest first."""
        return sorted(self.surveys.values(), key=lambda s: (s.opens, s.survey_id), reverse=True)

    def open_surveys(self, today: date) -> list[Survey]:
        return [survey for survey in self.survey_list() if survey.is_open(today)]

    def answers(self, survey_id: str) -> list[Answer]:
        return [a for a in self._answers.values() if a.survey_id == survey_id]

    def result(self, survey: Survey) -> SurveyResult:
        answers = [a for a in self.answers(survey.survey_id)
                   if len(a.scores) == len(survey.questions)]
        if len(answers) < MIN_ANSWERS:
            return SurveyResult(survey, len(answers))
        averages = tuple(fmean(a.scores[i] for a in answers) for i in range(len(survey.questions)))
        comments = tuple(sorted(a.comment for a in answers if a.comment))
        return SurveyResult(survey, len(answers), averages, comments)

    def shown_results(self) -> list[SurveyResult]:
        return [r for r in map(self.result, self.survey_list()) if r.shown]

    def by_quarter(self) -> list[QuarterScore]:
        """Average per quarter and question over the surveys that passed the threshold."""
        scores: dict[tuple[str, str], list[int]] = {}
        for result in self.shown_results():
            for i, question in enumerate(result.survey.questions):
                bucket = scores.setdefault((result.survey.quarter, question), [])
                bucket.extend(a.scores[i] for a in self.answers(result.survey.survey_id)
                              if len(a.scores) == len(result.survey.questions))
        return [QuarterScore(quarter, question, fmean(values), len(values))  # questions in order
                for (quarter, question), values in sorted(scores.items(), key=lambda i: i[0][0])]

    def comments_in(self, quarter: str) -> list[str]:
        """Comments of the quarter's surveys that passed the threshold."""
        return [comment for result in self.shown_results() if result.survey.quarter == quarter
                for comment in result.comments]
