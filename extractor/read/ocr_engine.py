"""The OCR engine: a page image → the text boxes it reads, each with its quadrilateral and score.

RapidOCR (PP-OCRv4 detection and recognition as ONNX models inside the
``rapidocr-onnxruntime`` wheel: nothing is downloaded at run time), from the
``[ocr]`` extra. The engine is built once per process; the orientation
classifier is off (a scan lies upright or nearly so, and it cost a tenth of
the time). Without the extra, ``OcrUnavailable`` carries the line that says how
to get it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import MissingExtra

if TYPE_CHECKING:
    from PIL.Image import Image

MIN_SCORE = 0.3
"""Boxes read with a lower score are dropped (RapidOCR's default is 0.5: we keep doubtful digits, with
their score, rather than lose them to a blank that would read as 0)."""

Point = tuple[float, float]


@dataclass(frozen=True)
class OcrBox:
    """One run of text the engine read: its corners in image pixels (clockwise from top-left)."""

    text: str
    quad: tuple[Point, Point, Point, Point]
    score: float
    """The recogniser's confidence in the text, 0 … 1."""


class OcrUnavailable(Exception):
    """The ``[ocr]`` extra is not installed; ``hint`` is the one line that says how to install it."""

    def __init__(self, hint: str):
        super().__init__(hint)
        self.hint = hint


@lru_cache(maxsize=1)
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable(MissingExtra.of(exc, "OCR").message) from exc
    return RapidOCR(use_cls=False, text_score=MIN_SCORE)


def read_image(image: Image) -> list[OcrBox]:
    """The text boxes of one page image (RGB), in the engine's reading order."""
    engine = _engine()
    import numpy as np  # from the [ocr] extra, there once the engine is

    result, _ = engine(np.asarray(image.convert("RGB")), use_cls=False, text_score=MIN_SCORE)
    out: list[OcrBox] = []
    for quad, text, score in result or []:
        corners = tuple((float(x), float(y)) for x, y in quad)
        out.append(OcrBox(str(text), corners, float(score)))  # type: ignore[arg-type]
    return out
