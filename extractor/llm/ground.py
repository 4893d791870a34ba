"""Grounding: every number an LLM gives must be found in the section's text near its row label.

In the spirit of instructor's citation mixin, done on characters: the row's
label is found in the section text, and its neighbourhood (up to the next row
label) must hold the number. A 0 needs only the row (blanks read as 0). A row
whose label is not in the text grounds nothing: a truncated table cannot be
filled from nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import GridCell
from ..records import Value
from ..template import T2_ROWS, T3_ROWS, is_amount
from ..values import parse_value
from .schemas import row_layout

_NUM = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?\s*(?:万元|元)?")
_CELL_NUM = re.compile(r"(?<![^\s|])[+-]?\d[\d,]*(?:\.\d+)?[ ]?(?:万元|元)?(?![^\s|])")
"""A number standing as a cell of its own (not the 1 of a label such as 1.属于国家秘密)."""


@dataclass(frozen=True)
class Grounding:
    found: bool
    token: GridCell | None
    """Where the number stands in the text (None for a 0 read from blanks)."""
    label: GridCell | None


def ground_table(table: str, edition: str, text: str, start: int, end: int,
                 values: dict[str, Value]) -> dict[str, Grounding]:
    """Ground each value of one table; ``text[start:end]`` is the section the LLM saw."""
    spans = _row_spans(table, edition, text, start, end)
    out: dict[str, Grounding] = {}
    for key, cells in row_layout(table, edition).items():
        span = spans.get(key)
        for cell in cells:
            if cell not in values:
                continue
            value = values[cell]
            if span is None:
                out[cell] = Grounding(False, None, None)
                continue
            (s, e), label = span
            if value == 0 or value is None:
                out[cell] = Grounding(True, None, label)
                continue
            token = _find(text, s, e, value, is_amount(cell))
            out[cell] = Grounding(token is not None, token, label)
    return out


def _row_spans(table: str, edition: str, text: str, start: int,
               end: int) -> dict[str, tuple[tuple[int, int], GridCell | None]]:
    if table == "t4":
        return {g: ((start, end), None) for g in row_layout("t4", edition)}
    specs = T3_ROWS if table == "t3" else T2_ROWS[edition]
    wanted = set(row_layout(table, edition))
    found: list[tuple[int, str, GridCell]] = []
    for m in re.finditer(r"[^\n\t|]+", text[start:end]):
        label = re.sub(r"\s", "", m.group(0))
        if not label or _NUM.fullmatch(label):
            continue
        for spec in specs:
            if spec.key in wanted and spec.matches(label) and all(k != spec.key for _, k, _ in found):
                if spec.key == "total" and not found:
                    break  # the 总计 column header, not the row
                s = start + m.start()
                found.append((s, spec.key, GridCell(m.group(0).strip(), s, start + m.end())))
                break
    found.sort()
    spans: dict[str, tuple[tuple[int, int], GridCell | None]] = {}
    for i, (s, key, cell) in enumerate(found):
        e = found[i + 1][0] if i + 1 < len(found) else min(end, s + 600)
        spans[key] = ((s, e), cell)
    return spans


def _find(text: str, start: int, end: int, value: Value, amount: bool) -> GridCell | None:
    for m in _CELL_NUM.finditer(text, start, end):
        try:
            v = parse_value(m.group(0), amount=amount)
        except ValueError:
            continue
        if v is not None and isinstance(value, int | float) and abs(float(v) - float(value)) < 1e-6:
            return GridCell(m.group(0).strip(), m.start(), m.start() + len(m.group(0).strip()))
    return None
