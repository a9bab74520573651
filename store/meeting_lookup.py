"""Finding a meeting by what a person can see: its short code or its title.

Meeting ids are long (``meeting:3f9a2c…``); the UI shows a short code, the first
:data:`CODE_LENGTH` characters of a random key (a chosen key, like the demo's, is its own code). A
query matching several meetings is answered with all of them, so the caller can list the
candidates rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .meetings import Meeting, meeting_key

CODE_LENGTH = 6
_RANDOM_KEY = re.compile(r"^[0-9a-f]{32}$")  # what Meeting.new_id makes


def short_code(meeting: Meeting) -> str:
    key = meeting.key
    return key[:CODE_LENGTH] if _RANDOM_KEY.match(key) else key


def find_meetings(meetings: Iterable[Meeting], query: str) -> list[Meeting]:
    """The meeting an id, key or code names; else those whose title is, then contains, ``query``.

    Several meetings share a title (every week's 部长例会), so a title can give many, newest first.
    """
    query = query.strip()
    if not query:
        return []
    every = sorted(meetings, key=lambda m: (m.start, m.meeting_id), reverse=True)
    key = meeting_key(query).casefold()
    for chosen in ([m for m in every if m.key.casefold() == key],
                   [m for m in every if m.key.casefold().startswith(key) and len(key) >= 4],
                   [m for m in every if m.title == query],
                   [m for m in every if query.casefold() in m.title.casefold()]):
        if chosen:
            return chosen
    return []
