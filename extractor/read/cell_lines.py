"""Cell text: the lines of one table cell (Word paragraphs, PDF text lines) → one label.

A label printed one character a line (三/、/本/年…) or broken by the cell's
width (商业企 / 业) is one word in Chinese: lines are joined without a space,
except between two Latin letters or digits — but a number broken by the
cell's width (115 / 4) is one number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..values import CellKind, classify

_WS = re.compile(r"[ \t\r\n\u00a0\u3000]+")
_DIGITS = re.compile(r"^[\d,.]+$")
"""A number, or part of one: a narrow cell wraps "1154" as "115" and "4", which read on without a space."""


def join_cell_lines(lines: Iterable[str]) -> str:
    """One cell's lines as one line of text, with no tab or newline left in it."""
    out = ""
    for raw in lines:
        line = _WS.sub(" ", raw).strip()
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum() and not (
                _DIGITS.match(out) and _DIGITS.match(line)):
            out += " "
        out += line
    return out


def spans_again(text: str) -> bool:
    """Whether a cell merged across columns is repeated in the columns after its first: a label is
    (a header over several columns names each), a number is not — it is one value of one column,
    and repeated, or left as a blank, it would read as another value (政府集中采购 | 3.65 merged over
    采购项目数量 and 金额 is one amount, not two)."""
    return classify(text) is not CellKind.VALUE
