"""Grids: a section's text → ``Grid`` of rows (labels + values), whatever the layout.

``delimited`` reads pipe and tab rows (HTML tables arrive as tab rows), ``lines``
reads one cell per line, ``flat`` a crawler's flattened rows (a label, then its
numbers run together); ``section_to_grid`` picks the layout.
"""

from __future__ import annotations

from ...document import Grid, Section, Text
from .delimited import delimited_to_grid
from .flat import flat_to_grid, is_flat
from .lines import lines_to_grid

__all__ = ["section_to_grid"]


def section_to_grid(text: Text, section: Section) -> Grid:
    if is_flat(text.text, section.start, section.end, section.number):
        return flat_to_grid(text.text, section.start, section.end, section.number)
    body = text.text[section.start:section.end]
    lines = body.split("\n")
    pipes = sum(1 for line in lines if "|" in line)
    tabs = sum(1 for line in lines if "\t" in line)
    if pipes >= 2 and pipes >= tabs:
        single = sum(1 for line in lines if "|" in line and sum(1 for c in line.split("|") if c.strip()) <= 1)
        if single >= 0.8 * pipes:  # one cell a line, each with its pipe: a table converted line by line
            return lines_to_grid(text.text, section.start, section.end, pipes=True)
        return delimited_to_grid(text.text, section.start, section.end, "|")
    if tabs >= 2:
        return delimited_to_grid(text.text, section.start, section.end, "\t")
    return lines_to_grid(text.text, section.start, section.end)
