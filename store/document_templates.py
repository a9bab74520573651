"""The template library (公文模板中心): one replicated ``doctemplate:`` document per template.

Ten templates ship built in (通知, 公告, 决议, 请示, 报告, 函, 工作计划, 总结, 会议纪要, 申请);
a stored document of the same id replaces its built-in default, so a secretary's edit of the
通知 template replicates like any other document, and a template nobody touched costs nothing.
A template's texts use simple placeholders (``{department}``, ``{date}``, ``{meeting}``, …)
filled by :func:`fill`: only known names are replaced and the values go in verbatim, so an
unknown placeholder stays as written and a value that looks like a placeholder (or markup, or
a format string) is inert text.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .doc_codec import DocumentRecord, text_tuple
from .docstore import DocumentStore
from .errors import ConflictError, InvalidDocument, ValidationError

log = logging.getLogger(__name__)

DOCTEMPLATE = "doctemplate"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
KNOWN_PLACEHOLDERS = ("org", "department", "what", "due", "date", "year", "meeting", "title")


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


def _builtin(slug: str, name: str, name_en: str, title: str, recipients: str,
             body: str) -> DocTemplate:
    return DocTemplate(f"{DOCTEMPLATE}:{slug}", name, name_en, title, recipients, body)


BUILTIN_TEMPLATES: tuple[DocTemplate, ...] = (
    _builtin("notice", "通知", "Notice", "关于{what}的通知", "各部门：",
             "为{what}，现将有关事项通知如下：\n\n一、{what}由{department}负责组织。\n\n"
             "二、请各部门于{due}前做好相关准备。\n\n特此通知。"),
    _builtin("announcement", "公告", "Announcement", "关于{what}的公告", "",
             "现将{what}有关事项公告如下：\n\n……\n\n特此公告。"),
    _builtin("resolution", "决议", "Resolution", "{meeting}关于{what}的决议", "",
             "{date}，{meeting}审议通过了{what}，决议如下：\n\n一、……"),
    _builtin("request", "请示", "Request for instructions", "关于{what}的请示", "校团委：",
             "{department}拟{what}，现将有关情况请示如下：\n\n……\n\n妥否，请批示。"),
    _builtin("report", "报告", "Report", "关于{what}的报告", "校团委：",
             "现将{what}有关情况报告如下：\n\n……\n\n特此报告。"),
    _builtin("letter", "函", "Letter", "关于{what}的函", "",
             "因{what}，特函商如下：\n\n……\n\n盼复。"),
    _builtin("plan", "工作计划", "Work plan", "{department}{year}年{what}工作计划", "",
             "一、指导思想\n\n……\n\n二、工作目标\n\n……\n\n三、具体安排\n\n……"),
    _builtin("summary", "总结", "Summary", "{department}{what}工作总结", "",
             "一、基本情况\n\n……\n\n二、主要成绩\n\n……\n\n三、存在问题与下一步打算\n\n……"),
    _builtin("minutes", "会议纪要", "Meeting minutes", "{meeting}纪要", "",
             "{date}，{meeting}召开。现将会议议定事项纪要如下：\n\n一、……"),
    _builtin("application", "申请", "Application", "关于{what}的申请", "秘书处：",
             "{department}因{what}，特此申请，望予批准。"),
)


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
