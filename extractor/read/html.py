"""HTML → text: the report body found inside the page, tables as tab rows with spans expanded.

Each ``<table>`` becomes a true grid: a cell with ``rowspan``/``colspan`` is
repeated into every position it covers, so every row of a table has the same
number of tab-separated cells and blanks keep their places.
"""

from __future__ import annotations

import re

import lxml.html
from lxml.etree import ParserError, _Element

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
          "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "hr",
          "caption", "center"}
_DROP = {"script", "style", "noscript", "template", "iframe", "svg", "head", "button",
         "select", "form", "nav"}
_REPORT_MARKERS = ("总体情况", "總體情況", "主动公开", "主動公開", "收到和处理", "收到和處理",
                   "行政复议", "行政複議", "行政復議")
_WS = re.compile(r"[ \t\r\n\u00a0\u3000]+")


def html_to_text(html: str) -> str:
    try:
        root = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return html
    for el in list(root.iter(*_DROP)):
        el.drop_tree()
    title = _page_title(root)
    body = _report_container(root)
    text = _render(body)
    if title and title not in text[:500]:
        text = title + "\n\n" + text
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _page_title(root: _Element) -> str:
    for tag in ("h1", "h2", "title"):
        for el in root.iter(tag):
            t = _WS.sub(" ", el.text_content()).strip()
            if "报告" in t or "報告" in t:
                return t
    return ""


def _report_container(root: _Element) -> _Element:
    """The smallest element holding every report marker the page holds (drops the chrome)."""
    body = root.find("body")
    start: _Element = body if body is not None else root
    full = start.text_content()
    wanted = [m for m in _REPORT_MARKERS if m in full]
    if len(wanted) < 2:
        return start
    best = start
    for el in start.iter():
        if not isinstance(el.tag, str) or el is start:
            continue
        text = el.text_content()
        if all(m in text for m in wanted) and len(text) < len(best.text_content()):
            best = el
    return best


def _render(el: _Element) -> str:
    parts: list[str] = []
    _walk(el, parts)
    return "".join(parts)


def _walk(el: _Element, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "table":
        parts.append("\n" + table_to_tsv(el) + "\n")
        if el.tail:
            parts.append(_WS.sub(" ", el.tail))
        return
    block = tag in _BLOCK
    if block:
        parts.append("\n")
    if el.text and tag:
        parts.append(_WS.sub(" ", el.text))
    for child in el:
        _walk(child, parts)
    if block:
        parts.append("\n")
    if el.tail:
        parts.append(_WS.sub(" ", el.tail))


def html_table_rows(table: _Element) -> list[list[str]]:
    """The table as a true grid of cell texts, spans expanded."""
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.iter("tr") if _owning_table(tr) is table]
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = _cell_text(td)
            rs = _span(td.get("rowspan"))
            cs = _span(td.get("colspan"))
            for dr in range(rs):
                for dc in range(cs):
                    grid.setdefault((r + dr, c + dc), text)
            c += cs
        width = max(width, c)
    width = max([width] + [k[1] + 1 for k in grid])
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def table_to_tsv(table: _Element) -> str:
    return "\n".join("\t".join(row) for row in html_table_rows(table))


def _owning_table(tr: _Element) -> _Element | None:
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _cell_text(td: _Element) -> str:
    return _WS.sub(" ", td.text_content()).strip()


def _span(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 100))
    except ValueError:
        return 1
