"""A collection's submissions as one file to pass on: a zip of everything, or one .docx.

The zip holds each department's files and texts in a folder of its own, plus a list of who
handed in what and who is missing. The combined .docx puts the departments in the order they
were asked, each with its texts, the paragraphs of any Word file it sent and its pictures, and
names the other files (they are in the zip). A file whose bytes have not arrived from the other
laptop yet is named as such rather than stopping the export. Headings are given in the user's
language by the caller (``say``: an i18n key and parameters to a sentence).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm

from .archive_blobs import BlobStore
from .errors import StoreError
from .gongwen import document_text
from .material_collection import DepartmentStatus, MaterialCollection, Submission
from .platform import open_private

log = logging.getLogger(__name__)

Say = Callable[..., str]
Progress = Callable[[int, int], None]  # departments done, of how many
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u202a-\u202e\u2066-\u2069]')
NAME_LENGTH = 80
UNREADABLE = (ValueError, KeyError, OSError, SyntaxError, zipfile.BadZipFile,
              PackageNotFoundError, UnrecognizedImageError)


def safe_name(text: str) -> str:
    """One path component that unpacks as itself on Windows, macOS and Linux."""
    name = _UNSAFE_NAME.sub("_", text).strip(" .")[:NAME_LENGTH]
    return name or "_"


def _stamp(item: Submission) -> str:
    return item.submitted_at.replace("T", " ")


def export_zip(path: Path, collection: MaterialCollection, statuses: list[DepartmentStatus],
               blobs: BlobStore, say: Say, progress: Progress = lambda _done, _total: None
               ) -> int:
    """Write the zip; returns how many files whose bytes were missing here it could only name."""
    lacking = 0
    used: set[str] = set()
    summary = [say("collections.export.heading", title=collection.title,
                   deadline=collection.deadline.replace("T", " "))]
    with open_private(path, "wb") as handle, zipfile.ZipFile(handle, "w",
                                                             zipfile.ZIP_DEFLATED) as archive:
        for number, status in enumerate(statuses, 1):
            progress(number - 1, len(statuses))
            folder = f"{number:02d} {safe_name(status.department)}"
            if status.missing:
                summary.append(say("collections.export.missing_line",
                                   department=status.department))
            for index, item in enumerate(status.submissions, 1):
                summary.append(say("collections.export.item_line", department=status.department,
                                   time=_stamp(item), count=len(item.attachments)))
                prefix = f"{folder}/{_stamp(item)[5:].replace(':', '')}-{index}"
                if item.text:
                    archive.writestr(_unique(f"{prefix}.txt", used), document_text(item.text))
                for attachment in item.attachments:
                    try:
                        data = blobs.read(attachment)
                    except StoreError as error:
                        log.warning("collection export: %s", error)
                        summary.append(say("collections.export.not_here", name=attachment.name))
                        lacking += 1
                        continue
                    archive.writestr(_unique(f"{prefix}-{safe_name(attachment.name)}", used),
                                     data)
        archive.writestr(safe_name(say("collections.export.summary_name")) + ".txt",
                         document_text("\n".join(summary)) + "\n")
    return lacking


def _unique(name: str, used: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, number = name, 2
    while candidate in used:
        candidate = f"{stem}-{number}.{suffix}" if dot else f"{name}-{number}"
        number += 1
    used.add(candidate)
    return candidate


def export_docx(path: Path, collection: MaterialCollection, statuses: list[DepartmentStatus],
                blobs: BlobStore, say: Say, progress: Progress = lambda _done, _total: None
                ) -> int:
    """Write the combined document; returns how many files could not be read here."""
    document = Document()
    document.add_heading(document_text(collection.title), level=0)
    document.add_paragraph(say("collections.export.deadline",
                               deadline=collection.deadline.replace("T", " ")))
    lacking = 0
    for number, status in enumerate(statuses):
        progress(number, len(statuses))
        document.add_heading(document_text(status.department), level=1)
        if status.missing:
            document.add_paragraph(say("collections.export.nothing"))
        for item in status.submissions:
            document.add_paragraph(say("collections.export.submitted", time=_stamp(item)),
                                   style="Intense Quote")
            for line in document_text(item.text).splitlines():
                if line.strip():
                    document.add_paragraph(line.strip())
            for attachment in item.attachments:
                lacking += _add_file(document, blobs, attachment, say)
    with open_private(path, "wb") as handle:
        document.save(handle)
    return lacking


def _add_file(document: Any, blobs: BlobStore, attachment: Any, say: Say) -> int:
    """A Word file's paragraphs or a picture in place; any other file by name. 1 if unread."""
    try:
        data = blobs.read(attachment)
    except StoreError as error:
        log.warning("collection export: %s", error)
        document.add_paragraph(say("collections.export.not_here", name=attachment.name))
        return 1
    document.add_paragraph(say("collections.export.file", name=attachment.name))
    try:
        if attachment.content_type == DOCX:
            for paragraph in Document(io.BytesIO(data)).paragraphs:
                if paragraph.text.strip():
                    document.add_paragraph(document_text(paragraph.text))
        elif attachment.content_type.startswith("image/"):
            document.add_picture(io.BytesIO(data), width=Mm(150))
    except UNREADABLE:  # a damaged or odd file from a department must not stop the export
        log.warning("collection export: %s could not be read into the document",
                    attachment.name, exc_info=True)
    return 0
