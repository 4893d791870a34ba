"""Page images (.png .jpg .jpeg .tif .tiff) → text and boxes, by OCR, as a scanned PDF is read.

One image is a one-page document (a TIFF may hold several pages). Images of
one report named ``<name>_p1.png``, ``<name>_p2.png``, … (also ``-p1``,
``_page1``; any image suffix) are one document, read in page order:
``page_files`` finds the siblings of a first page, and the batch walker
passes only the first page on.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import UnsupportedFormat
from .limits import DEFAULT_LIMITS, Limits, check_pages
from .ocr import ocr_pages
from .ocr_engine import OcrUnavailable
from .ocr_pages import image_pages
from .pdf import PdfText, pages_to_text
from .pdf_ocr import PageChars

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
_PAGE = re.compile(r"^(?P<stem>.+?)[_-]p(?:age)?(?P<n>\d+)$", re.IGNORECASE)


def page_number(path: Path) -> tuple[str, int] | None:
    """``(stem, n)`` for an image named as page ``n`` of a report (``report_p2.png``), else None."""
    m = _PAGE.match(path.stem)
    return (m["stem"].lower(), int(m["n"])) if m and path.suffix.lower() in IMAGE_SUFFIXES else None


def page_files(path: Path) -> list[Path]:
    """The images of the report ``path`` is a page of, in page order (just ``path`` if it is not a page)."""
    own = page_number(path)
    if own is None:
        return [path]
    pages = [(n[1], p) for p in path.parent.iterdir()
             if p.is_file() and (n := page_number(p)) is not None and n[0] == own[0]]
    return [p for _, p in sorted(pages)]


def is_later_page(path: Path) -> bool:
    """A page image after the first of its report, when the first is there: read with it, not alone."""
    own = page_number(path)
    return own is not None and page_files(path)[0] != path


def images_to_text(files: list[tuple[str, bytes]], *, path: str | None = None,
                   limits: Limits = DEFAULT_LIMITS) -> PdfText:
    """OCR each page image in turn; raises an ``InputError`` when OCR is not installed."""
    pages = list(image_pages(files))
    check_pages(len(pages), limits, path)
    try:
        read = ocr_pages(pages)
    except OcrUnavailable as exc:
        raise UnsupportedFormat(f"a page image needs OCR; {exc.hint}", path=path, stage="load") from exc
    if not any(p.chars for p in read):
        raise UnsupportedFormat(f"OCR found no text in the image(s) ({len(read)} page(s))", path=path,
                                stage="load")
    return pages_to_text([PageChars(p.page, p.height, p.chars) for p in read], read)
