"""Cell text: the lines of one table cell (Word paragraphs, PDF text lines) → one label.

A label printed one character a line (三/、/本/年…) or broken by the cell's
width (商业企 / 业) is one word in Chinese: lines are joined without a space,
except between two Latin letters or digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WS = re.compile(r"[ \t\r\n\u00a0\u3000]+")


def join_cell_lines(lines: Iterable[str]) -> str:
    """One cell's lines as one line of text, with no tab or newline left in it."""
    out = ""
    for raw in lines:
        line = _WS.sub(" ", raw).strip()
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return out
