"""A rendered .docx as PDF, through LibreOffice where this machine has it.

LibreOffice is a large optional install, so its absence is an answer (``None``: the caller
says the PDF could not be made here), not an error. Each conversion runs with a throwaway
profile so it neither waits on nor disturbs a LibreOffice the secretary has open.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ValidationError
from .platform import Platform

log = logging.getLogger(__name__)

OFFICE_COMMANDS = ("soffice", "libreoffice")
TIMEOUT_SECONDS = 180  # a first start with a fresh profile takes tens of seconds on a slow PC


class PdfFailed(ValidationError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__("gongwen.error.pdf_failed",
                         "LibreOffice could not turn {name} into a PDF: {reason}",
                         name=name, reason=reason)


def office_command() -> str | None:
    return next((found for name in OFFICE_COMMANDS if (found := shutil.which(name))), None)


def convert_to_pdf(docx: Path) -> Path | None:
    """Write ``docx`` beside itself as .pdf and return that path; ``None`` when LibreOffice
    is not installed."""
    office = office_command()
    if office is None:
        return None
    target = docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="mishu-pdf-") as work:
        outdir = Path(work) / "out"
        command = [office, f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}",
                   "--headless", "--norestore", "--convert-to", "pdf", "--outdir",
                   str(outdir), str(docx)]
        try:
            result = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS,
                                    check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise PdfFailed(docx.name, f"no answer in {TIMEOUT_SECONDS} s") from None
        produced = outdir / target.name
        if result.returncode != 0 or not produced.is_file():
            log.warning("LibreOffice failed on %s (exit %s): %s", docx, result.returncode,
                        result.stderr.decode("utf-8", "replace")[-2000:])
            raise PdfFailed(docx.name, f"exit status {result.returncode}")
        Platform.detect().write_atomically(target, produced.read_bytes())
    return target
