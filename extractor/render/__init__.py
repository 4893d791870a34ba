"""The layout renderer: a golden → that report in the layouts the wild throws at us.

Text layouts (tab rows, pipe rows with empty cells dropped, one cell per
line), HTML with rowspan/colspan inside navigation chrome, traditional script,
pinyin annotations, blank zeros, amounts in 元 and a table cut off after a
given row. ``expected_cells`` says what a perfect extractor can still know
from a layout that loses information (a truncated table's rows are null).
"""

from __future__ import annotations

from .layouts import LAYOUTS, Layout, expected_cells, render

__all__ = ["LAYOUTS", "Layout", "expected_cells", "render"]
