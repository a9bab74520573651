"""An issued 公文 as a Word document laid out per GB/T 9704-2012.

The page is A4 with the standard 版心 (156 mm × 225 mm: margins 上 37, 下 35, 左 28, 右 26 mm)
holding 22 lines × 28 characters of 3号 仿宋: a line grid with lines of exactly 225/22 mm, and
the text condensed by a quarter point so 28 characters fit a line and 29 do not, which Word and
LibreOffice agree on (LibreOffice lays Word's character grid out at 14 a line). The parts go in the standard's order, each in its own named paragraph style
(``Gongwen …``) so a secretary can restyle one part in Word and a test can read the order back:
版头 (the red 发文机关标志, the 发文字号, the red separator line), 主体 (标题, 主送, 正文,
附件说明, 落款 and 成文日期), then 版记 (抄送 and 印发机关/印发日期 between lines), kept at
the bottom of the last page by a table anchored to the bottom margin. Page numbers are 4号
half-width digits between dashes, outside edge of odd and even pages.

Fonts are named the way Chinese offices have them (方正小标宋简体, 仿宋_GB2312, 黑体,
楷体_GB2312). Where one is not installed, the font table tells Word its usual stand-in
(``altName``: 仿宋 for 仿宋_GB2312) and every reader its kind and script (serif or sans,
GB2312), and the text is marked zh-CN, so the document still opens in Chinese faces; the
grid keeps the lines where they were whatever face is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from lxml import etree

from .gongwen import (
    OfficialDocument,
    attachment_lines,
    cc_line,
    chinese_date,
    document_text,
    recipients_line,
    text_width,
)
from .platform import open_private

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH, TEXT_HEIGHT = Mm(156), Mm(225)
LINES, CHARS = 22, 28
LINE_PITCH = Twips(TEXT_HEIGHT.twips // LINES)  # 579 twips: 28.95 pt
BODY_SIZE = Pt(16)  # 3号
CHAR_PITCH = Length(TEXT_WIDTH // CHARS)
CONDENSED = Twips(-5)  # 16 pt less 0.25 pt a character: 28 fit in 156 mm, 29 do not
RED = RGBColor(0xFF, 0x00, 0x00)
CELL_MARGIN = Twips(108)  # Word's default left and right padding of a table cell
MARK_GAP = Mm(35)  # 发文机关标志's top edge below the 版心's for a 下行文


@dataclass(frozen=True)
class Face:
    """A font as the document names it, the stand-in Word takes where it is missing, and
    its kind (``roman``: serif, ``swiss``: sans) for every other reader."""

    name: str
    alt: str
    family: str


XIAOBIAOSONG = Face("方正小标宋简体", "宋体", "roman")
FANGSONG = Face("仿宋_GB2312", "仿宋", "roman")
HEITI = Face("黑体", "SimHei", "swiss")
KAITI = Face("楷体_GB2312", "楷体", "roman")
SONGTI = Face("宋体", "SimSun", "roman")
LATIN = "Times New Roman"

# Part → (style name, face, size): the order here is the order on the page.
STYLES: dict[str, tuple[str, Face, Length]] = {
    "mark": ("Gongwen Mark", XIAOBIAOSONG, Pt(42)),
    "number": ("Gongwen Number", FANGSONG, BODY_SIZE),
    "title": ("Gongwen Title", XIAOBIAOSONG, Pt(22)),  # 2号
    "recipients": ("Gongwen Recipients", FANGSONG, BODY_SIZE),
    "body": ("Gongwen Body", FANGSONG, BODY_SIZE),
    "heading1": ("Gongwen Heading 1", HEITI, BODY_SIZE),
    "heading2": ("Gongwen Heading 2", KAITI, BODY_SIZE),
    "attachment": ("Gongwen Attachment", FANGSONG, BODY_SIZE),
    "signatory": ("Gongwen Signatory", FANGSONG, BODY_SIZE),
    "date": ("Gongwen Date", FANGSONG, BODY_SIZE),
    "note": ("Gongwen Note", FANGSONG, Pt(14)),  # 版记, 4号
    "page_number": ("Gongwen Page Number", SONGTI, Pt(14)),
}
# What may follow the properties written here: Word refuses a document whose properties are
# out of the schema's order.
_AFTER_SNAP_TO_GRID = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                       "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                       "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
                       "w:sectPr", "w:pPrChange")
_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                 "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                 "w:adjustRightInd", "w:snapToGrid", *_AFTER_SNAP_TO_GRID)
_AFTER_RUN_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
                      "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
                      "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
# 结构层次序数: 一、 in 黑体, （一） in 楷体; 1. and （1） stay in the body's 仿宋.
_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）")


def render_docx(doc: OfficialDocument, path: Path) -> Path:
    """Write ``doc`` to ``path`` (created private, like every export) and return the path."""
    document = Document()
    _lay_out_page(document)
    _add_styles(document)
    _add_font_table(document)
    _masthead(document, doc)
    _main_text(document, doc)
    _imprint(document, doc)
    _page_numbers(document)
    with open_private(path, "wb") as handle:
        document.save(handle)
    return path


def _lay_out_page(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = Mm(15)
    section.footer_distance = Mm(22)  # the number's top edge about 7 mm under the 版心
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # A line grid only: the 28 characters come from condensing the text (:data:`CONDENSED`),
    # which Word and LibreOffice agree on; LibreOffice gives a character wider than a cell of
    # Word's character grid two cells, and printed 14 to a line.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))
    document.settings.odd_and_even_pages_header_footer = True


def _set_fonts(rpr_owner: object, face: Face, latin: str = LATIN) -> None:
    """Name ``face`` for Chinese text and ``latin`` for Latin letters and digits."""
    rpr = rpr_owner.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), face.name)
    fonts.set(qn("w:hint"), "eastAsia")


def _document_defaults(document: Document) -> None:
    """3号 仿宋 in Chinese as every run's default: Word measures the character grid from
    this size, and a reader choosing a stand-in face looks at the language."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for child in list(run):
        run.remove(child)
    half_points = round(BODY_SIZE.pt * 2)
    run.extend(parse_xml(
        f'<w:rPr xmlns:w="{run.nsmap["w"]}"><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" '
        f'w:eastAsia="{FANGSONG.name}" w:cs="{LATIN}" w:hint="eastAsia"/>'
        f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        f'<w:lang w:val="zh-CN" w:eastAsia="zh-CN"/></w:rPr>'))


