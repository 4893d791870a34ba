"""Gap questions: the smallest question that closes one gap the rule path left.

The rule path knows what is missing or doubtful, so the model is not asked for
a whole table but for exactly that:

- ``line``: a row of 二 or 三 not found (its label smudged, say) where lines of
  the window hold unread numbers, one per column: which of those lines it is;
- ``row``: such a row with no such line, or one whose numbers could not be
  placed: that row's numbers;
- ``total``: a 总计 the rules derived (blank where they looked): the row again,
  of which only the 总计 is used;
- ``pick``: a row several readings fit: which reading the text supports;
- ``table``: section 二 or 四 not found at all: that small table's rows.

Each question carries a window of the text (the rows around the expected
position, taken from the neighbouring rows' labels and numbers), the row and
column labels of the template, and a schema with just the rows asked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from ..document import GridCell
from ..parse.extraction import Extraction
from ..records import Flag, Value
from ..template import cell_specs, is_amount
from ..values import parse_value
from .client import TableRequest
from .prompts import load_prompt
from .schemas import SCHEMA_VERSION, describe_row, row_layout, short_label
from .text import SECTION_OF, compact

CELL_NUMBER = re.compile(r"(?<![^\s|])[+-]?\d[\d,]*(?:\.\d+)?[ ]?(?:万元|元)?(?![^\s|])")
"""A number standing as a cell of its own (not the 1 of a label such as 1.属于国家秘密)."""
WINDOW_MAX = 900
"""Characters of text a question sends at most (about 300 tokens of a Chinese table)."""


@dataclass(frozen=True)
class Gap:
    kind: str
    """``row``, ``total``, ``pick`` or ``table``."""
    table: str
    rows: tuple[str, ...]
    fill: tuple[str, ...]
    """The cells an answer may fill (a ``total`` question's 总计 only)."""
    start: int
    end: int
    """The window: ``text[start:end]`` is what the model sees."""
    readings: tuple[tuple[tuple[str, Value], ...], ...] = ()
    """A ``pick`` or ``line``: each candidate reading of the row, as (cell, value) pairs."""
    tokens: tuple[tuple[GridCell, ...], ...] = ()
    """A ``line``: where each candidate's numbers stand."""

    @property
    def reason(self) -> str:
        return f"gap {self.kind} {'+'.join(self.rows)}"


def find_gaps(ex: Extraction, skip: set[str] = frozenset()) -> list[Gap]:  # type: ignore[assignment]
    """The gaps of one document's tables, in text order (tables in ``skip`` go whole to the model)."""
    gaps: list[Gap] = []
    for table in ("t2", "t3", "t4"):
        if table in skip:
            continue
        span = ex.table_span(SECTION_OF[table])
        if span is None:
            continue
        layout = row_layout(table, ex.edition)
        drafts = {c: ex.drafts[c] for cells in layout.values() for c in cells if c in ex.drafts}
        if not drafts or any(Flag.TRUNCATED in d.flags for d in drafts.values()) and table != "t3":
            continue
        if table != "t3" and all(d.value is None for d in drafts.values()):
            gaps.append(Gap("table", table, tuple(layout), tuple(drafts), *_numbers_window(ex.text.text, *span)))
            continue
        if table == "t4":
            continue
        gaps += _row_gaps(ex, table, layout, span)
    return gaps


def _row_gaps(ex: Extraction, table: str, layout: Mapping[str, tuple[str, ...]],
              span: tuple[int, int]) -> list[Gap]:
    keys = list(layout)
    out: list[Gap] = []
    for i, key in enumerate(keys):
        drafts = [ex.drafts.get(c) for c in layout[key]]
        if any(d is None or Flag.TRUNCATED in d.flags for d in drafts):
            continue
        present = [d for d in drafts if d is not None]
        total = layout[key][-1] if layout[key][-1].endswith(".total") else None
        if all(d.value is None and Flag.MISSING_IN_SOURCE in d.flags for d in present):
            window = _window(ex, layout, keys, i, span, own=False)
            lines = candidate_lines(ex, layout[key], *window)
            if lines:  # the lines of the window whose unread numbers fit the row: which one is it?
                out.append(Gap("line", table, (key,), layout[key], *window,
                               readings=tuple(tuple(zip(layout[key], (v for v, _ in line), strict=True))
                                              for line in lines),
                               tokens=tuple(tuple(t for _, t in line) for line in lines)))
            elif unclaimed_numbers(ex, *window):  # else the row's numbers are not there to be read
                out.append(Gap("row", table, (key,), layout[key], *window))
        elif any(Flag.AMBIGUOUS_ALIGNMENT in d.flags for d in present):
            readings = _readings(ex, layout[key])
            window = _window(ex, layout, keys, i, span, own=True)
            if len(readings) > 1:
                out.append(Gap("pick", table, (key,), layout[key], *window, readings=readings))
            elif any(d.value is None for d in present):
                fill = tuple(c for c, d in zip(layout[key], drafts, strict=True) if d and d.value is None)
                out.append(Gap("row", table, (key,), fill, *window))
        elif total and Flag.DERIVED_TOTAL in ex.drafts[total].flags:
            out.append(Gap("total", table, (key,), (total,), *_window(ex, layout, keys, i, span, own=True)))
    return out


def _readings(ex: Extraction, cells: tuple[str, ...]) -> tuple[tuple[tuple[str, Value], ...], ...]:
    """An ambiguous row's readings, rebuilt from its cells' ``alternatives`` (``reading 1`` …)."""
    names: list[str] = []
    for c in cells:
        for name in (ex.drafts[c].alternatives or {}):
            if name.startswith("reading ") and name not in names:
                names.append(name)
    readings = []
    for name in names:
        readings.append(tuple((c, (ex.drafts[c].alternatives or {}).get(name, ex.drafts[c].value))
                              for c in cells))
    return tuple(dict.fromkeys(readings))


def _window(ex: Extraction, layout: Mapping[str, tuple[str, ...]], keys: list[str], i: int,
            span: tuple[int, int], own: bool) -> tuple[int, int]:
    """A row the rules found (``own``): its own lines. A row not found: from the line of the nearest
    row above that the rules found to the end of the numbers of the nearest row below."""
    text = ex.text.text
    start, end = span
    for j in (range(i, -1, -1) if own else range(i - 1, -1, -1)):
        labels = [d.label for c in layout[keys[j]] if (d := ex.drafts.get(c)) and d.label]
        if labels:
            start = max(start, text.rfind("\n", 0, labels[0].start) + 1)
            break
    for j in (range(i, i + 1) if own else range(i + 1, len(keys))):
        ends = [p.end for c in layout[keys[j]] if (d := ex.drafts.get(c))
                for p in (d.label, d.token) if p is not None]
        if ends:
            line_end = text.find("\n", max(ends))
            end = min(end, line_end if line_end >= 0 else len(text))
            break
    return _clip(text, start, end)


def candidate_lines(ex: Extraction, cells: tuple[str, ...], start: int,
                    end: int) -> list[list[tuple[Value, GridCell]]]:
    """The window's lines holding exactly one unread number per column, read in column order."""
    claimed = _claimed(ex)
    text = ex.text.text
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        tokens = [m for m in CELL_NUMBER.finditer(text, pos, pos + len(line)) if m.start() not in claimed]
        pos += len(line) + 1
        if len(tokens) != len(cells):
            continue
        try:
            values = [parse_value(m.group(0), amount=is_amount(c)) for m, c in zip(tokens, cells, strict=True)]
        except ValueError:
            continue
        out.append([(cast(Value, v), GridCell(m.group(0).strip(), m.start(), m.start() + len(m.group(0).strip())))
                    for v, m in zip(values, tokens, strict=True)])
    return out


def _claimed(ex: Extraction) -> set[int]:
    return {d.token.start for d in ex.drafts.values() if d.token is not None and d.value is not None}


def unclaimed_numbers(ex: Extraction, start: int, end: int) -> int:
    """Numbers standing as cells in ``text[start:end]`` that no read cell took: what an answer may use."""
    claimed = _claimed(ex)
    return sum(1 for m in CELL_NUMBER.finditer(ex.text.text, start, end) if m.start() not in claimed)


def _numbers_window(text: str, start: int, end: int) -> tuple[int, int]:
    """A table not found, in the text between its neighbours: from the line before the first line
    holding two numbers as cells (its header) to the end of the last such line."""
    rows = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text[start:end])
            if len(CELL_NUMBER.findall(m.group(0))) >= 2]
    if not rows:
        return _clip(text, start, end)
    first = start + rows[0][0]
    head = text.rfind("\n", start, max(start, first - 1))
    return _clip(text, head + 1 if head >= 0 else start, start + rows[-1][1])


