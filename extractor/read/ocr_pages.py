"""Page images for OCR: a PDF's pages rasterised (pypdfium2), or image files decoded (Pillow), cleaned.

Cleaning keeps, for each pixel, its lightest channel: black print stays
black, while a red (or blue) stamp over a table turns as light as the paper
and no longer hides the digits under it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2
from PIL import Image, ImageChops, ImageSequence, UnidentifiedImageError

from ..errors import UndecodableText

DPI = 200
"""Rasterising resolution, chosen by measurement (README, "Scanned reports"): at 150 dpi RapidOCR
misread more zeros; above 200 its detector scales the page down to 2,000 pixels anyway."""

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
    """Grey from the lightest channel of each pixel: coloured stamps fade, print stays."""
    rgb = image.convert("RGB")
    r, g, b = rgb.split()
    return ImageChops.lighter(ImageChops.lighter(r, g), b).convert("RGB")
