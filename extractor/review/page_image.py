"""The PDF page as the reviewer knows it: a cell's page and bbox → a PNG of the page region, the cell
outlined and its row and column shaded.

Rendered on demand with pypdfium2 (pdfplumber's own renderer) and cached as files beside the review
database, keyed by the document's sha256, the page, the box and the zoom, so a page is drawn once.
"""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path

from ..errors import NianbaoError
from ..records import Record

log = logging.getLogger(__name__)

MARGIN_PT = 160.0
"""Page shown above and below the cell, in PDF points: the rows around it and often the header."""
ZOOMS = (1, 2, 3)
"""Rendering scales offered (1 = 72 dpi × 2, so text stays legible)."""
BASE_SCALE = 2.0
ROW_SHADE = (255, 212, 0, 60)
COLUMN_SHADE = (0, 110, 255, 45)
OUTLINE = (220, 0, 0, 255)


class NoPageImage(NianbaoError):
    """The cell has no page position, or its PDF is gone or changed."""


def cache_folder(db: Path) -> Path:
    return db.with_name(db.name + ".pages")


def page_png(record: Record, page: int, bbox: tuple[float, float, float, float], zoom: int,
             cache: Path) -> bytes:
    """The page region around ``bbox`` (x0, top, x1, bottom in points) as PNG, from the cache if drawn before."""
    if zoom not in ZOOMS:
        raise NoPageImage(f"zoom is one of {', '.join(map(str, ZOOMS))}")
    if record.format != "pdf" or not record.path or not record.sha256:
        raise NoPageImage(f"{record.document} is not a PDF whose file is known")
    key = hashlib.sha256(f"{record.sha256}:{page}:{bbox}:{zoom}".encode()).hexdigest()[:32]
    cached = cache / f"{key}.png"
    if cached.is_file():
        return cached.read_bytes()
    data = _render(Path(record.path), record.sha256, page, bbox, BASE_SCALE * zoom)
    cache.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".tmp")
    partial.write_bytes(data)
    partial.replace(cached)
    return data


def _render(path: Path, sha256: str, page_no: int, bbox: tuple[float, float, float, float],
            scale: float) -> bytes:
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NoPageImage(f"cannot read {path}: {exc}") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise NoPageImage(f"{path} changed since it was extracted")
    pdf = pdfium.PdfDocument(data)
    try:
        if not 1 <= page_no <= len(pdf):
            raise NoPageImage(f"{path.name} has no page {page_no}")
        page = pdf[page_no - 1]
        width, height = page.get_size()
        x0, top, x1, bottom = bbox
        crop_top = max(0.0, top - MARGIN_PT)
        crop_bottom = min(height, bottom + MARGIN_PT)
        # pypdfium2 crops by (left, bottom, right, top) margins, measured from each edge
        image = page.render(scale=scale, crop=(0, height - crop_bottom, 0, crop_top)).to_pil()
    finally:
        pdf.close()
    image = image.convert("RGBA")
    shade = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shade)

    def y(v: float) -> float:
        return (v - crop_top) * scale

    draw.rectangle((0, y(top), width * scale, y(bottom)), fill=ROW_SHADE)
    draw.rectangle((x0 * scale, 0, x1 * scale, image.size[1]), fill=COLUMN_SHADE)
    pad = 2 * scale
    draw.rectangle((x0 * scale - pad, y(top) - pad, x1 * scale + pad, y(bottom) + pad),
                   outline=OUTLINE, width=max(2, int(scale)))
    out = io.BytesIO()
    Image.alpha_composite(image, shade).convert("RGB").save(out, "PNG", optimize=False)
    return out.getvalue()
