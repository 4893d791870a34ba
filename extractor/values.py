"""What a table cell holds: a label, a number, a blank, or a blank marker such as / - 无.

A 2019-edition change (本年增/减) may be written 减4 / 增10 as well as -4 / +10.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

_NUMBER = re.compile(r"^([+-]|增加?|减少?)?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万元|元|件|项|个|条|次|%)?$")
_BLANK_MARKS = {"/", "-", "--", "---", "无", "空", "\\", "×", "x"}


class CellKind(Enum):
    BLANK = "blank"
    VALUE = "value"
    LABEL = "label"


@lru_cache(maxsize=65536)  # cells repeat ("0", "1", "/"): most lookups are hits
def classify(text: str) -> CellKind:
    s = text.strip()
    if not s or s in _BLANK_MARKS:
        return CellKind.BLANK
    if _NUMBER.match(s):
        return CellKind.VALUE
    return CellKind.LABEL


@lru_cache(maxsize=65536)
def parse_value(text: str, *, amount: bool = False) -> int | float | None:
    """A number in the template's unit (万元 for amounts); None for a blank cell.

    Raises ValueError for text that is not a number.
    """
    s = text.strip()
    if not s or s in _BLANK_MARKS:
        return None
    m = _NUMBER.match(s)
    if not m:
        raise ValueError(f"not a number: {text!r}")
    sign, whole, frac, unit = m.groups()
    number: float = float(whole.replace(",", "") + (frac or ""))
    if sign and sign[0] in "-减":
        number = -number
    if unit == "元" and amount:
        number = number / 10000
    if amount:
        return round(number, 6)
    if number.is_integer():
        return int(number)
    return number
