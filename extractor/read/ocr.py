"""OCR'd pages → positioned characters, so that the PDF readers place them as they place a text layer.

Each box the engine reads is turned back to the page's axes (the page's skew
is the median slant of its wide boxes) and scaled to points; its text is
spread over its width, one ``Char`` per character (a CJK character twice as
wide as a digit), a space inside it a gap wide enough to split phrases. The
tables are then found by the words fallback (rows by y, columns by x).
Every character keeps its OCR score; a cell's box gets the lowest score of
the characters inside it (``score_boxes``), which ``parse.checks`` folds
into the cell's confidence. Letters read where a number stands (``o`` for
0, ``l`` for 1) and stray dots are mended, with the score capped so the cell
is doubted, never silently trusted.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..document import Box
from ..time_limit import extend_time_limit
from .ocr_engine import OcrBox, read_image
from .ocr_pages import PageImage
from .pdf_geometry import Char

OCR_PAGE_SECONDS = 60.0
"""Seconds the per-document time limit grows by for each page OCR'd: a page takes 3–10 s on an idle core, and
several times that on a busy machine; the limit guards against a hang, not a slow scan."""

MENDED_SCORE = 0.5
"""The score a number keeps when a letter in it was read as a digit (``o`` → 0)."""
STRAY_SCORE = 0.6
"""The score a number keeps when stray dots or commas around it were dropped."""

_AS_DIGIT = str.maketrans({"o": "0", "O": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "L": "1", "|": "1",
                           "i": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9"})
_NUMBERISH = re.compile(r"^[0-9oODQlIL|iSsBZzg.,，．·'`口日囗□]{1,12}$")
_STRAY = ".,，．·'`口日囗□"
"""Read at either end of a number: specks, and a stamp's lettering or the corner of a ruling (口, 日)."""


@dataclass(frozen=True)
class OcrPage:
    """One OCR'd page: characters in points from the page's top-left, and each one's score."""

    page: int
    height: float
    chars: list[Char]
    scores: list[float]


def ocr_pages(images: Iterable[PageImage]) -> list[OcrPage]:
    """Each page image read by the engine; the document's time limit grows by ``OCR_PAGE_SECONDS`` a page."""
    out: list[OcrPage] = []
    for image in images:
        extend_time_limit(OCR_PAGE_SECONDS)
        out.append(boxes_to_page(image, read_image(image.image)))
    return out


def boxes_to_page(image: PageImage, boxes: Sequence[OcrBox]) -> OcrPage:
    """The boxes' characters, deskewed and in points."""
    angle = skew(boxes)
    cx, cy = image.image.width / 2, image.image.height / 2
    cos, sin = math.cos(-angle), math.sin(-angle)
    chars: list[Char] = []
    scores: list[float] = []
    for box in boxes:
        xs, ys = [], []
        for x, y in box.quad:
            dx, dy = x - cx, y - cy
            xs.append((cx + dx * cos - dy * sin) * image.scale)
            ys.append((cy + dx * sin + dy * cos) * image.scale)
        if is_speck(box.text):
            continue
        text, score = mend_number(box.text.strip(), box.score)
        for ch in spread(text, (min(xs), min(ys), max(xs), max(ys))):
            chars.append(ch)
            scores.append(score)
    return OcrPage(image.page, image.image.height * image.scale, chars, scores)


def skew(boxes: Sequence[OcrBox]) -> float:
    """The page's rotation in radians: the median slant of the top edges of boxes at least twice as wide
    as high (0 when there are none)."""
    slants = []
    for box in boxes:
        (x0, y0), (x1, y1), _, (x3, y3) = box.quad
        width, height = math.hypot(x1 - x0, y1 - y0), math.hypot(x3 - x0, y3 - y0)
        if width >= 2 * height > 0:
            slants.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(slants) if slants else 0.0


def is_speck(text: str) -> bool:
    """A box of nothing but stray marks (a stamp's lettering, a ruling's corner read as 口): no text. Left in,
    it would sit in a value cell beside a number ("0口") and make the row unreadable."""
    core = text.strip()
    return not core or all(c in _STRAY for c in core)


def mend_number(text: str, score: float) -> tuple[str, float]:
    """A box that reads as a number with letters in it (``1o``, ``L``) or stray dots around it (``.18``)
    → the number, its score capped; any other text as read."""
    if not _NUMBERISH.match(text) or not any(c.isdigit() or c in "oOlLI|" for c in text):
        return text, score
    core = text.strip(_STRAY)
    if not core:
        return text, score
    mended = core.translate(_AS_DIGIT)
    if mended != core:
        score = min(score, MENDED_SCORE)
    if core != text:
        score = min(score, STRAY_SCORE)
    return mended, score


def spread(text: str, bbox: tuple[float, float, float, float]) -> list[Char]:
    """One ``Char`` per character of ``text`` across ``bbox``: wide (CJK) characters take two units, others
    one; a run of spaces is a gap of two units (wide enough to split the phrase there)."""
    units = [2.0 if c.isspace() or unicodedata.east_asian_width(c) in "WF" else 1.0 for c in text]
    total = sum(units)
    if not text or total == 0:
        return []
    x0, top, x1, bottom = bbox
    step = (x1 - x0) / total
    size = bottom - top
    out: list[Char] = []
    x = x0
    for c, u in zip(text, units, strict=True):
        if not c.isspace():
            out.append(Char(c, x, top, x + u * step, bottom, size))
        x += u * step
    return out


def score_boxes(boxes: Sequence[Box], pages: Sequence[OcrPage]) -> tuple[Box, ...]:
    """Each box on an OCR'd page with ``ocr`` set to the lowest score of the characters whose centre it
    holds (a blank cell's box holds none and keeps ``None``)."""
    index: dict[int, tuple[list[float], list[tuple[float, float, float]]]] = {}
    for p in pages:
        points = sorted((((c.top + c.bottom) / 2), (c.x0 + c.x1) / 2, s) for c, s in zip(p.chars, p.scores,
                                                                                      strict=True))
        index[p.page] = ([y for y, _, _ in points], points)
    out: list[Box] = []
    for box in boxes:
        found = index.get(box.page)
        if found is None:
            out.append(box)
            continue
        ys, points = found
        x0, top, x1, bottom = box.bbox
        inside = [s for _, x, s in points[bisect_left(ys, top - 0.5):bisect_right(ys, bottom + 0.5)]
                  if x0 - 0.5 <= x <= x1 + 0.5]
        out.append(replace(box, ocr=round(min(inside), 3)) if inside else box)
    return tuple(out)