def _clip(text: str, start: int, end: int) -> tuple[int, int]:
    """At most ``WINDOW_MAX`` characters, cut at a line end."""
    if end - start <= WINDOW_MAX:
        return start, end
    cut = text.rfind("\n", start, start + WINDOW_MAX)
    return start, cut if cut > start else start + WINDOW_MAX


def question(gap: Gap, edition: str, ex: Extraction | None = None) -> str:
    """The question's words: the rows asked, their columns, and where they stand."""
    layout = row_layout(gap.table, edition)
    row = describe_row(layout[gap.rows[0]]).split("; null")[0]
    if gap.kind == "pick":
        readings = "\n".join(f"{n}: {[v for _, v in r]}" for n, r in enumerate(gap.readings, 1))
        return (f"Row {row}.\nIts numbers can be read {len(gap.readings)} ways:\n{readings}\n"
                'Which reading matches the lines? Answer {"choice": N}, or 0 if none.')
    where = _where(gap, layout, ex) if ex is not None and gap.kind in ("row", "line") else ""
    if gap.kind == "line":  # the columns do not matter here: a line is picked whole
        lines = "\n".join(f"{n}: {[v for _, v in r]}" for n, r in enumerate(gap.readings, 1))
        row = cell_specs()[layout[gap.rows[0]][0]].row_zh
        return (f"Row 「{row}」.{where} Its label may be smudged or missing. Which of these lines of numbers "
                f"is that row?\n{lines}\n" + 'Answer {"choice": N}, or 0 if none.')
    if len(gap.rows) == 1:
        return f"Row {row}.{where}\n" + 'Copy its numbers in column order: {"v": [...]}.'
    lines = "\n".join(f"- {key}: {describe_row(layout[key])}" for key in gap.rows)
    return "Give each row's numbers in column order.\n" + lines


