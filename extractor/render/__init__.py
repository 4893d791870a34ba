"""The layout renderer: a golden → that report in the layouts the wild throws at us.

Text layouts (tab rows, pipe rows with empty cells dropped, one cell per
line), HTML with rowspan/colspan inside navigation chrome, traditional script,
pinyin annotations, blank zeros, amounts in 元 and a table cut off after a
given row. ``expected_cells`` says what a perfect extractor can still know
from a layout that loses information (a truncated table's rows are null).
``WEB_LAYOUTS`` (``web.py``) are the pages real sites and crawlers produce —
a crawler's one-line flattening, CMS fragments, Word HTML, Markdown
conversions, tables with no headings — kept apart from ``LAYOUTS`` while the
parser learns to read them.
"""

from __future__ import annotations

from .layouts import LAYOUTS, Layout, expected_cells, render
from .web import WEB_LAYOUTS, WebLayout, expected_web_cells, open_web_cells, render_web

__all__ = ["LAYOUTS", "WEB_LAYOUTS", "Layout", "WebLayout", "expected_cells", "expected_web_cells",
           "open_web_cells", "render", "render_web"]
