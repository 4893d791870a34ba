"""PDF → text + boxes: per page, text lines outside tables and ruled tables (pdfplumber) as tab rows.

A table's cells become a true grid (``pdf_grid``: a merged cell repeated in
every position it covers) and each position gets a ``Box`` with its page and
bounding box. A table that runs over a page break is one grid: the running
lines between the parts (page numbers, a browser's date, title, URL and page
x/y: ``pdf_margins``) and a header repeated on the next page are dropped, and
a row the break cut in two is one row (``pdf_rules``). Text lines that only
share a baseline (a sidebar beside the article) are split. A page with no
ruled table falls back to words placed by position (``pdf_words``). Pages
that are scans or read as ``(cid:…)`` codes are OCR'd (``pdf_ocr``); encrypted
files raise an ``InputError``.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import pdfplumber
from pdfminer.pdftypes import resolve1
from pdfplumber.utils.exceptions import PdfminerException

from ..document import Box
from ..errors import EncryptedPdf, UndecodableText, UnsupportedFormat
from .cell_lines import join_cell_lines
from .limits import DEFAULT_LIMITS, Limits, check_pages
from .ocr import OcrPage, score_boxes
from .pdf_chars import page_chars
from .pdf_geometry import Char, Line, chars_to_lines, split_columns
from .pdf_grid import RuledCell, RuledPart, ruled_rows
from .pdf_margins import is_running_line
from .pdf_ocr import PageChars, ocr_unreadable
from .pdf_rules import RuledTable, find_ruled_tables
from .pdf_words import WordTable, find_word_tables, word_table_rows

BBox = tuple[float, float, float, float]


class PdfText(NamedTuple):
    text: str
    boxes: tuple[Box, ...]
    pages: int


@dataclass
class Table:
    """A table, possibly over several pages: its parts in order."""
    parts: list[RuledPart] | list[WordTable]
    source: Literal["ruled", "words"]

    @property
    def first(self) -> RuledPart | WordTable:
        return self.parts[0]

    @property
    def last(self) -> RuledPart | WordTable:
        return self.parts[-1]


Block = Line | Table


@dataclass
class _Writer:
    """Accumulates the text and a box per line or table cell."""
    parts: list[str] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    size: int = 0

    def add(self, text: str, page: int | None = None, bbox: BBox | None = None,
            source: Literal["ruled", "words", "text"] = "text") -> None:
        """Append ``text`` plus its separator; the box covers both, so a blank cell has one."""
        if page is not None and bbox is not None:
            self.boxes.append(Box(self.size, self.size + len(text), page,
                                  tuple(round(v, 2) for v in bbox), source))  # type: ignore[arg-type]
        self.parts.append(text)
        self.size += len(text)


def pdf_to_text(data: bytes, *, path: str | None = None, limits: Limits = DEFAULT_LIMITS) -> PdfText:
    """Read every page; raises an ``InputError`` for scans, (cid:…) text, encrypted or broken files."""
    if b"%PDF-" not in data[:1024]:
        raise UnsupportedFormat("not a PDF file: no %PDF- header", path=path, stage="load")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        raise _open_error(exc, path) from exc
    except MemoryError:  # the worker's memory limit: not a damaged file
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on malformed files
        raise UndecodableText(f"corrupt PDF: {type(exc).__name__}: {exc}", path=path,
                              stage="load") from exc
    with pdf:
        check_pages(_declared_pages(pdf), limits, path)
        read: list[PageChars] = []
        for page in pdf.pages:
            try:
                raw_chars = page_chars(page)
                tables = find_ruled_tables(page) if raw_chars else []
                images = bool(page.images)
            except MemoryError:
                raise
            except Exception as exc:  # a damaged page: the parser's own exception types vary
                raise _open_error(exc, path, f"cannot read page {page.page_number} of the PDF") from exc
            chars = [c for c in raw_chars if not c.text.isspace()]
            read.append(PageChars(page.page_number, float(page.height), chars, tables, images))
    return pages_to_text(read, ocr_unreadable(data, read, path))


def pages_to_text(read: list[PageChars], ocr: Sequence[OcrPage] = ()) -> PdfText:
    """Pages of positioned characters → the text and its boxes (an OCR'd page's boxes carry its scores)."""
    pages = [_page_blocks(p.number, p.height, p.chars, p.tables) for p in read]
    text = _assemble(_join_pages(pages), len(read))
    return text._replace(boxes=score_boxes(text.boxes, ocr)) if ocr else text


def _declared_pages(pdf: Any) -> int:
    """The page count the page tree declares, read before any page is parsed (0 when unreadable)."""
    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        return count if isinstance(count, int) else 0
    except Exception:  # a damaged page tree: the page loop reports it
        return 0


def _open_error(exc: Exception, path: str | None, what: str = "corrupt PDF") -> Exception:
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    name = type(inner).__name__
    if isinstance(inner, MemoryError):  # the worker's memory limit, wrapped by pdfminer: not a damaged file
        return inner
    if "Password" in name or "Encrypt" in name or "password" in str(inner).lower():
        return EncryptedPdf("encrypted PDF: decrypt it first (e.g. qpdf --decrypt in.pdf out.pdf; "
                            "add --password=… if it needs one)", path=path, stage="load")
    return UndecodableText(f"{what}: {name}: {inner}", path=path, stage="load")


# ---------------------------------------------------------------- one page


def _page_blocks(page: int, height: float, chars: list[Char], tables: Sequence[RuledTable]) -> list[Block]:
    parts = [RuledPart(page, t.bbox, [RuledCell(tuple(b)) for b in t.cells],  # type: ignore[arg-type]
                       t.open_top, t.open_bottom)
             for t in tables if len(t.cells) >= 2]
    inside, loose = _group_by_box(chars, [p.bbox for p in parts])
    for i, part in enumerate(parts):
        _fill_cells(part, inside.get(i, []))
    body = statistics.median([c.size for c in chars]) if chars else 10.0
    lines = [ln for ln in chars_to_lines(loose, page) if not is_running_line(ln, height)]
    found = lines if parts else find_word_tables(lines)
    text = _join_headlines([piece for b in found if isinstance(b, Line) for piece in split_columns(b)], body)
    blocks: list[Block] = [Table([p], "ruled") for p in parts]
    blocks += [Table([b], "words") for b in found if isinstance(b, WordTable)]
    blocks += text
    return sorted(blocks, key=_top)


def _top(block: Block) -> float:
    return block.top if isinstance(block, Line) else block.first.bbox[1]


def _group_by_box(chars: list[Char], boxes: Sequence[BBox]) -> tuple[dict[int, list[Char]], list[Char]]:
    """Characters by the first box holding their centre, and those no box holds."""
    inside: dict[int, list[Char]] = {}
    loose: list[Char] = []
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        for i, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                inside.setdefault(i, []).append(ch)
                break
        else:
            loose.append(ch)
    return inside, loose


def _fill_cells(part: RuledPart, chars: list[Char]) -> None:
    """Each cell's text: its characters' lines joined as one label (vertical text included)."""
    cells = part.cells
    found, _ = _group_by_box(chars, [c.bbox for c in cells])
    for i, cs in found.items():
        cells[i].text = join_cell_lines(line.text for line in chars_to_lines(cs))


def _join_headlines(lines: list[Line], body: float) -> list[Line]:
    """A title set in large type on page 1 and wrapped over several lines is one line, even where a
    sidebar's small lines beside it come between them in reading order."""
    out: list[Line] = []
    for line in lines:
        k = None
        if line.page == 1 and line.size > 1.25 * body:
            k = next((n for n in range(len(out) - 1, max(len(out) - 5, -1), -1)
                      if abs(out[n].size - line.size) < 0.5), None)
        if k is not None and -0.2 * line.size <= line.top - out[k].bottom < line.size:
            out[k] = out[k].merged(line)
        else:
            out.append(line)
    return out