def _where(gap: Gap, layout: Mapping[str, tuple[str, ...]], ex: Extraction) -> str:
    keys = list(layout)
    i = keys.index(gap.rows[0])
    before = next((short_label(layout[k]) for k in reversed(keys[:i]) if _found(ex, layout[k])), None)
    after = next((short_label(layout[k]) for k in keys[i + 1:] if _found(ex, layout[k])), None)
    if gap.kind == "row" and gap.fill != layout[gap.rows[0]]:
        return ""
    parts = [f" It comes after 「{before}」" if before else "",
             (" and" if before else " It comes") + f" before 「{after}」" if after else ""]
    return "".join(parts) + "." if before or after else ""


def _found(ex: Extraction, cells: tuple[str, ...]) -> bool:
    return any((d := ex.drafts.get(c)) is not None and d.label is not None for c in cells)


def gap_request(ex: Extraction, gap: Gap, *, endpoint: str, model: str, prompt_version: str,
                max_reasks: int) -> TableRequest:
    """The request for one gap: the prompt's fixed part first (a server keeps it cached), then the
    window, then the question."""
    prompt = load_prompt("gap", prompt_version)
    window = compact(ex.text.text[gap.start:gap.end])
    messages = prompt.render("gap", ex.edition, window, question(gap, ex.edition, ex))
    known = tuple((c, d.value) for cells in row_layout(gap.table, ex.edition).values() for c in cells
                  if c not in gap.fill and (d := ex.drafts.get(c)) is not None
                  and isinstance(d.value, int | float)
                  and not (d.flags - {Flag.DERIVED_TOTAL}))
    return TableRequest(document=ex.document.name, table=gap.table, edition=ex.edition, section_text=window,
                        endpoint=endpoint, model=model, prompt_id=prompt.id, prompt_version=prompt.version,
                        schema_version=SCHEMA_VERSION, messages=messages, max_reasks=min(max_reasks, 1),
                        rows=gap.rows, choices=len(gap.readings), known=known)

