"""Page elements → text: each block on its own line(s), each data table as tab rows.

Every line remembers the innermost block element it came from, so the body
finder can ask which element holds a heading line. ``<br>`` is a line break,
a block a paragraph; ``<pre>`` keeps its own line breaks and tabs; a table
used for page layout is read as blocks, its nested data tables as tab rows.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from lxml.etree import _Element

from .headings import heading_number
from .html_table import Tables, cell_text
from .html_tree import text_content

BLOCKS = frozenset({
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
    "section", "article", "header", "footer", "main", "aside", "blockquote", "pre", "dl", "dd", "dt",
    "hr", "caption", "center", "figure", "figcaption", "address", "fieldset", "details", "summary",
    "form"})
_WS = re.compile(r"[ \t\r\n\u00a0\u3000]+")
_HARD_SPACE = re.compile("[\u00a0\u3000]")
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.I)


@dataclass(frozen=True)
class Rendered:
    text: str
    marks: tuple[tuple[int, _Element], ...]
    """(offset, element): from this offset on, text belongs to this block element."""
    blocks: dict[_Element, tuple[int, int]]
    """Block element → where its text lies: from its opening line break to its closing one, included."""

    def of(self, el: _Element) -> str | None:
        """What ``render(el)`` gives, read off this rendering of an element holding it (a page is not
        rendered twice to find its report, then to read it); None when ``el`` is no block of it."""
        span = self.blocks.get(el)
        return None if span is None else "\n" + self.text[span[0]:span[1]]

    def lines(self) -> Iterator[tuple[str, _Element]]:
        """Each line of the text with the innermost block element it starts in."""
        positions = [p for p, _ in self.marks]
        pos = 0
        for line in self.text.split("\n"):
            yield line, self.marks[bisect_right(positions, pos) - 1][1]
            pos += len(line) + 1


class _Writer:
    def __init__(self, root: _Element) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.marks: list[tuple[int, _Element]] = [(0, root)]
        self.blocks: dict[_Element, tuple[int, int]] = {}
        self.line_blank = True

    def write(self, s: str) -> None:
        if not s:
            return
        self.parts.append(s)
        self.size += len(s)
        if "\n" in s:
            self.line_blank = not s.rsplit("\n", 1)[1].strip()
        else:
            self.line_blank = self.line_blank and not s.strip()

    def block(self, el: _Element) -> None:
        """A block boundary: a new line, whose text belongs to ``el``."""
        self.newline()
        self.marks.append((self.size, el))

    def newline(self) -> None:
        """End the line; a space the markup left at its end (a tab after a title) goes."""
        if not self.line_blank and self.parts and self.parts[-1].endswith(" "):
            kept = self.parts[-1].rstrip(" ")
            self.size -= len(self.parts[-1]) - len(kept)
            self.parts[-1] = kept
        self.write("\n")


def render(el: _Element, tables: Tables) -> Rendered:
    w = _Writer(el)
    _walk(w, tables, el, el, pre=False, top=True)
    return Rendered("".join(w.parts), tuple(w.marks), w.blocks)


def _walk(w: _Writer, tables: Tables, el: _Element, owner: _Element, *, pre: bool, top: bool = False) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "table" and not tables.is_layout(el):
        w.block(el)
        start = w.size
        for caption in (c for c in el if c.tag == "caption"):
            w.write(cell_text(caption) + "\n")
        w.write(tables.tsv(el))
        w.block(owner)
        w.blocks[el] = (start, w.size)
    else:
        block = tag in BLOCKS
        inner_pre = pre or tag == "pre"
        if block:
            w.block(el)
            start = w.size
        elif tag == "br":
            w.newline()
        # 一、总体情况 in bold opening a paragraph that runs on: the heading is a line of its own.
        run_in = bool(tag) and not block and w.line_blank and _is_bold(el) and heading_number(
            _WS.sub(" ", text_content(el)).strip()) is not None
        if el.text and tag:
            _write_text(w, el.text, inner_pre)
        for child in el:
            _walk(w, tables, child, el if block else owner, pre=inner_pre)
        if run_in:
            w.newline()
        if block:
            w.block(owner)
            w.blocks[el] = (start, w.size)
    if el.tail and not top:
        _write_text(w, el.tail, pre)


def _write_text(w: _Writer, raw: str, pre: bool) -> None:
    if pre:
        w.write(raw)
        return
    text = _WS.sub(" ", raw)
    # the source's indentation between tags is no text; a &nbsp; paragraph is (a blank cell)
    if text == " " and w.line_blank and not _HARD_SPACE.search(raw):
        return
    w.write(text)


def _is_bold(el: _Element) -> bool:
    return el.tag in ("b", "strong") or bool(_BOLD_STYLE.search(el.get("style") or ""))
