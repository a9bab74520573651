"""The anonymity check both the store and the desk tests make: read every document in the
store and find no link from an answer to a member."""

from __future__ import annotations

import json
from collections.abc import Iterable

from store import DocumentStore
from store.members import Member
from store.survey import ANSWER, TAKEN


def assert_no_link_from_answers_to_members(store: DocumentStore, people: Iterable[Member],
                                           answers_expected: int) -> None:
    """No answer holds a member's id, badge, name or phone, and an answer shares no field with
    any "has answered" fact except the survey, which every answer of that survey shares."""
    every_doc = [store.get(row["id"]) for row in store.all_docs()]
    answers = [doc for doc in every_doc if doc["_id"].startswith(f"{ANSWER}:")]
    taken = [doc for doc in every_doc if doc["_id"].startswith(f"{TAKEN}:")]
    assert len(answers) == len(taken) == answers_expected
    secrets = {value for member in people
               for value in (member.member_id, member.qr_token, member.name, member.phone) if value}
    for answer in answers:
        dumped = json.dumps(answer, ensure_ascii=False)
        assert not [secret for secret in secrets if secret in dumped]
        assert "T" not in answer["day"]  # the day, never the minute
        for fact in taken:
            shared = {key for key in answer if not key.startswith("_")
                      and fact.get(key) == answer[key]}
            assert shared <= {"survey_id"}
            assert answer["_id"].split(":", 1)[1] not in json.dumps(fact)