def _add_styles(document: Document) -> None:
    _document_defaults(document)
    normal = document.styles["Normal"]
    _set_fonts(normal.element, FANGSONG)
    normal.font.size = BODY_SIZE
    _character_spacing(normal, CONDENSED)
    _exact_lines(normal)
    for part, (name, face, size) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _set_fonts(style.element, face, SONGTI.name if part == "page_number" else LATIN)
        style.font.size = size
    styles = document.styles
    styles["Gongwen Mark"].font.color.rgb = RED
    for name in ("Gongwen Mark", "Gongwen Number", "Gongwen Title"):
        styles[name].paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
    for name in ("Gongwen Mark", "Gongwen Title", "Gongwen Page Number"):
        styles[name].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _off_grid(styles[name])
        _character_spacing(styles[name], Twips(0))
    styles["Gongwen Mark"].paragraph_format.space_before = MARK_GAP
    styles["Gongwen Number"].paragraph_format.space_before = _lines(2)
    styles["Gongwen Title"].paragraph_format.space_before = _lines(2)
    styles["Gongwen Title"].paragraph_format.space_after = _lines(1)
    for name in ("Gongwen Body", "Gongwen Heading 1", "Gongwen Heading 2"):
        styles[name].paragraph_format.first_line_indent = _chars(2)
        styles[name].paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.JUSTIFY
    styles["Gongwen Signatory"].paragraph_format.space_before = _lines(1)
    for name in ("Gongwen Signatory", "Gongwen Date"):
        styles[name].paragraph_format.alignment = WD_PARAGRAPH_ALIGNMENT.RIGHT
    note = styles["Gongwen Note"]
    _off_grid(note)
    note.paragraph_format.left_indent = note.paragraph_format.right_indent = _chars(1, Pt(14))
    note.paragraph_format.line_spacing = Pt(22)
    note.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def _exact_lines(style: ParagraphStyle) -> None:
    """One line of the grid per line of text, whatever face a reader substitutes."""
    form = style.paragraph_format
    form.line_spacing, form.line_spacing_rule = LINE_PITCH, WD_LINE_SPACING.EXACTLY
    form.space_before = form.space_after = Pt(0)
    form.widow_control = False


