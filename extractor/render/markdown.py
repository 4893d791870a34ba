"""``markdown_html2text`` and ``markdown_markdownify``: a report page as crawlers store it, converted to Markdown.

The page is the ``html`` layout's or a ``word_html`` export, converted by the
real libraries with the options their users take: html2text's defaults (ATX
headings, Word's bold headings as ``**一、总体情况**``, tables as ``a| b``
rows under a ``---|---`` rule, long lines wrapped at 78 columns where they
have spaces, rowspan and colspan ignored) and markdownify with ATX headings
(pipe rows ``| a | b |`` under ``| --- |``, a colspan's extra cells kept
empty). Both are imported only here and only when rendering: extraction
never needs them.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import ConfigError

CONVERTERS = ("html2text", "markdownify")


def to_markdown(page: str, converter: str) -> str:
    """The page converted by ``converter`` as its users call it."""
    if converter == "html2text":
        return str(_library("html2text").html2text(page))
    if converter == "markdownify":
        return str(_library("markdownify").markdownify(page, heading_style="ATX"))
    raise ValueError(f"unknown Markdown converter {converter!r}: expected one of {CONVERTERS}")


def _library(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ConfigError(f"rendering the markdown_{name} layout needs the {name} package, which nianbao "
                          f"uses only to render test documents: pip install 'nianbao[dev]'") from exc
