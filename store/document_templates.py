"""The template library (公文模板中心): one replicated ``doctemplate:`` document per template.

Ten templates ship built in (通知, 公告, 决议, 请示, 报告, 函, 工作计划, 总结, 会议纪要, 申请;
their texts are in ``document_templates.toml``); a stored document of the same id replaces its
built-in default, so a secretary's edit of the 通知 template replicates like any other
document, and a template nobody touched costs nothing.
A template's texts use simple placeholders (``{department}``, ``{date}``, ``{meeting}``, …)
filled by :func:`fill`: only known names are replaced and the values go in verbatim, so an
unknown placeholder stays as written and a value that looks like a placeholder (or markup, or
a format string) is inert text.
"""

from __future__ import annotations

import logging
import re
import tomllib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .doc_codec import DocumentRecord, text_tuple
from .docstore import DocumentStore
from .errors import ConflictError, InvalidDocument, ValidationError

log = logging.getLogger(__name__)

DOCTEMPLATE = "doctemplate"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
KNOWN_PLACEHOLDERS = ("org", "department", "what", "due", "date", "year", "meeting", "title")
BUILTIN_FILE = Path(__file__).with_name("document_templates.toml")


@dataclass(frozen=True)
class DocTemplate(DocumentRecord):
    """What a draft starts from: the fields of a 公文 in zh, with an en name for the UI."""

    ID_FIELD = "template_id"
    template_id: str
    name: str  # zh: 通知
    name_en: str  # en: Notice
    title: str = ""
    recipients: str = ""  # 主送
    body: str = ""
    attachments: tuple[str, ...] = ()
    signatory: str = "{org}"  # 落款
    cc: tuple[str, ...] = ()  # 抄送

    @staticmethod
    def new_id() -> str:
        return f"{DOCTEMPLATE}:{uuid.uuid4().hex}"

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> DocTemplate:
        return super().from_doc({**doc, "attachments": text_tuple(doc, "attachments"),
                                 "cc": text_tuple(doc, "cc")})


def _builtins() -> tuple[DocTemplate, ...]:
    """The shipped templates, from their data file: long Chinese texts read and are corrected
    there as the text they are, not as Python string literals."""
    tables = tomllib.loads(BUILTIN_FILE.read_text(encoding="utf-8"))
    return tuple(DocTemplate(f"{DOCTEMPLATE}:{slug}", **texts) for slug, texts in tables.items())


BUILTIN_TEMPLATES: tuple[DocTemplate, ...] = _builtins()


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known ``{name}`` replaced by its value, in one pass: values are
    never read as placeholders themselves, and unknown names stay as written."""
    return PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), text)


def templates(stored: Iterable[DocTemplate]) -> list[DocTemplate]:
    """The library: built-ins, each replaced by its stored edit, then the secretary's own."""
    by_id = {template.template_id: template for template in BUILTIN_TEMPLATES}
    by_id.update((template.template_id, template) for template in stored)
    return list(by_id.values())


def load_templates(store: DocumentStore) -> list[DocTemplate]:
    """The library as stored; a template a foreign or damaged writer left unreadable is
    skipped (and logged), so one bad document does not take the library away."""
    readable = []
    for doc in store.iter_docs(DOCTEMPLATE):
        try:
            readable.append(DocTemplate.from_doc(doc))
        except InvalidDocument as error:
            log.warning("template skipped: %s", error)
    return templates(readable)


def check_template(template: DocTemplate) -> DocTemplate:
    if not template.name.strip():
        raise ValidationError("documents.error.template_name", "A template needs a name")
    return template


def save_template(store: DocumentStore, template: DocTemplate) -> DocTemplate:
    """Store a new template or an edit of one (a built-in's first edit creates its document)."""
    check_template(template)
    existing = store.get_or_none(template.template_id)
    doc = template.to_doc()
    if existing is not None:
        doc["_rev"] = existing["_rev"]
    try:
        store.put(doc)
    except ConflictError:
        raise ValidationError("documents.error.changed",
                              "This was changed elsewhere; reload and retry") from None
    return template
