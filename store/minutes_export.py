"""Minutes as files: Markdown as written, and a Word document (python-docx) to send on.

The editor's text is already Markdown-shaped (``#`` headings, ``-`` items), so the .md export
is the text itself and the .docx maps headings and list items onto Word's own styles. Both are
created private (minutes name people), like every export.
"""

from __future__ import annotations

from pathlib import Path

from .platform import open_private


def write_minutes_markdown(path: Path, text: str) -> None:
    with open_private(path, "w", encoding="utf-8") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")


def _xml_safe(text: str) -> str:
    """Word's XML cannot hold control characters (a pasted bell or escape): they are dropped."""
    return "".join(ch for ch in text if ch in "\t\n" or not (ord(ch) < 32 or ord(ch) == 127))


def write_text_docx(path: Path, text: str) -> None:
    """python-docx (14 MB) is imported only when a .docx is written, not with the editors."""
    from docx import Document

    document = Document()
    for line in _xml_safe(text).splitlines():
        stripped = line.strip()
        if stripped.startswith("## "):
            document.add_heading(stripped[3:], level=2)
        elif stripped.startswith("# "):
            document.add_heading(stripped[2:], level=1)
        elif stripped[:2] in ("- ", "* "):
            document.add_paragraph(stripped[2:], style="List Bullet")
        elif stripped:
            document.add_paragraph(stripped)
    with open_private(path, "wb") as handle:
        document.save(handle)
