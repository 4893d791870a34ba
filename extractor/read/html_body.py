"""Find the report in a page by its structure: the smallest element holding its headings and tables.

A heading is a line that starts a block and reads as the segmenter reads one
(一、总体情况 … 六、其他需要报告的事项, in order), so an opening paragraph that
merely lists the six section names never counts. The tables are data tables
holding the template's labels (自然人, 本年新收, 行政复议, 规章 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from lxml.etree import _Element

from .headings import heading_number
from .html_table import Tables
from .html_text import Rendered
from .html_tree import text_content

_WS = re.compile(r"[ \t\r\n\u00a0\u3000]+")
_AROUND = 20
"""Characters of text beside the tables that make an element more than a wrapper around them."""
_TITLE_MAX = 100
_TITLE = re.compile(r"(?:(?:19|20)\d\d|[〇零○一二三四五六七八九]{4})\s*年.*[报報]告")
_CRUMB = re.compile(r"[>＞»›]|当前位置|當前位置|您的位置|您现在的位置")


def report_body(start: _Element, known: Tables, page: Rendered) -> _Element:
    """The element holding the report: its headings and tables, else its tables and the text around them,
    else ``start`` itself (the page's chrome is harmless text there). ``page``: ``start`` rendered."""
    headings = _heading_blocks(page)
    tables = [t for t in start.iter("table") if known.is_report(t)]
    if headings:
        order = {el: i for i, el in enumerate(start.iter())}
        first = order[headings[0]]
        # a table ending before the first heading is the page's, not the report's
        tables = [t for t in tables if order[t] + sum(1 for _ in t.iter()) > first]
        if len(headings) >= 2 or tables:
            return _outside_data_table(_common_ancestor([*headings, *tables], start), known)
    if tables:
        return _with_text_around(_outside_data_table(_common_ancestor(tables, start), known), start, known)
    return start


def title_above(el: _Element) -> str:
    """A short line naming a year's 报告 just above ``el`` (within three pieces of text), or "".

    A breadcrumb (当前位置：首页 > … > 年度报告) is not a title.
    """
    for i, text in enumerate(_text_before(el)):
        if i >= 3:
            break
        if len(text) <= _TITLE_MAX and _TITLE.search(text) and not _CRUMB.search(text):
            return text
    return ""


def _heading_blocks(page: Rendered) -> list[_Element]:
    """The block elements whose lines are the section headings 一 … 六 (first of each, in order)."""
    found: dict[int, _Element] = {}
    for line, owner in page.lines():
        number = heading_number(line.strip())
        if number is None or number in found or any(n > number for n in found):
            continue
        found[number] = owner
    return list(found.values())


def _common_ancestor(els: Sequence[_Element], start: _Element) -> _Element:
    paths = [[*reversed(list(el.iterancestors())), el] for el in els]
    common = start
    for nodes in zip(*paths, strict=False):
        if any(n is not nodes[0] for n in nodes):
            break
        common = nodes[0]
    return common


def _outside_data_table(el: _Element, known: Tables) -> _Element:
    """A row or cell of a data table stands for the whole table (it is read as one grid)."""
    for node in (el, *el.iterancestors()):
        if node.tag == "table":
            return el if node is el or known.is_layout(node) else node
    return el


def _with_text_around(el: _Element, start: _Element, known: Tables) -> _Element:
    """Climb from the tables' element until it holds some text besides the tables."""
    while el is not start and _prose_len(el, known) < _AROUND:
        parent = el.getparent()
        if parent is None:
            break
        el = parent
    return el


def _prose_len(el: _Element, known: Tables) -> int:
    if not isinstance(el.tag, str):
        return 0
    if el.tag == "table" and not known.is_layout(el):
        return 0
    n = len(_WS.sub("", el.text or ""))
    for child in el:
        n += _prose_len(child, known) + len(_WS.sub("", child.tail or ""))
    return n


def _text_before(el: _Element) -> Iterator[str]:
    """The non-empty pieces of text just before ``el``, nearest first, up to three levels up."""
    node: _Element | None = el
    for _ in range(3):
        if node is None:
            return
        for sib in node.itersiblings(preceding=True):
            for raw in (sib.tail or "", text_content(sib) if isinstance(sib.tag, str) else ""):
                text = _WS.sub(" ", raw).strip()
                if text:
                    yield text
        parent = node.getparent()
        if parent is not None and parent.text and parent.text.strip():
            yield _WS.sub(" ", parent.text).strip()
        node = parent