def _character_spacing(style: ParagraphStyle, spacing: Length) -> None:
    element = OxmlElement("w:spacing")
    element.set(qn("w:val"), str(spacing.twips))
    style.element.get_or_add_rPr().insert_element_before(element, *_AFTER_RUN_SPACING)


def _off_grid(style: ParagraphStyle) -> None:
    """Lay a larger or smaller face out by its own size rather than snapped to the grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    style.element.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP_TO_GRID)


def _lines(count: int) -> Length:
    return Length(LINE_PITCH * count)


def _chars(count: float, size: Length = CHAR_PITCH) -> Length:
    return Length(round(size * count))


def _add_font_table(document: Document) -> None:
    """Declare each Chinese face with its stand-in, script (GB2312) and kind."""
    part = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    table = parse_xml(part.blob)
    for face in (XIAOBIAOSONG, FANGSONG, HEITI, KAITI, SONGTI):
        table.append(parse_xml(
            f'<w:font xmlns:w="{table.nsmap["w"]}" w:name="{face.name}">'
            f'<w:altName w:val="{face.alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{face.family}"/><w:pitch w:val="variable"/></w:font>'))
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _paragraph(document: Document, part: str, text: str) -> Paragraph:
    return document.add_paragraph(document_text(text), style=STYLES[part][0])


def _masthead(document: Document, doc: OfficialDocument) -> None:
    """版头: the red mark, sized to fit one line where it can, the number and the red line."""
    mark = _paragraph(document, "mark", doc.mark_text)
    width = max(text_width(document_text(doc.mark_text)), 1.0)
    mark_size = Pt(max(16, min(42, int(TEXT_WIDTH.pt / width * 0.95))))
    for run in mark.runs:
        run.font.size = mark_size
    number = _paragraph(document, "number", doc.number)
    border = parse_xml(
        f'<w:pBdr xmlns:w="{number._p.nsmap["w"]}"><w:bottom w:val="single" w:sz="12" '
        f'w:space="11" w:color="FF0000"/></w:pBdr>')
    number._p.get_or_add_pPr().insert_element_before(border, *_AFTER_BORDER)


def _main_text(document: Document, doc: OfficialDocument) -> None:
    _paragraph(document, "title", doc.title)
    if doc.recipients:
        _paragraph(document, "recipients", recipients_line(doc.recipients))
    for paragraph in doc.body:
        for line in document_text(paragraph).splitlines():
            if line.strip():
                _paragraph(document, _body_part(line.strip()), line.strip())
    lines = attachment_lines(doc.attachments)
    for index, line in enumerate(lines):
        item = _paragraph(document, "attachment", line)
        form = item.paragraph_format
        form.left_indent = _chars(2 + 3)  # 左空二字, then past 附件：
        form.first_line_indent = _chars(-3) if index == 0 else _chars(0)
        if index == 0:
            form.space_before = _lines(1)
    _signature(document, doc)


def _body_part(line: str) -> str:
    if _HEADING1.match(line):
        return "heading1"
    return "heading2" if _HEADING2.match(line) else "body"


def _signature(document: Document, doc: OfficialDocument) -> None:
    """落款 without a seal: the signatory two characters from the right, the date under it
    starting two characters further right; a longer date moves the signatory left instead."""
    signatory, day = document_text(doc.signatory), chinese_date(doc.date)
    sign_width, date_width = text_width(signatory), text_width(day)
    if sign_width - date_width >= 2:
        sign_right, date_right = 2.0, sign_width - date_width
    else:
        sign_right, date_right = date_width - sign_width + 4, 2.0
    for part, text, right, width in (("signatory", signatory, sign_right, sign_width),
                                     ("date", day, date_right, date_width)):
        paragraph = _paragraph(document, part, text)
        paragraph.paragraph_format.right_indent = _chars(max(0.0, min(right, CHARS - width)))


def _imprint(document: Document, doc: OfficialDocument) -> None:
    """版记: 抄送, then 印发机关 and 印发日期 on one line, a thick line above and below and a
    thin one between, as wide as the 版心. It is a table anchored to the bottom margin of the
    last page: Word puts it there; LibreOffice (7.x) floats only tables narrower than the text
    and shows it right under the 成文日期 instead, still whole and in order."""
    rows = [cc_line(tuple(document_text(name) for name in doc.cc))] if doc.cc else []
    rows.append(f"{document_text(doc.issuer_text)}\t{chinese_date(doc.issued_on)}印发")
    table = document.add_table(rows=len(rows), cols=1)
    for row, text in zip(table.rows, rows, strict=True):
        cell = row.cells[0]
        cell.width = TEXT_WIDTH
        paragraph = cell.paragraphs[0]
        paragraph.style = document.styles[STYLES["note"][0]]
        paragraph.add_run(text)
        if text.startswith("抄送："):
            paragraph.paragraph_format.left_indent = _chars(1 + 3, Pt(14))
            paragraph.paragraph_format.first_line_indent = _chars(-3, Pt(14))
        else:
            right = TEXT_WIDTH - 2 * CELL_MARGIN - _chars(1, Pt(14))
            paragraph.paragraph_format.tab_stops.add_tab_stop(Length(right),
                                                              WD_TAB_ALIGNMENT.RIGHT)
    properties = table._tbl.tblPr
    for child in list(properties):
        properties.remove(child)
    properties.extend(parse_xml(
        f'<w:tblPr xmlns:w="{properties.nsmap["w"]}">'
        '<w:tblpPr w:vertAnchor="margin" w:horzAnchor="margin" w:tblpXSpec="center" '
        'w:tblpYSpec="bottom"/>'
        f'<w:tblW w:w="{TEXT_WIDTH.twips}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblBorders><w:top w:val="single" w:sz="8" w:color="000000"/>'
        '<w:bottom w:val="single" w:sz="8" w:color="000000"/>'
        '<w:insideH w:val="single" w:sz="6" w:color="000000"/></w:tblBorders>'
        '<w:tblLayout w:type="fixed"/></w:tblPr>'))
    document.add_paragraph()  # a body ends with a paragraph; the table floats free of it


def _page_numbers(document: Document) -> None:
    """— 1 —: odd pages at the right, even pages at the left, one character in."""
    section = document.sections[0]
    for footer, alignment in ((section.footer, WD_PARAGRAPH_ALIGNMENT.RIGHT),
                              (section.even_page_footer, WD_PARAGRAPH_ALIGNMENT.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.style = document.styles[STYLES["page_number"][0]]
        paragraph.alignment = alignment
        indent = _chars(1, Pt(14))
        if alignment == WD_PARAGRAPH_ALIGNMENT.RIGHT:
            paragraph.paragraph_format.right_indent = indent
        else:
            paragraph.paragraph_format.left_indent = indent
        paragraph.add_run("— ")
        _page_field(paragraph)
        paragraph.add_run(" —")


def _page_field(paragraph: Paragraph) -> None:
    ns = f'xmlns:w="{paragraph._p.nsmap["w"]}"'
    for inner in ('<w:fldChar w:fldCharType="begin"/>',
                  '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                  '<w:fldChar w:fldCharType="separate"/>', "<w:t>1</w:t>",
                  '<w:fldChar w:fldCharType="end"/>'):
        run = paragraph.add_run()
        run._r.append(parse_xml(f"<w:r {ns}>{inner}</w:r>")[0])
