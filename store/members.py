"""Members (通讯录): the people who book rooms, sign in, borrow and approve.

A member document is ``member:{member_id}`` so the same person imported on two laptops is one
document, not two. The badge QR token is random and opaque: a lost badge reveals neither the
phone number nor the ID, and a new token can be issued without renumbering anyone.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .docstore import DocumentStore
from .errors import ConflictError, ValidationError
from .textsearch import SearchKeys, match_rank, search_keys

MEMBER = "member"
_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,31}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def new_qr_token() -> str:
    return "M" + secrets.token_hex(8).upper()


@dataclass(frozen=True)
class Member:
    member_id: str
    name: str
    department: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""
    qr_token: str = field(default_factory=new_qr_token)

    @property
    def doc_id(self) -> str:
        return f"{MEMBER}:{self.member_id}"

    @property
    def keys(self) -> SearchKeys:
        return search_keys(self.name)

    def to_fields(self) -> dict[str, Any]:
        fields = asdict(self)
        fields["pinyin"] = self.keys.pinyin
        fields["initials"] = self.keys.initials
        return fields

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Member:
        return cls(
            member_id=str(doc.get("member_id", "")),
            name=str(doc.get("name", "")),
            department=str(doc.get("department", "")),
            role=str(doc.get("role", "")),
            phone=str(doc.get("phone", "")),
            email=str(doc.get("email", "")),
            qr_token=str(doc.get("qr_token", "")),
        )


@dataclass(frozen=True)
class FieldProblem:
    """One reason a member record is refused: which field, an i18n key, English text."""

    field: str
    key: str
    english: str


def member_problems(member: Member) -> list[FieldProblem]:
    problems = []
    if not member.name.strip():
        problems.append(FieldProblem("name", "members.error.name_required", "Name is required"))
    if not member.member_id:
        problems.append(FieldProblem("member_id", "members.error.id_required", "ID is required"))
    elif not _ID.match(member.member_id):
        problems.append(
            FieldProblem(
                "member_id",
                "members.error.id_format",
                "ID may use letters, digits, '-', '_' and '.', up to 32 characters",
            )
        )
    if member.phone and not _PHONE.match(member.phone):
        problems.append(FieldProblem("phone", "members.error.phone", "Phone number looks wrong"))
    if member.email and not _EMAIL.match(member.email):
        problems.append(FieldProblem("email", "members.error.email", "E-mail address looks wrong"))
    return problems


def normalise_member(member: Member) -> Member:
    return replace(
        member,
        member_id=member.member_id.strip(),
        name=member.name.strip(),
        department=member.department.strip(),
        role=member.role.strip(),
        phone=member.phone.strip(),
        email=member.email.strip(),
    )


def delete_member(store: DocumentStore, member: Member) -> str:
    """Remove a member from the directory (a tombstone); sign-ins and loans stay recorded."""
    current = store.get_or_none(member.doc_id)
    if current is None:
        raise ValidationError("members.error.changed",
                              "This member was changed elsewhere; reload and retry")
    return store.delete(member.doc_id, current["_rev"])


def save_member(store: DocumentStore, member: Member) -> str:
    """Create or update a member (by ID); refuses invalid data with the first problem."""
    member = normalise_member(member)
    problems = member_problems(member)
    if problems:
        first = problems[0]
        raise ValidationError(first.key, first.english)
    existing = store.get_or_none(member.doc_id)
    doc: dict[str, Any] = {"_id": member.doc_id, **member.to_fields()}
    if existing is not None:
        doc["_rev"] = existing["_rev"]
        if not member.qr_token:
            doc["qr_token"] = existing.get("qr_token") or new_qr_token()
    try:
        return store.put(doc)
    except ConflictError:
        raise ValidationError(
            "members.error.changed", "This member was changed elsewhere; reload and retry"
        ) from None


class MemberDirectory:
    """In-memory view of all members, kept current from the changes feed.

    Lookups by ID and by badge token are dict hits (the kiosk answers within a glance);
    search ranks name, pinyin and initials matches over every member, which stays well under a
    millisecond per keystroke for the few thousand members a student union has.
    """

    doc_types = (MEMBER,)

    def __init__(self) -> None:
        self._by_id: dict[str, Member] = {}
        self._by_token: dict[str, str] = {}

    def reset(self) -> None:
        self._by_id.clear()
        self._by_token.clear()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        old = self._by_id.pop(doc_id, None)
        if old is not None:
            self._by_token.pop(old.qr_token, None)
        if doc is not None:
            member = Member.from_doc(doc)
            self._by_id[doc_id] = member
            if member.qr_token:
                self._by_token[member.qr_token] = doc_id

    def __len__(self) -> int:
        return len(self._by_id)

    def all(self) -> list[Member]:
        return sorted(self._by_id.values(), key=lambda m: (m.keys.pinyin, m.member_id))

    def by_id(self, member_id: str) -> Member | None:
        return self._by_id.get(f"{MEMBER}:{member_id}")

    def by_token(self, token: str) -> Member | None:
        doc_id = self._by_token.get(token)
        return self._by_id.get(doc_id) if doc_id else None

    def search(self, query: str, limit: int | None = None) -> list[Member]:
        """Members matching ``query`` by name, pinyin, initials, ID or department, best first."""
        if not query.strip():
            return self.all()[:limit]
        scored = []
        for member in self._by_id.values():
            rank = match_rank(query, member.keys)
            if member.member_id.casefold().startswith(query.strip().casefold()):
                rank = 0 if rank is None else min(rank, 0)
            if rank is None and query.strip() in member.department:
                rank = 40
            if rank is not None:
                scored.append((rank, member.keys.pinyin, member.member_id, member))
        scored.sort(key=lambda item: item[:3])
        return [item[3] for item in scored[:limit]]
