"""Page images for OCR: a PDF's pages rasterised (pypdfium2), or image files decoded (Pillow), cleaned.

Cleaning keeps, for each pixel, its lightest channel, and paints coloured
ink over with the paper's tone: black print stays black, while a red (or
blue) stamp over a table fades into the paper and no longer hides the
digits under it, nor adds strokes the OCR would read as characters.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2
from PIL import Image, ImageChops, ImageFilter, ImageSequence, UnidentifiedImageError

from ..errors import UndecodableText

DPI = 200
"""Rasterising resolution, chosen by measurement (README, "Scanned reports"): 150 dpi was no faster
(the recogniser's work is per text box, not per pixel), 300 dpi three times slower, and RapidOCR
scales a page over 2,000 pixels down anyway."""

COLOURED = 40
"""A pixel whose lightest and darkest channels differ by more than this is coloured ink, not print."""

A4_WIDTH_PT = 595.0
"""An image has no page size: its pixels are scaled to an A4 page's width in points, the scale the
PDF geometry's tolerances are written for."""


@dataclass(frozen=True)
class PageImage:
    """One page to OCR: its 1-based number, the image, and points per pixel."""

    page: int
    image: Image.Image
    scale: float
    """PDF points per image pixel."""


def pdf_page_images(data: bytes, pages: list[int], dpi: int = DPI) -> Iterator[PageImage]:
    """The given 1-based pages of a PDF, rasterised at ``dpi``."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        for number in pages:
            bitmap = pdf[number - 1].render(scale=dpi / 72)
            yield PageImage(number, clean(bitmap.to_pil()), 72 / dpi)
    finally:
        pdf.close()


def image_pages(files: list[tuple[str, bytes]]) -> Iterator[PageImage]:
    """The pages of image files in order (a multi-page TIFF gives each of its frames)."""
    number = 0
    for name, data in files:
        try:
            image = Image.open(io.BytesIO(data))
            frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise UndecodableText(f"cannot decode the image {name}: {exc}", path=name, stage="load") from exc
        for frame in frames:
            number += 1
            yield PageImage(number, clean(frame), A4_WIDTH_PT / max(frame.width, 1))


def clean(image: Image.Image) -> Image.Image:
    """Grey from the lightest channel of each pixel, coloured pixels lightened by the ink's own shade.

    Seen through its lightest channel a red stamp is still a little darker than the paper (enough for
    the OCR to read its strokes as 口 or 日); dividing its pixels by the stamp's lightness makes it
    paper again, while print under it (dark in every channel) stays as dark as it was."""
    rgb = image.convert("RGB")
    r, g, b = rgb.split()
    light = ImageChops.lighter(ImageChops.lighter(r, g), b)
    dark = ImageChops.darker(ImageChops.darker(r, g), b)
    coloured = ImageChops.subtract(light, dark).point(lambda v: 255 if v > COLOURED else 0)
    ink = coloured.filter(ImageFilter.MaxFilter(5))  # with the stroke's fringe, softened by blur and JPEG
    shade = percentile(light.histogram(mask=ink), 0.5)
    if shade:
        paper = percentile(light.histogram(), 0.9)
        light.paste(light.point(lambda v: min(paper, round(v * paper / shade))), mask=ink)
    return light.convert("RGB")


def percentile(hist: list[int], share: float) -> int:
    """The grey level below which ``share`` of a histogram's pixels lie (0 for an empty histogram)."""
    total, seen = sum(hist), 0
    for level, n in enumerate(hist):
        seen += n
        if total and seen >= share * total:
            return level
    return 0
