"""HTML → text: the report body found inside the page, tables as tab rows with spans expanded.

The body is found by the report's structure (``html_body``), rendered block by
block (``html_text``), each ``<table>`` a true grid (``html_table``: a cell
with ``rowspan``/``colspan`` is repeated into every position it covers, so
every row of a table has the same number of tab-separated cells and blanks
keep their places). Whole pages, CMS fragments and Word/WPS exports alike.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.etree import ParserError, XMLSyntaxError, _Element

from ..errors import UndecodableText
from .html_body import report_body, title_above
from .html_table import Tables, html_table_rows, table_to_tsv
from .html_text import render
from .html_tree import drop_tree, text_content
from .limits import too_deep

__all__ = ["html_table_rows", "html_to_text", "table_to_tsv"]

_DROP = {"script", "style", "noscript", "template", "iframe", "svg", "head", "button",
         "select", "input", "textarea", "nav"}
_WS = re.compile(r"[ \t\r\n\u00a0\u3000]+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def html_to_text(html: str, *, path: str | None = None) -> str:
    parser = etree.HTMLParser()
    try:
        # lxml refuses a str that declares its encoding (XHTML's <?xml … encoding="utf-8"?>)
        root = etree.fromstring(_XML_DECLARATION.sub("", html, count=1), parser=parser)
        if root is None:
            raise ParserError("Document is empty")
    except (ParserError, ValueError):
        return html
    except XMLSyntaxError as exc:  # libxml2 gave up: out of the worker's memory, or a page it cannot parse
        if any(e.type_name == "ERR_NO_MEMORY" for e in parser.error_log) or "unknown error" in str(exc):
            raise MemoryError(str(exc)) from exc
        raise UndecodableText(f"cannot parse the HTML: {exc}", path=path, stage="load") from exc
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise too_deep(path)
    for el in list(root.iter(*_DROP)):
        drop_tree(el)
    found = root.find("body")
    tables = Tables()
    start = found if found is not None else root
    page = render(start, tables)
    body = report_body(start, tables, page)
    text = page.text if body is start else page.of(body) or render(body, tables).text
    title = title_above(body) or _page_title(root)
    if title and title not in text[:500]:
        text = title + "\n\n" + text
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _page_title(root: _Element) -> str:
    for tag in ("h1", "h2", "title"):
        for el in root.iter(tag):
            t = _WS.sub(" ", text_content(el)).strip()
            if "报告" in t or "報告" in t:
                return t
    return ""
