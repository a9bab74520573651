"""A 公文 rendered per GB/T 9704-2012 and read back: its parts, their order, the page."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from store.gongwen import OfficialDocument, text_width
from store.gongwen_demo import DEMO_NOTICE
from store.gongwen_docx import CONDENSED, TEXT_WIDTH, render_docx
from store.gongwen_pdf import convert_to_pdf, office_command

SAMPLE = DEMO_NOTICE


def body_parts(path: Path) -> list[tuple[str, str]]:
    """(style or "table", text) for each non-empty block of the body, in document order."""
    document = Document(str(path))
    parts: list[tuple[str, str]] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            parts.append(("table", " | ".join(cell.text for row in block.rows
                                              for cell in row.cells)))
        elif block.text:
            parts.append((block.style.name, block.text))
    return parts


def test_parts_come_in_the_standard_order(tmp_path: Path) -> None:
    path = render_docx(SAMPLE, tmp_path / "notice.docx")
    assert body_parts(path) == [
        ("Gongwen Mark", "校学生会文件"),
        ("Gongwen Number", "校学生会发〔2026〕3号"),
        ("Gongwen Title", SAMPLE.title),
        ("Gongwen Recipients", "各部门、各学院学生会："),
        ("Gongwen Body", SAMPLE.body[0]),
        ("Gongwen Heading 1", "一、提交内容"),
        ("Gongwen Body", SAMPLE.body[2]),
        ("Gongwen Heading 1", "二、提交时间"),
        ("Gongwen Body", SAMPLE.body[4]),
        ("Gongwen Heading 2", "（一）材料格式"),
        ("Gongwen Body", SAMPLE.body[6]),
        ("Gongwen Heading 1", "三、联系方式"),
        ("Gongwen Body", SAMPLE.body[8]),
        ("Gongwen Attachment", "附件：1．各部门工作总结模板"),
        ("Gongwen Attachment", "2．提交情况登记表"),
        ("Gongwen Signatory", "校学生会"),
        ("Gongwen Date", "2026年11月30日"),
        ("table", "抄送：校团委，学生工作部。 | 校学生会秘书处\t2026年11月30日印发"),
    ]


def test_page_is_a4_with_the_standard_margins_and_grid(tmp_path: Path) -> None:
    document = Document(str(render_docx(SAMPLE, tmp_path / "notice.docx")))
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin,
             section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(size.mm, 1) for size in sizes] == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 225 mm / 22 lines
    normal = document.styles["Normal"]
    assert normal.paragraph_format.line_spacing.twips == 579
    assert normal.font.size == Pt(16)
    pitch = Pt(16) + CONDENSED
    assert 28 * pitch <= TEXT_WIDTH < 29 * pitch  # 28 characters a line, not 29
    spacing = normal.element.rPr.find(qn("w:spacing"))
    assert int(spacing.get(qn("w:val"))) == CONDENSED.twips


def test_masthead_is_red_and_fonts_are_named_with_stand_ins(tmp_path: Path) -> None:
    path = render_docx(SAMPLE, tmp_path / "notice.docx")
    document = Document(str(path))
    mark, number = document.paragraphs[0], document.paragraphs[1]
    assert str(mark.style.font.color.rgb) == "FF0000"
    border = number._p.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    assert border.get(qn("w:color")) == "FF0000"
    fonts = document.styles["Gongwen Title"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.styles["Gongwen Body"].element.rPr.rFonts.get(
        qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.styles["Gongwen Title"].font.size == Pt(22)
    with zipfile.ZipFile(path) as package:
        font_table = package.read("word/fontTable.xml").decode("utf-8")
        styles = package.read("word/styles.xml").decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in font_table
    assert '<w:font w:name="黑体"><w:altName w:val="SimHei"/>' in font_table
    assert 'w:eastAsia="zh-CN"' in styles


def test_page_numbers_are_dashed_on_the_outside_edges(tmp_path: Path) -> None:
    document = Document(str(render_docx(SAMPLE, tmp_path / "notice.docx")))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"
        assert "PAGE" in paragraph._p.xml
        assert paragraph.style.font.size == Pt(14)


def test_signatory_and_date_keep_right(tmp_path: Path) -> None:
    document = Document(str(render_docx(SAMPLE, tmp_path / "notice.docx")))
    signatory, day = [p for p in document.paragraphs if p.style.name in
                      ("Gongwen Signatory", "Gongwen Date")]
    assert signatory.alignment is None and signatory.style.paragraph_format.alignment == 2
    # The date is wider than the name, so it keeps two characters from the edge and the
    # name moves left until the date starts two characters after it.
    assert text_width("2026年11月30日") > text_width("校学生会")
    assert signatory.paragraph_format.right_indent > day.paragraph_format.right_indent


HOSTILE = "[bold]<w:p>x</w:p>]]>&amp;{{ title }}\x00\x1b[31m\x07\ud800\ufffe\u202e"


def test_hostile_text_is_inert(tmp_path: Path) -> None:
    long_title = "标" * 1000
    document = OfficialDocument(
        org=HOSTILE, number=HOSTILE, title=long_title + HOSTILE, recipients=(HOSTILE,),
        body=(HOSTILE, "\x0c\x0b", "甲\n\n乙"), signatory=HOSTILE * 40, date=date(2026, 1, 2),
        attachments=(HOSTILE,), cc=(HOSTILE,), issuer=HOSTILE, mark="")
    path = render_docx(document, tmp_path / "hostile.docx")
    parts = body_parts(path)
    shown = "[bold]<w:p>x</w:p>]]>&amp;{{ title }}[31m"
    assert parts[0] == ("Gongwen Mark", shown + "文件")
    assert parts[2] == ("Gongwen Title", long_title + shown)
    assert ("Gongwen Body", shown) in parts
    assert [("Gongwen Body", "甲"), ("Gongwen Body", "乙")] == [p for p in parts if p[1] in "甲乙"]
    assert all("\x1b" not in text and "\x00" not in text for _, text in parts)
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "<w:p>x</w:p>" not in xml and "&lt;w:p&gt;" in xml


def test_without_libreoffice_there_is_no_pdf(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert office_command() is None
    assert convert_to_pdf(render_docx(SAMPLE, tmp_path / "notice.docx")) is None


@pytest.mark.skipif(office_command() is None,
                    reason="LibreOffice (soffice) is not installed: the PDF is not rendered")
def test_pdf_is_a4_with_28_characters_a_line(tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 reads the PDF back")
    pdf_path = convert_to_pdf(render_docx(SAMPLE, tmp_path / "notice.docx"))
    assert pdf_path == tmp_path / "notice.pdf"
    pdf = pdfium.PdfDocument(str(pdf_path))
    width, height = pdf[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    text = "".join(page.get_textpage().get_text_range() for page in pdf).replace(" ", "")
    lines = text.splitlines()
    # The first body line is indented two characters and holds the next 26.
    assert SAMPLE.body[0][:26] in lines
    assert "抄送：校团委，学生工作部。" in lines
    assert lines[-1] == f"—{len(pdf)}—"
