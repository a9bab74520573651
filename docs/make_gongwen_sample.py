"""Regenerate the README's page image of a rendered 公文: ``.venv/bin/python docs/make_gongwen_sample.py``.

Renders a sample notice with :func:`store.gongwen_docx.render_docx`, turns it into PDF with
LibreOffice (needed here: the image is what LibreOffice prints, not a mock-up) and puts its
pages side by side in docs/screenshots/gongwen-sample.png with pypdfium2.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2
from PIL import Image

from store.gongwen import OfficialDocument
from store.gongwen_docx import render_docx
from store.gongwen_pdf import convert_to_pdf

OUT = ROOT / "docs" / "screenshots" / "gongwen-sample.png"
NOTICE = OfficialDocument(
    org="校学生会", number="校学生会发〔2026〕3号",
    title="关于开展2026年秋季学期各部门工作总结收集工作的通知",
    recipients=("各部门", "各学院学生会"),
    body=("为做好本学期工作总结与经验交流，经主席团研究，现就各部门工作总结收集工作通知如下。",
          "一、提交内容",
          "各部门围绕本学期主要工作、特色活动、存在问题和下学期计划撰写工作总结，字数一般不少于1500字。",
          "二、提交时间",
          "请于2026年12月4日（星期五）17:00前将电子版报送秘书处，逾期未交的部门将在例会上通报。",
          "（一）材料格式",
          "正文使用仿宋三号字，标题使用小标宋二号字，页码居外侧。",
          "三、联系方式",
          "秘书处联系人：王同学，电话：010-12345678。"),
    signatory="校学生会", date=date(2026, 11, 30),
    attachments=("各部门工作总结模板", "提交情况登记表"),
    cc=("校团委", "学生工作部"), issuer="校学生会秘书处")


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        pdf_path = convert_to_pdf(render_docx(NOTICE, Path(work) / "notice.docx"))
        if pdf_path is None:
            print("LibreOffice (soffice) is not installed: no page image made", file=sys.stderr)
            return 1
        pages = [page.render(scale=1.0).to_pil() for page in pypdfium2.PdfDocument(pdf_path)]
    gap = 24
    sheet = Image.new("RGB", (sum(p.width for p in pages) + gap * (len(pages) + 1),
                              max(p.height for p in pages) + 2 * gap), "#9a9a9a")
    left = gap
    for page in pages:
        sheet.paste(page, (left, gap))
        left += page.width + gap
    sheet.save(OUT, optimize=True)
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
