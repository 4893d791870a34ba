"""One PDF page's characters, as pdfplumber's ``page.chars`` gives them, without building its dicts.

pdfplumber reads a page by letting pdfminer build an ``LTChar`` for every
glyph and then turning each into a dict of some twenty attributes; for a
report that is most of the time spent outside the content stream. Here a
pdfminer device computes, per glyph, only what ``Char`` needs — with
``LTChar``'s arithmetic for the box and pdfplumber's for the flip to
top-down coordinates, so the numbers are the same to the last bit — while
rules, rectangles, curves and images go into the page's layout as before and
are turned into pdfplumber's objects by pdfplumber itself, so ``find_tables``,
``edges`` and ``images`` work on the page unchanged. Content streams are read
by ``pdf_content.FastInterpreter``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from pdfminer.layout import LTContainer, LTCurve, LTLine, LTRect
from pdfminer.pdfdevice import PDFTextSeq
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFTextState
from pdfminer.utils import Matrix, apply_matrix_rect, mult_matrix
from pdfplumber.page import ALL_ATTRS, PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.pdfinternals import resolve_all, resolve_and_decode

from .pdf_content import FastInterpreter
from .pdf_geometry import Char

log = logging.getLogger("pdfminer.pdfdevice")

RawChar = tuple[str, float, float, float, float, float, bool, float]
"""text, x0, y0, x1, y1 (pdfminer's bottom-up coordinates), size, upright, the matrix's b."""


class _CharDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's layout device, except that glyphs are kept as ``RawChar`` tuples, not ``LTChar``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chars: list[RawChar] = []

    def render_string(self, textstate: PDFTextState, seq: PDFTextSeq, ncs: Any, graphicstate: Any) -> None:
        """``PDFTextDevice.render_string`` for horizontal text with ``render_char`` inlined (the same
        operations in the same order, so the same floats); vertical text goes the usual way."""
        font = textstate.font
        if font is None or font.is_vertical() or self.ctm is None:
            super().render_string(textstate, seq, ncs, graphicstate)
            return
        a, b, c, d, e, f = mult_matrix(textstate.matrix, self.ctm)
        fontsize = textstate.fontsize
        scaling = textstate.scaling * 0.01
        charspace = textstate.charspace * scaling
        wordspace = 0 if font.is_multibyte() else textstate.wordspace * scaling
        rise = textstate.rise
        dxscale = 0.001 * fontsize * scaling
        upright = a * d * scaling > 0 and b * c <= 0
        x, y = textstate.linematrix
        chars = self.chars
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    te, tf = x * a + y * c + e, x * b + y * d + f  # translate_matrix
                    try:
                        text = font.to_unichr(cid)
                        assert isinstance(text, str), str(type(text))
                    except PDFUnicodeNotDefined:
                        text = self.handle_undefined_char(font, cid)
                    adv = font.char_width(cid) * fontsize * scaling
                    descent = font.get_descent() * fontsize
                    x0, y0, x1, y1 = 0, descent + rise, adv, descent + rise + fontsize
                    left1, bottom1 = a * x0 + c * y0 + te, b * x0 + d * y0 + tf  # apply_matrix_rect
                    right1, bottom2 = a * x1 + c * y0 + te, b * x1 + d * y0 + tf
                    right2, top1 = a * x1 + c * y1 + te, b * x1 + d * y1 + tf
                    left2, top2 = a * x0 + c * y1 + te, b * x0 + d * y1 + tf
                    cx0, cy0 = min(left1, left2, right1, right2), min(bottom1, bottom2, top1, top2)
                    cx1, cy1 = max(left1, left2, right1, right2), max(bottom1, bottom2, top1, top2)
                    if cx1 < cx0:
                        cx0, cx1 = cx1, cx0
                    if cy1 < cy0:
                        cy0, cy1 = cy1, cy0
                    chars.append((text, cx0, cy0, cx1, cy1, cy1 - cy0, upright, b))
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:
                log.warning("Cannot render horizontal string because %r is not a valid int, float or bytes.", obj)
        textstate.linematrix = (x, y)

    def render_char(self, matrix: Matrix, font: PDFFont, fontsize: float, scaling: float, rise: float,
                    cid: int, ncs: Any, graphicstate: Any) -> float:
        """What ``LTChar.__init__`` computes for the glyph (same operations, same order); its advance."""
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        adv = font.char_width(cid) * fontsize * scaling
        vertical = font.is_vertical()
        if vertical:
            vx, vy = font.char_disp(cid)  # type: ignore[misc]
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = font.get_descent() * fontsize
            bbox = (0, descent + rise, adv, descent + rise + fontsize)
        a, b, c, d, _e, _f = matrix
        upright = a * d * scaling > 0 and b * c <= 0
        x0, y0, x1, y1 = apply_matrix_rect(matrix, bbox)
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        self.chars.append((text, x0, y0, x1, y1, x1 - x0 if vertical else y1 - y0, upright, b))
        return adv


def page_chars(page: Any) -> list[Char]:
    """The characters of ``page`` (a pdfplumber page) in content order, as ``Char(text, x0, top, x1,
    bottom, size or height, upright, matrix b)`` of pdfplumber's ``page.chars``.

    The page's other objects are parsed and cached on it (``page.objects`` then holds no chars); a
    failure of the parser raises pdfplumber's ``PdfminerException``, as ``page.chars`` would.
    """
    if page.pdf.laparams is not None:  # pdfplumber would order chars by its text boxes
        raise ValueError("page_chars reads PDFs opened without layout analysis (laparams=None)")
    device = _CharDevice(page.pdf.rsrcmgr, pageno=page.page_number, laparams=None)
    try:
        FastInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as exc:  # pdfplumber wraps whatever the parser raises
        raise PdfminerException(exc) from exc
    layout = device.get_result()
    objects: dict[str, list[dict[str, Any]]] = {}
    for obj in _leaves(layout._objs):
        parsed = _path_object(page, obj) if type(obj) in _PATHS else page.process_object(obj)
        kind = parsed["object_type"]
        if kind != "anno":
            objects.setdefault(kind, []).append(parsed)
    page._layout = layout
    page._objects = objects
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    out: list[Char] = []
    for text, x0, y0, x1, y1, size, upright, b in device.chars:
        top = (height - y1) + mb_top
        bottom = (height - y0) + mb_top
        if mb_x0 != 0:
            x0 = x0 + mb_x0
            x1 = x1 + mb_x0
        out.append(Char(text, float(x0), float(top), float(x1), float(bottom), float(size or (bottom - top)),
                        bool(upright), float(b)))
    return out


def _leaves(objs: list[Any]) -> Iterator[Any]:
    """pdfplumber's ``iter_layout_objects`` without layout analysis: figures' children in order."""
    for obj in objs:
        if isinstance(obj, LTContainer):
            yield from _leaves(obj._objs)
        else:
            yield obj


_PATHS = {LTCurve: "curve", LTLine: "line", LTRect: "rect"}
_PLAIN = (float, int, bool, str, type(None))


def _path_object(page: Any, obj: LTCurve) -> dict[str, Any]:
    """pdfplumber's ``page.process_object`` for a rule, rectangle or curve, the same dict (keys in the
    same order) without resolving what a content stream cannot hold (indirect objects): operands are
    numbers and names, so its deep copy of every point and colour changes nothing."""
    attr: dict[str, Any] = {}
    for k, v in obj.__dict__.items():
        if k in ALL_ATTRS:
            attr[k] = v if isinstance(v, _PLAIN) or k == "pts" else resolve_all(v)
    attr["object_type"] = _PATHS[type(obj)]
    attr["page_number"] = page.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            attr[cs] = resolve_and_decode(getattr(obj, cs).name)
    point2coord = page.point2coord
    attr["pts"] = list(map(point2coord, attr["pts"]))
    attr["path"] = [(cmd, *map(point2coord, pts)) for cmd, *pts in obj.original_path]  # type: ignore[union-attr]
    attr["dash"] = obj.dashing_style
    mb_x0, mb_top = page.mediabox[:2]
    if "y0" in attr:
        attr["top"] = (page.height - attr["y1"]) + mb_top
        attr["bottom"] = (page.height - attr["y0"]) + mb_top
        attr["doctop"] = page.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr
