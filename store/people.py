"""A person named in a form: a member picked by name, pinyin, initials or ID, or a marked guest.

Every field that names a person (meeting attendees and owner, resolution owner, borrowers,
booking organiser) stores a member ID; text that names no member is refused, so a typo never
becomes a person nobody can find. Where an outsider is meant (a walk-in, an outside borrower)
the text is kept as a guest, marked with :data:`GUEST` so no one mistakes it for a member ID.
"""

from __future__ import annotations

from .errors import ValidationError
from .members import Member, MemberDirectory

GUEST = "guest:"


def label(member: Member) -> str:
    """How a picked member is shown in a field: name and ID (names repeat, IDs do not)."""
    return f"{member.name}（{member.member_id}）"


def resolve_person(directory: MemberDirectory, text: str, *, guest_ok: bool = False) -> str:
    """The member ID ``text`` names (an ID, a picked label, a unique exact name or a search
    that finds one person only), a guest
    value when ``guest_ok``, or a refusal that says to pick from the list."""
    text = text.strip()
    if not text or text.startswith(GUEST):
        return text
    member = directory.by_id(text)
    if member is None and text.endswith("）") and "（" in text:
        member = directory.by_id(text.rsplit("（", 1)[1][:-1])
    if member is not None:
        return member.member_id
    hits = directory.search(text)
    named = [m for m in hits if m.name == text]
    if len(named) == 1:
        return named[0].member_id
    if len(hits) == 1:  # pinyin or initials that fit one person only (minutes: "zhanghao")
        return hits[0].member_id
    if guest_ok:
        return f"{GUEST}{text}"
    raise ValidationError("people.error.not_member",
                          "“{text}” is not a member: type a name, pinyin or ID and pick from the list",
                          text=text)


def person_label(directory: MemberDirectory, value: str, guest_word: str) -> str:
    """A stored person value as a person reads it; ``guest_word`` is the translated "guest"."""
    if value.startswith(GUEST):
        return f"{value[len(GUEST):]}（{guest_word}）"
    member = directory.by_id(value)
    return label(member) if member is not None else value
