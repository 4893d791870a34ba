"""How much longer a file may take when its pages are OCR'd: the time limit's growth, known before reading.

A worker's own alarm grows by ``OCR_PAGE_SECONDS`` for each page it OCRs;
the parent that waits for the worker must allow as much, or it would kill a
worker busy with a long scan. The allowance counts every page a file could
need OCR for (a PDF's pages, an image report's page files), read from its
header only.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2

from .formats import format_of
from .images import page_files
from .ocr import OCR_PAGE_SECONDS


def ocr_allowance(path: Path) -> float:
    """Seconds OCR may add to ``path``'s time limit (0 for text formats and unreadable files)."""
    fmt = format_of(path)
    try:
        if fmt == "image":
            return OCR_PAGE_SECONDS * len(page_files(path))
        if fmt == "pdf":
            pdf = pypdfium2.PdfDocument(str(path))
            try:
                return OCR_PAGE_SECONDS * len(pdf)
            finally:
                pdf.close()
    except (OSError, pypdfium2.PdfiumError):
        return 0.0
    return 0.0
