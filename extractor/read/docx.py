"""DOCX → text: paragraphs as lines, tables as tab rows with merged cells expanded into a true grid.

A cell spanning columns (``w:gridSpan``) or rows (``w:vMerge``) is repeated
into every position it covers, as ``html_table`` does for rowspan/colspan, so
every row of a table has the same number of tab-separated cells.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import Any

from lxml import etree

from ..errors import UndecodableText, UnsupportedFormat
from .cell_lines import join_cell_lines, spans_again
from .limits import DEFAULT_LIMITS, Limits, check_unpacked

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
_WS = re.compile(r"[ \r\u00a0\u3000]+")
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_TCPR, _GRIDSPAN, _VMERGE = f"{_W}tcPr", f"{_W}gridSpan", f"{_W}vMerge"

Element = Any
"""An lxml element (lxml ships no type stubs)."""


def docx_to_text(data: bytes, *, path: str | None = None, limits: Limits = DEFAULT_LIMITS) -> str:
    """The document body as text; raises an ``InputError`` when the bytes are not a Word document."""
    body = _open_body(data, path, limits)
    parts: list[str] = []
    _walk(body, parts)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parts)).strip("\n") + "\n"


def _open_body(data: bytes, path: str | None, limits: Limits) -> Element:
    if data.startswith(_OLE_MAGIC):
        raise UnsupportedFormat("an old binary Word .doc file, not a .docx: convert it first "
                                "(e.g. soffice --headless --convert-to docx)", path=path, stage="load")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnsupportedFormat("not a DOCX file: a .docx is a ZIP package and this file is not one",
                                path=path, stage="load")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise UnsupportedFormat(
                    "not a Word document: the ZIP package holds no word/document.xml "
                    f"(it holds {', '.join(zf.namelist()[:3]) or 'nothing'})", path=path, stage="load")
            check_unpacked(zf, limits, path)
            xml = zf.read("word/document.xml")
        # only the body is read, so only its part is parsed (with python-docx's parser settings): loading
        # the whole package (styles, numbering, headers…) cost more than reading the report
        body = etree.fromstring(xml, _PARSER).find(f"{_W}body")
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise UndecodableText(f"corrupt DOCX: {exc}", path=path, stage="load") from exc
    except etree.XMLSyntaxError as exc:
        raise UndecodableText(f"corrupt DOCX: XMLSyntaxError: {exc}", path=path, stage="load") from exc
    if body is None:
        raise UndecodableText("corrupt DOCX: word/document.xml has no document body", path=path, stage="load")
    return body


def _walk(el: Element, parts: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag == f"{_W}p":
            parts.append(paragraph_text(child))
        elif tag == f"{_W}tbl":
            parts.append("\n" + "\n".join("\t".join(row) for row in docx_table_rows(child)) + "\n")
        elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            _walk(child, parts)


def paragraph_text(p: Element) -> str:
    """A paragraph's text; tabs stay tabs and line breaks become newlines."""
    if next(p.iter(_TAB, _BR, _CR), None) is None:  # most paragraphs: their text runs only
        return _WS.sub(" ", "".join(p.itertext(_T, with_tail=False))).strip(" ")
    out: list[str] = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            out.append(node.text or "")
        elif node.tag == f"{_W}tab":
            if node.getparent().tag == f"{_W}r":  # not a tab stop of the paragraph's properties
                out.append("\t")
        else:
            out.append("\n")
    return _WS.sub(" ", "".join(out)).strip(" ")


def _cell_text(tc: Element) -> str:
    lines: list[str] = []
    for child in tc:
        if child.tag == f"{_W}p":
            lines += paragraph_text(child).split("\n")
        elif child.tag == f"{_W}tbl":  # a table inside a cell: its cells' text, in order
            lines += [c for row in docx_table_rows(child) for c in dict.fromkeys(row)]
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent"):
            lines.append(_cell_text(child))
    return join_cell_lines(lines)


def _props(tc: Element) -> tuple[Element | None, Element | None]:
    """The cell's first ``w:gridSpan`` and ``w:vMerge`` in its first ``w:tcPr``."""
    pr = next(tc.iterchildren(_TCPR), None)
    if pr is None:
        return None, None
    return next(pr.iterchildren(_GRIDSPAN), None), next(pr.iterchildren(_VMERGE), None)


def _int_val(el: Element | None, default: int) -> int:
    try:
        return max(0, min(int(el.get(f"{_W}val")), 100)) if el is not None else default
    except (TypeError, ValueError):
        return default


def _row_cells(tr: Element) -> list[Element]:
    out: list[Element] = []
    for child in tr:
        if child.tag == f"{_W}tc":
            out.append(child)
        elif child.tag == f"{_W}sdt":  # a content control wrapping cells
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                out += [c for c in content if c.tag == f"{_W}tc"]
    return out


def docx_table_rows(tbl: Element) -> list[list[str]]:
    """The table as a true grid of cell texts, merged cells repeated in every position they cover;
    a number merged across columns stands once (``cell_lines.spans_again``), so its row is shorter."""
    grid: list[list[str]] = []
    trs = [c for c in tbl if c.tag == f"{_W}tr"]
    for tr in trs:
        pr = tr.find(f"{_W}trPr")
        col = _int_val(pr.find(f"{_W}gridBefore") if pr is not None else None, 0)
        row: list[str] = [""] * col
        above = grid[-1] if grid else []
        for tc in _row_cells(tr):
            grid_span, merge = _props(tc)
            span = max(1, _int_val(grid_span, 1))
            continues = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
            text = above[col] if continues and col < len(above) else _cell_text(tc)
            row += [text] * (span if spans_again(text) else 1)
            col += span
        grid.append(row)
    return grid
