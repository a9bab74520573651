"""Regenerate the README's page image of a rendered 公文: ``.venv/bin/python docs/make_gongwen_sample.py``.

Renders :data:`store.gongwen_demo.DEMO_NOTICE` with :func:`store.gongwen_docx.render_docx`,
turns it into PDF with LibreOffice (needed here: the image is what LibreOffice prints, not a mock-up) and puts its
pages side by side in docs/screenshots/gongwen-sample.png with pypdfium2.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2  # noqa: E402
from PIL import Image  # noqa: E402

from store.gongwen_demo import DEMO_NOTICE  # noqa: E402
from store.gongwen_docx import render_docx  # noqa: E402
from store.gongwen_pdf import convert_to_pdf  # noqa: E402

OUT = ROOT / "docs" / "screenshots" / "gongwen-sample.png"


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        pdf_path = convert_to_pdf(render_docx(DEMO_NOTICE, Path(work) / "notice.docx"))
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
