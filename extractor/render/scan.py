"""Scanner realism: a rendered PDF → the page images a scanner would give, and an image-only PDF of them.

Each ``Scan`` names its degradations: resolution, a slight skew, blur, JPEG
artefacts, noise, a red stamp over part of the table, a grey background.
``SCANS`` holds one per degradation alone and ``realism`` with all of them;
the randomness (skew's sign, the stamp's place, the noise) comes from a
seed, so a scan is the same every time. Pillow only.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import pypdfium2
from PIL import Image, ImageChops, ImageDraw, ImageFilter


@dataclass(frozen=True)
class Scan:
    dpi: int = 200
    """The scanner's resolution."""
    skew: float = 0.0
    """Degrees the page is turned, at most (the sign and size drawn from the seed)."""
    blur: float = 0.0
    """Gaussian blur radius in pixels at 200 dpi."""
    jpeg: int = 0
    """JPEG quality the page is saved at (0: lossless)."""
    noise: float = 0.0
    """Share of the page's tone replaced by noise, plus as many dark specks."""
    stamp: bool = False
    """A red seal over part of the page's table (the middle of the page)."""
    grey: bool = False
    """A greyish, uneven paper tone."""


SCANS: dict[str, Scan] = {
    "clean": Scan(),
    "dpi150": Scan(dpi=150),
    "dpi300": Scan(dpi=300),
    "skew": Scan(skew=2.0),
    "blur": Scan(blur=1.2),
    "jpeg": Scan(jpeg=30),
    "noise": Scan(noise=0.12),
    "stamp": Scan(stamp=True),
    "grey": Scan(grey=True),
    "realism": Scan(dpi=200, skew=2.0, blur=0.8, jpeg=40, noise=0.08, stamp=True, grey=True),
    "realism150": Scan(dpi=150, skew=1.5, blur=0.6, jpeg=50, noise=0.06, stamp=True, grey=True),
    "fixture": Scan(dpi=150, skew=1.5, blur=0.6, jpeg=40, stamp=True, grey=True),
}
"""``fixture`` is what the committed scans carry: ``realism150`` without the noise, which triples a file."""


def scan_pages(pdf: bytes, scan: Scan, seed: int = 0) -> list[Image.Image]:
    """Every page of ``pdf`` as ``scan`` sees it."""
    rng = random.Random(seed)
    doc = pypdfium2.PdfDocument(pdf)
    try:
        pages = [doc[i].render(scale=scan.dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()
    return [degrade(page, scan, rng) for page in pages]


def degrade(page: Image.Image, scan: Scan, rng: random.Random) -> Image.Image:
    k = scan.dpi / 200
    if scan.stamp:
        page = _stamp(page, rng, k)
    if scan.grey:
        page = _grey(page, rng)
    if scan.skew:
        angle = rng.uniform(0.5, 1.0) * scan.skew * rng.choice((-1, 1))
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=page.getpixel((2, 2)))
    if scan.blur:
        page = page.filter(ImageFilter.GaussianBlur(scan.blur * k))
    if scan.noise:
        page = _noise(page, scan.noise, rng, k)
    if scan.jpeg:
        buf = io.BytesIO()
        page.save(buf, "JPEG", quality=scan.jpeg)
        page = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return page


def _stamp(page: Image.Image, rng: random.Random, k: float) -> Image.Image:
    """A red seal (two rings and a star), printed over the page as ink: multiplied, so print shows through."""
    w, h = page.size
    r = int(rng.uniform(150, 190) * k)
    cx, cy = int(w * rng.uniform(0.45, 0.8)), int(h * rng.uniform(0.35, 0.65))
    ink = Image.new("RGB", page.size, "white")
    draw = ImageDraw.Draw(ink)
    red = (rng.randint(200, 235), rng.randint(30, 70), rng.randint(30, 70))
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=int(9 * k))
    draw.ellipse((cx - r + int(18 * k), cy - r + int(18 * k), cx + r - int(18 * k), cy + r - int(18 * k)),
                 outline=red, width=int(3 * k))
    star = [(cx + (r * (0.45 if i % 2 else 0.18)) * math.sin(i * math.pi / 5),
             cy - (r * (0.45 if i % 2 else 0.18)) * math.cos(i * math.pi / 5)) for i in range(1, 11)]
    draw.polygon(star, fill=red)
    for i in range(12):  # the seal's lettering, as strokes along its rim
        a = math.pi * (0.8 + 1.4 * i / 11)
        x, y = cx + 0.72 * r * math.cos(a), cy + 0.72 * r * math.sin(a)
        draw.rectangle((x - 9 * k, y - 9 * k, x + 9 * k, y + 9 * k), outline=red, width=int(4 * k))
    return ImageChops.multiply(page, ink)


def _grey(page: Image.Image, rng: random.Random) -> Image.Image:
    """Paper tone: a grey-beige, darker towards one side."""
    w, h = page.size
    base = rng.randint(200, 225)
    ramp = Image.linear_gradient("L").resize((w, h)).point(lambda v: base - v * 25 // 255)
    tone = Image.merge("RGB", (ramp, ramp.point(lambda v: v - 3), ramp.point(lambda v: v - 10)))
    return ImageChops.multiply(page, tone)


def _noise(page: Image.Image, amount: float, rng: random.Random, k: float) -> Image.Image:
    w, h = page.size
    noise = Image.effect_noise((w, h), 64).convert("RGB")
    page = Image.blend(page, ImageChops.multiply(page, noise.point(lambda v: min(255, v + 96))), amount * 4)
    draw = ImageDraw.Draw(page)
    for _ in range(int(amount * 4000)):
        x, y, s = rng.randrange(w), rng.randrange(h), rng.uniform(0.5, 2.0) * k
        draw.ellipse((x, y, x + s, y + s), fill=(60, 60, 60))
    return page


def images_to_pdf(pages: list[Image.Image], dpi: int, quality: int = 75) -> bytes:
    """An image-only PDF of the pages (JPEG inside, as scanners write it)."""
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=dpi, quality=quality)
    return buf.getvalue()
