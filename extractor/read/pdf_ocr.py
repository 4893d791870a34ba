"""PDF pages with no usable text layer → OCR'd characters in their place.

A page is OCR'd when it holds images but no text (a scan) or when its text
reads mostly as ``(cid:…)`` glyph codes (fonts without a Unicode map). A
garbled page keeps the ruled tables its vector lines draw, and the OCR'd
characters fill their cells; a scanned page's tables are found by the words
fallback. Without the ``[ocr]`` extra a document that needs OCR fails as it
always did, the message naming the command that enables OCR; pages that
need it in a document that reads without them are left out, with a warning.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import UndecodableText, UnsupportedFormat
from .ocr import OcrPage, ocr_pages
from .ocr_engine import OcrUnavailable
from .ocr_pages import pdf_page_images
from .pdf_geometry import Char
from .pdf_rules import RuledTable

log = logging.getLogger(__name__)

_CID = re.compile(r"^\(cid:\d+\)$")
GARBLED_SHARE = 0.2
"""A page (or document) whose characters are more than this share ``(cid:…)`` codes is garbled."""

NO_TEXT = "no text layer: OCR is not supported (the PDF holds only images, e.g. a scan)"
NO_UNICODE = ("the PDF's text layer has no Unicode mapping: its text reads as (cid:…) glyph codes; OCR is not "
              "supported (export the PDF again with embedded Unicode fonts)")


@dataclass
class PageChars:
    """One page as read from its text layer, before its blocks are built."""

    number: int
    height: float
    chars: list[Char]
    tables: Sequence[RuledTable] = field(default_factory=list)
    images: bool = False


def garbled(chars: Sequence[Char]) -> int:
    """How many of ``chars`` are ``(cid:…)`` codes."""
    return sum(1 for c in chars if _CID.match(c.text))


def ocr_unreadable(data: bytes, pages: list[PageChars], path: str | None) -> list[OcrPage]:
    """OCR the pages that need it and put their characters in place (``pages`` is updated); the OCR'd
    pages, for their scores. Raises the ``InputError`` of a document that cannot be read at all."""
    seen = sum(len(p.chars) for p in pages)
    cid = sum(garbled(p.chars) for p in pages)
    todo = [p for p in pages if (p.images and not p.chars)
            or (p.chars and garbled(p.chars) > GARBLED_SHARE * len(p.chars))]
    if not todo:
        if seen == 0:
            raise UnsupportedFormat(NO_TEXT, path=path, stage="load")
        return []
    try:
        read = ocr_pages(pdf_page_images(data, [p.number for p in todo]))
    except OcrUnavailable as exc:
        if seen == 0:
            raise UnsupportedFormat(f"{NO_TEXT}; {exc.hint}", path=path, stage="load") from exc
        if cid > GARBLED_SHARE * seen:
            raise UndecodableText(f"{NO_UNICODE}; {exc.hint}", path=path, stage="load") from exc
        log.warning("%s: %d page(s) with no usable text left out: %s", path, len(todo), exc.hint)
        return []
    by_number = {o.page: o for o in read}
    for p in todo:
        p.chars = by_number[p.number].chars
    if not any(o.chars for o in read) and seen == cid:
        found = f"and OCR found no text on its {len(todo)} page(s) either"
        if seen == 0:
            raise UnsupportedFormat(f"no text layer, {found} (a blank or unreadable scan)", path=path, stage="load")
        raise UndecodableText(f"{NO_UNICODE.split(';')[0]}, {found}", path=path, stage="load")
    return read
