"""One document's whole history as text to read: request, promise, rounds with their diffs,
reviewers' words, the issue and each recipient's receipt. Everything people typed is shown as
typed (``Text``, never markup)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from store.documents import CLASH, DocumentState, Round

from ...i18n import Translator
from ...plain_text import plain

BOLD, ALARM, ADDED, REMOVED, MUTED = "b", "b red", "green", "red", "dim"


def stage_label(t: Translator, stage: str) -> str:
    return t(f"documents.stage.{stage}")


def _round_lines(t: Translator, state: DocumentState, number: int, round_: Round) -> list[Text]:
    submit = round_.submit
    lines = [plain(t("documents.detail.round", round=number + 1, at=submit.at.replace("T", " "),
                     person=submit.person), style=BOLD)]
    for line in state.diff(number):
        style = (ADDED if line.startswith("+") and not line.startswith("+++") else
                 REMOVED if line.startswith("-") and not line.startswith("---") else MUTED)
        lines.append(plain("    " + line, style=style))
    for event in sorted((*round_.comments, *round_.returns, *round_.signoffs),
                        key=lambda e: (e.n, e.at, e.event_id)):
        key = f"documents.detail.{event.kind}"
        lines.append(plain("  " + t(key, person=event.person, role=event.role,
                                    text=event.comment, at=event.at.replace("T", " "))))
    if round_.outcome == CLASH:
        lines.append(plain("  " + t("documents.detail.clash"), style=ALARM))
    elif round_.settled is not None:
        lines.append(plain("  " + t(f"documents.detail.settled_{round_.settled.outcome}",
                                    person=round_.settled.person)))
    return lines


def describe(t: Translator, state: DocumentState, now: datetime) -> Text:
    request = state.request
    lines = [Text.assemble(plain(state.issue.number + "  " if state.issue else "", style=BOLD),
                           plain(state.title, style=BOLD), "  ",
                           plain(f"[{stage_label(t, state.stage)}]"))]
    if request is not None:
        lines.append(plain(t("documents.detail.request", department=request.department,
                             what=request.what, due=request.due or "—",
                             owner=request.owner or "—", at=request.at.replace("T", " "))))
    promise = state.open_promise()
    if promise is not None:
        late = promise.overdue(now)
        text = t(f"documents.detail.promise_{promise.kind}",
                 due=promise.due.strftime("%Y-%m-%d %H:%M"))
        lines.append(plain(t("documents.overdue", text=text) if late else text,
                           style=ALARM if late else ""))
    for number, round_ in enumerate(state.rounds):
        lines.extend(_round_lines(t, state, number, round_))
    if state.issue is not None:
        lines.append(plain(t("documents.detail.issued", number=state.issue.number,
                             at=state.issue.at.replace("T", " ")), style=BOLD))
    for recipient in state.recipients:
        ack = state.acks.get(recipient)
        lines.append(plain("  " + (t("documents.detail.acknowledged", recipient=recipient,
                                     at=ack.at.replace("T", " ")) if ack else
                                   t("documents.detail.outstanding", recipient=recipient)),
                           style="" if ack else ALARM))
    text_now = state.issue or state.latest
    if text_now is not None:
        lines += [Text(""), plain(t("documents.detail.text"), style=BOLD),
                  plain(text_now.content.as_text())]
    return Text("\n").join(lines)