# ---------------------------------------------------------------- pages → document


def _join_pages(pages: list[list[Block]]) -> list[Block]:
    """One list of blocks; a table ending one page and starting the next is one table."""
    out: list[Block] = []
    for blocks in pages:
        if not blocks:
            continue
        head = blocks[0]
        prev = out[-1] if out else None
        if (isinstance(prev, Table) and isinstance(head, Table) and prev.source == head.source
                and (head.source == "words" or _same_columns(prev.last.bbox, head.first.bbox))):
            prev.parts.extend(head.parts)  # type: ignore[arg-type]
            blocks = blocks[1:]
        out.extend(blocks)
    return out


def _same_columns(a: BBox, b: BBox) -> bool:
    return abs(a[0] - b[0]) <= 4 and abs(a[2] - b[2]) <= 4


def _assemble(blocks: list[Block], n_pages: int) -> PdfText:
    w = _Writer()
    for block in blocks:
        if isinstance(block, Line):
            w.add(block.text, block.page, block.bbox, "text")
            w.add("\n")
            continue
        w.add("\n")
        rows = ruled_rows(block.parts) if block.source == "ruled" else word_table_rows(block.parts)  # type: ignore[arg-type]
        for row in rows:
            for i, (text, page, bbox) in enumerate(row):
                w.add(text, page, bbox, block.source)
                w.add("\t" if i < len(row) - 1 else "\n")
        w.add("\n")
    text = "".join(w.parts)
    return PdfText(text, _widen(w.boxes, len(text)), n_pages)


def _widen(boxes: list[Box], size: int) -> tuple[Box, ...]:
    """Let each box also cover the separator after it, so a blank cell maps to its box."""
    out: list[Box] = []
    for i, b in enumerate(boxes):
        limit = boxes[i + 1].start if i + 1 < len(boxes) else size
        out.append(Box(b.start, min(b.end + 1, limit), b.page, b.bbox, b.source))
    return tuple(out)
