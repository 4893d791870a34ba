"""The layout renderer: a golden → that report in the layouts the wild throws at us.

Text layouts (tab rows, pipe rows with empty cells dropped, one cell per
line), HTML with rowspan/colspan inside navigation chrome, traditional script,
pinyin annotations, blank zeros, amounts in 元 and a table cut off after a
given row. ``expected_cells`` says what a perfect extractor can still know
from a layout that loses information (a truncated table's rows are null).
``WEB_LAYOUTS`` (``web.py``) are the pages real sites and crawlers produce —
a crawler's one-line flattening, CMS fragments, Word HTML, Markdown
conversions, tables with no headings — kept apart from ``LAYOUTS`` while the
parser learns to read them; so are ``ODD_LAYOUTS`` (``odd.py``: blank lines
for blank cells, section 二 one cell a line with pipes, mixed editions, spam,
mojibake, instructions left in, extra rows, squeezed pipes). ``render_cut``
(``cut.py``) cuts any text layout off at any character and says what the
rest still conveys, from the spans the text layouts record (``spans.py``).
"""

from __future__ import annotations

from .cut import CUT_LAYOUTS, CutPoint, cut_points, cuttable, render_cut
from .layouts import LAYOUTS, Layout, expected_cells, render
from .odd import ODD_LAYOUTS, OddLayout, expected_odd_cells, open_odd_cells, render_odd
from .web import WEB_LAYOUTS, WebLayout, expected_web_cells, open_web_cells, render_web

__all__ = ["CUT_LAYOUTS", "LAYOUTS", "ODD_LAYOUTS", "WEB_LAYOUTS", "CutPoint", "Layout", "OddLayout", "WebLayout",
           "cut_points", "cuttable", "expected_cells", "expected_odd_cells", "expected_web_cells", "open_odd_cells",
           "open_web_cells", "render", "render_cut", "render_odd", "render_web"]
