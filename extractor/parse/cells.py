"""Cells: ``Grid`` + edition → a draft per cell id, rows matched by their labels, never by counting.

Each table row is matched to a template row by its most specific label cell;
its values are placed with ``alignment`` and, for tables 三 and 四, the
placement is chosen across the whole table by the arithmetic identities.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..document import Grid, GridCell, Row
from ..identities import identities_for
from ..records import Alignment, Flag, Method, Value
from ..template import (
    APPLICANTS,
    BLOCK_COLUMNS,
    OTHER_SPLIT,
    T2_ROWS,
    T3_COLUMNS,
    T3_ROWS,
    T4_CELLS,
    T4_COLUMNS,
    T4_GROUPS,
    RowSpec,
    is_amount,
    t3_rows,
)
from ..values import CellKind, classify, parse_value
from .alignment import row_candidates, solve
from .cut import cut_candidates, ends_with, is_cut_row, labels_only, printed_nothing, text_end
from .draft import Draft, Unread
from .readings import Candidate, Reader, Shape
from .runs import MAX_DIGITS

T3_SHAPE = Shape((len(T3_COLUMNS),), totals=True)
T4_SHAPE = Shape((len(T4_COLUMNS),) * len(T4_GROUPS), totals=True)


@dataclass
class TableResult:
    cells: dict[str, Draft]
    notes: list[str]
    leftover: list[Row] = field(default_factory=list)
    """Rows after the table that match no row label but hold a run of numbers."""


def _compact(label: str) -> str:
    """A label as matched: no whitespace, no Markdown emphasis (``**…**``) or escapes (``1\\.``)."""
    return re.sub(r"[\s*`\\]", "", label)


def match_row(row: Row, specs: Sequence[RowSpec]) -> RowSpec | None:
    """The template row named by the row's most specific (last) matching label cell."""
    for cell in reversed(row.labels):
        spec = _match_label(cell, specs)
        if spec is not None:
            return spec
    return None


def _match_label(cell: GridCell, specs: Sequence[RowSpec]) -> RowSpec | None:
    return _match_text(cell.text, tuple(specs))


_OUTER = re.compile(r"^(?:三[、.]?本年度办理结果)?(?:第二十条第\([一二三四五六七八九十]+\)项)?"
                    r"(?:\([三四五六]\)(?:不予公开|无法提供|不予处理|其他处理))?")
"""The labels of the cells around a row's own (the parent 三、本年度办理结果, a group such as
（六）其他处理, a block title 第二十条第（一）项): read into the row's label when a merged cell and its
neighbour run together ("（六）其他处理3.其他", "第二十条第（一）项规章")."""


@lru_cache(maxsize=8192)
def _match_text(text: str, specs: tuple[RowSpec, ...]) -> RowSpec | None:
    # labels repeat from report to report: a batch matches each distinct label once
    compact = _compact(text)
    found = next((spec for spec in specs if spec.matches(compact)), None)
    own = _OUTER.sub("", compact, count=1)
    if found is None and own and own != compact:
        found = next((spec for spec in specs if spec.matches(own)), None)
    return found


def split_rows(rows: Sequence[Row], specs: Sequence[RowSpec]) -> list[Row]:
    """Rows whose label run names several template rows become several rows.

    When blank cells are dropped, a row with no numbers leaves only its label,
    which then runs into the next row's label (规章 / 行政规范性文件 5 7 19):
    each earlier label that names a row is a present row of blanks.
    """
    out: list[Row] = []
    for row in join_cut_rows(rows, specs):
        start = 0
        for i, cell in enumerate(row.labels[:-1]):
            spec = _match_label(cell, specs)
            later = match_row(Row(row.labels[i + 1:], ()), specs) if spec is not None else None
            if later is not None and later is not spec:
                out.append(Row(row.labels[start:i + 1], ()))
                start = i + 1
        out.append(Row(row.labels[start:], row.values) if start else row)
    return out


_ITEM_START = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d+[.、]|第)")
"""How a template row's label begins (一、 （三） 2. 第二十条): the rest of a cut label never does."""


def join_cut_rows(rows: Sequence[Row], specs: Sequence[RowSpec]) -> list[Row]:
    """A row and the next one that is the rest of its label are one row: a PDF row cut by a page break
    with rules drawn at the cut (7.属于行政执法案 | 0 0 … / 卷 | blanks; 1.本机关不掌握 | blanks / 相关政府信息 |
    11 …). The rest does not begin as a label begins, one half holds no value (``_halves``), their labels read on
    into a row's label, and neither half names another row. The row takes the values of the half that has
    them — read apart, the half naming the row would have been read as blanks, and its numbers lost."""
    out: list[Row] = []
    for row in rows:
        prev = out[-1] if out else None
        if (prev is not None and prev.labels and row.labels and _halves(prev, row)
                and not _ITEM_START.match(_compact(row.labels[-1].text))):
            a, b = prev.labels[-1], row.labels[-1]
            joined = Row((*prev.labels[:-1], GridCell(a.text + b.text, a.start, b.end)),
                         prev.values if _no_value(row) else row.values)
            spec = match_row(joined, specs)
            if spec is not None and all(match_row(r, specs) in (None, spec) for r in (prev, row)):
                out[-1] = joined
                continue
        out.append(row)
    return out


def _no_value(row: Row) -> bool:
    return all(c.is_blank for c in row.values)


def _halves(a: Row, b: Row) -> bool:
    """Whether two rows can be the halves of one: cells in the same columns, one half without a value;
    or a label alone on its line beside a row of values (word positions). Not a header row of labels
    above a row of blanks."""
    if len(a.values) == len(b.values):
        return bool(a.values) and (_no_value(a) or _no_value(b))
    return (not a.values and not _no_value(b)) or (not b.values and not _no_value(a))


def _label_alone(row: Row, grid: Grid) -> bool:
    """A tab row that is a label and nothing else: no cell was placed beside it, not even a blank one (a
    PDF read by word positions writes no value cells for a line holding no number). Blank cells kept by
    position are a row of blanks; nothing at all may be a label whose numbers lie on another line."""
    return grid.layout == "tab" and bool(row.labels) and not row.values


_GLUED = re.compile(r"(?<=[^\d\s.,、])\s*(\d[\d ]*)\s*$")
"""Digits run into the end of a label (一、本年新收政府信息公开申请数量4000004); no template label ends in one."""


def _unglued(row: Row) -> Row | None:
    """A row whose numbers ran into its label, with no value cell beside them: the label and its digits
    apart, the digits one run to split by the arithmetic (read as a row of blanks, they were lost)."""
    if not row.labels or any(not c.is_blank for c in row.values):
        return None
    last = row.labels[-1]
    m = _GLUED.search(last.text)
    if m is None:
        return None
    label = GridCell(last.text[:m.start()], last.start, last.start + m.start())
    run = GridCell(m.group(1), last.start + m.start(1), last.start + m.end(1))
    return Row(row.labels[:-1] + (label,), (run,))


def _readings(row: Row, shape: Shape, read: Reader, layout: str) -> list[Candidate]:
    """The row's readings; numbers glued to its label are a run, as in a flattened table."""
    glued = _unglued(row)
    if glued is not None:
        return row_candidates(glued.values, shape, read, runs=True)
    return row_candidates(row.values, shape, read, runs=layout == "flat")


def _unplaced(drafts: dict[str, Draft]) -> dict[str, Draft]:
    for d in drafts.values():
        d.flags.add(Flag.AMBIGUOUS_ALIGNMENT)
        d.note = ("no value stands beside this label (its line holds the label alone): read as blank, but "
                  "its numbers may be printed on another line")
    return drafts


# ---------------------------------------------------------------- reading values


def _reader(ids: Sequence[str], total: str | None, parts: Sequence[str],
            unit_yuan: bool = False) -> Reader:
    """How one row's placed tokens become values (a blank 总计 beside numbers becomes their sum)."""

    amounts = [is_amount(cell_id) for cell_id in ids]

    def read(slots: tuple[GridCell | None, ...], alignment: Alignment, extra: bool) -> Candidate:
        values: dict[str, Value] = {}
        tokens: dict[str, GridCell | None] = {}
        unreadable = False
        for cell_id, amount, tok in zip(ids, amounts, slots, strict=True):
            tokens[cell_id] = tok
            try:
                v = parse_value(tok.text, amount=amount) if tok is not None else None
            except ValueError:  # a damaged number ("0口"): unknown, flagged by _drafts_from
                values[cell_id], unreadable = None, True
                continue
            if amount and unit_yuan and tok is not None and v is not None and "元" not in tok.text:
                v = round(float(v) / 10000, 6)
            values[cell_id] = 0 if v is None else v
        derived: frozenset[str] = frozenset()
        if total and tokens.get(total) is None and unreadable:
            values[total], derived = None, frozenset({total})  # a blank 总计 beside an unreadable part
        elif total and tokens.get(total) is None and any(values[p] for p in parts):
            values[total] = sum(float(values[p] or 0) for p in parts)
            if float(values[total] or 0).is_integer():
                values[total] = int(float(values[total] or 0))
            derived = frozenset({total})
        return Candidate(values, tokens, derived, alignment, extra)

    return read


def _drafts_from(candidate: Candidate, label: GridCell | None, ambiguous: set[str],
                 readings: Sequence[Candidate] = ()) -> dict[str, Draft]:
    """The row's drafts; an ambiguous cell keeps its value in each equally good reading (``alternatives``)."""
    out: dict[str, Draft] = {}
    for cell_id, value in candidate.values.items():
        d = Draft(value=value, token=candidate.tokens.get(cell_id), label=label,
                  alignment=candidate.alignment)
        if cell_id in candidate.derived:
            d.method, d.alignment = Method.DERIVED, Alignment.DERIVED
            d.flags.add(Flag.DERIVED_TOTAL)
            d.note = "总计 is blank in the source; given as the sum of the row"
        if candidate.alignment is Alignment.AMBIGUOUS and candidate.extra:
            d.flags |= {Flag.AMBIGUOUS_ALIGNMENT, Flag.EXTRA_VALUES}
            d.note = "the row holds far more numbers than columns: the first are given, unchecked"
        elif candidate.alignment is Alignment.AMBIGUOUS:
            d.flags.add(Flag.AMBIGUOUS_ALIGNMENT)
            d.note = ("the row's numbers ran together and no split of them adds up" if value is not None
                      else "the row's numbers ran together and cannot be split: the values are unknown")
        elif cell_id in ambiguous:
            d.alignment = Alignment.AMBIGUOUS
            d.flags.add(Flag.AMBIGUOUS_ALIGNMENT)
            d.note = ("the row's numbers ran together; several splits fit the arithmetic"
                      if candidate.alignment is Alignment.SPLIT
                      else "cells were dropped in this row; several placements fit the arithmetic")
            if len(readings) > 1:
                d.alternatives = {f"reading {i}": r.values.get(cell_id) for i, r in enumerate(readings, 1)}
        if candidate.extra and ambiguous:
            d.flags.add(Flag.EXTRA_VALUES)
        if d.token is not None and value is None and classify(d.token.text) is CellKind.LABEL:
            d.method = Method.RULE
            d.flags.add(Flag.DAMAGED_TEXT)
            d.note = f"the source's cell reads {d.token.text!r}, not a number: unknown, not read"
        if isinstance(value, int | float) and abs(value) >= 10 ** MAX_DIGITS:
            d.value, d.method = None, Method.RULE
            d.flags.add(Flag.DAMAGED_TEXT)
            d.note = (f"{abs(int(value)):,} has more digits than any count or amount a report gives: "
                      "numbers ran together or the text is damaged; unknown, not read")
        if cell_id in candidate.cut:
            d.value, d.alignment = None, Alignment.ABSENT
            d.unread = Unread.PAST_END if candidate.columns_known else Unread.CUT_ROW
            d.flags.add(Flag.TRUNCATED)
            d.note = "the text ends before this cell (the page is cut off): unknown, not blank"
        elif cell_id in candidate.cut_short:
            d.flags.add(Flag.TRUNCATED)
            d.cut_short = True
            d.note = d.note or "the text ends in this row: read as printed, but it may be cut short"
        out[cell_id] = d
    return out


# ---------------------------------------------------------------- section 二


def t2_cells(grid: Grid, edition: str, text: str | None = None) -> TableResult:
    """Section 二's rows; ``text``: the document's text, to tell a table it ends in (cut off)."""
    specs = T2_ROWS[edition]
    found: dict[str, Draft] = {}
    notes: list[str] = []
    unit_yuan = False
    cut = _Cut(text, grid)
    columns_of: str | None = None
    for row in split_rows(grid.rows, specs):
        label = row.label
        if "单位:元" in label or "(元)" in label:
            unit_yuan = True
        elif "万元" in label:
            unit_yuan = False
        columns_of = _block_edition(label) or columns_of
        spec = match_row(row, specs)
        if spec is None or spec.cell(spec.columns[0]) in found:
            continue
        ids = [spec.cell(c) for c in spec.columns]
        if columns_of not in (None, edition):
            found.update(_other_edition(ids, row, columns_of))
            cut.seen(spec, row)
            continue
        shape, read = Shape((len(ids),), False), _reader(ids, None, (), unit_yuan)
        cut_cands = cut.readings(row, spec, shape, read)
        cands = cut_cands or _readings(row, shape, read, grid.layout)
        ambiguous: set[str] = set()
        readings: list[Candidate] = []
        if len(cands) > 1:
            sol = solve({spec.key: cands}, ())
            ambiguous = sol.ambiguous.get(spec.key, set())
            readings = sorted(sol.readings.get(spec.key, []), key=lambda r: r is not cands[0])
        drafts = _drafts_from(cands[0], row.labels[-1] if row.labels else None, ambiguous, readings)
        found.update(_unplaced(drafts) if not cut_cands and _label_alone(row, grid) else drafts)
        cut.seen(spec, row)
    notes += cut.notes("二")
    return TableResult(_with_missing(found, [r.cell(c) for r in specs for c in r.columns], cut.after(specs),
                                     cut.next_row(specs)), notes)


def _block_edition(label: str) -> str | None:
    """The edition whose columns a header row of section 二 names (None: not a header row)."""
    compact = _compact(label)
    for edition, columns in BLOCK_COLUMNS.items():
        if any(c in compact for c in columns):
            return edition
    return None


def _other_edition(ids: Sequence[str], row: Row, columns_of: str) -> dict[str, Draft]:
    """A row printed under the other edition's columns: its numbers do not mean this edition's cells."""
    out: dict[str, Draft] = {}
    for cell_id in ids:
        d = Draft(value=None, alignment=Alignment.ABSENT, label=row.labels[-1] if row.labels else None,
                  note=f"printed under the {columns_of} edition's columns: this edition's cell is not given")
        d.flags.add(Flag.OTHER_EDITION)
        out[cell_id] = d
    return out


# ---------------------------------------------------------------- section 三


def t3_cells(grid: Grid, edition: str, text: str | None = None) -> TableResult:
    """Section 三's rows, placed across the whole table; ``text``: the document's text (cut-off pages)."""
    cut = _Cut(text, grid)
    rows: dict[str, list[Candidate]] = {}
    labels: dict[str, GridCell | None] = {}
    notes: list[str] = []
    leftover: list[Row] = []
    alone: set[str] = set()
    matched_any = False
    for row in split_rows(grid.rows, T3_ROWS):
        spec = match_row(row, T3_ROWS)
        if spec is not None and spec.key == "total" and not matched_any:
            spec = None  # the 总计 column header, not the （七）总计 row
        if spec is None:
            if matched_any and sum(1 for c in row.values if not c.is_blank) >= 10:
                leftover.append(row)
            continue
        if spec.key in rows:
            notes.append(f"row {spec.key} appears twice; the first was read")
            continue
        matched_any = True
        ids = [spec.cell(c) for c in T3_COLUMNS]
        parts = [spec.cell(a) for a in APPLICANTS]
        read = _reader(ids, spec.cell("total"), parts)
        cut_cands = cut.readings(row, spec, T3_SHAPE, read)
        rows[spec.key] = cut_cands or _readings(row, T3_SHAPE, read, grid.layout)
        labels[spec.key] = row.labels[-1] if row.labels else None
        cut.seen(spec, row)
        if not cut_cands and _label_alone(row, grid):
            alone.add(spec.key)
    edition_rows = {r.key for r in t3_rows(edition)}
    sol = solve({k: v for k, v in rows.items() if k in edition_rows}, identities_for(edition))
    notes += sol.notes
    found: dict[str, Draft] = {}
    for key, cand in sol.chosen.items():
        drafts = _drafts_from(cand, labels[key], sol.ambiguous.get(key, set()), sol.readings.get(key, ()))
        found.update(_unplaced(drafts) if key in alone else drafts)
    found.update(_merged_other_row(rows, labels, edition))
    wanted = [r.cell(c) for r in t3_rows(edition) for c in T3_COLUMNS]
    notes += cut.notes("三")
    return TableResult(_with_missing(found, wanted, cut.after(t3_rows(edition)),
                                     cut.next_row(t3_rows(edition))), notes, leftover)


def _merged_other_row(rows: dict[str, list[Candidate]], labels: dict[str, GridCell | None],
                      edition: str) -> dict[str, Draft]:
    """Mixed editions: （六）其他处理 printed as one row in a 2021 report, or split in a 2019 one."""
    out: dict[str, Draft] = {}
    if edition == "2021" and "other" in rows and not any(k in rows for k in OTHER_SPLIT):
        merged = rows["other"][0]
        zero = all(v == 0 for v in merged.values.values())
        for key in OTHER_SPLIT:
            for col in T3_COLUMNS:
                d = Draft(value=0 if zero else None, method=Method.DERIVED,
                          alignment=Alignment.DERIVED, label=labels["other"],
                          token=merged.tokens.get(f"t3.other.{col}"))
                d.flags.add(Flag.DERIVED_FROM_MERGED_ROW)
                d.note = ("（六）其他处理 is printed as one row of zeros: its three sub-rows are 0"
                          if zero else "（六）其他处理 is printed as one row: sub-rows unknowable")
                out[f"t3.{key}.{col}"] = d
    if edition == "2019" and "other" not in rows and all(k in rows for k in OTHER_SPLIT):
        for col in T3_COLUMNS:
            total = sum(float(rows[k][0].values[f"t3.{k}.{col}"] or 0) for k in OTHER_SPLIT) + 0.0
            d = Draft(value=int(total) if total.is_integer() else total, method=Method.DERIVED,
                      alignment=Alignment.DERIVED, label=labels[OTHER_SPLIT[0]])
            d.flags.add(Flag.DERIVED_FROM_MERGED_ROW)
            d.note = "the 2019 （六）其他处理 row is the sum of the three sub-rows printed"
            out[f"t3.other.{col}"] = d
    return out


# ---------------------------------------------------------------- section 四


def t4_cells(rows: Sequence[Row], *, inferred: bool = False, layout: str = "tab",
             text: str | None = None) -> TableResult:
    """Section 四's 15 numbers, in the template's order; ``text``: the document's text (cut-off pages)."""
    runs = layout == "flat"
    values: list[GridCell] = []
    label: GridCell | None = None
    for row in rows:
        if any(not c.is_blank for c in row.values):
            values.extend(row.values)
            label = label or (row.labels[-1] if row.labels else None)
    notes: list[str] = []
    cut_here = text is not None and bool(rows) and is_cut_row(rows[-1], text, layout)
    if not values:
        if cut_here:
            notes.append("the text ends in table 四, before its numbers: they are null (truncated)")
            # the text may end in a row's label: its numbers may be printed blank
            return TableResult(_with_missing({}, list(T4_CELLS), set(T4_CELLS), set(T4_CELLS)), notes)
        if any(re.search("维持|纠正|审结", row.label) for row in rows):
            return TableResult(_blank_table(T4_CELLS, rows), notes)
        return TableResult(_with_missing({}, list(T4_CELLS)), notes)
    totals = [f"t4.{g}.total" for g in T4_GROUPS]

    def read(slots: tuple[GridCell | None, ...], alignment: Alignment, extra: bool) -> Candidate:
        cands = []
        for gi, g in enumerate(T4_GROUPS):
            ids = [f"t4.{g}.{c}" for c in T4_COLUMNS]
            part = slots[gi * 5:(gi + 1) * 5]
            cands.append(_reader(ids, totals[gi], ids[:-1])(part, alignment, extra))
        merged = Candidate({k: v for c in cands for k, v in c.values.items()},
                           {k: v for c in cands for k, v in c.tokens.items()},
                           frozenset().union(*(c.derived for c in cands)), alignment, extra)
        return merged

    if cut_here and text is not None:
        cands = cut_candidates(values, T4_SHAPE, read, text_end(text), runs)
        notes.append("the text ends in table 四: the numbers after the end are null (truncated)")
    else:
        cands = row_candidates(values, T4_SHAPE, read, runs=runs)
    sol = solve({"t4": cands}, [i for i in identities_for("2021") if i.kind == "t4"])
    found = _drafts_from(sol.chosen["t4"], label, sol.ambiguous.get("t4", set()), sol.readings.get("t4", ()))
    if inferred:
        for d in found.values():
            d.flags.add(Flag.SECTION_HEADING_MISSING)
            d.note = d.note or "the heading of section 四 is missing; the table was found by its shape"
    return TableResult(found, notes + sol.notes)


def _blank_table(cells: Sequence[str], rows: Sequence[Row]) -> dict[str, Draft]:
    """A table whose header is printed but whose every cell is blank: 0, flagged for a look."""
    label = next((r.labels[-1] for r in rows if r.labels), None)
    out: dict[str, Draft] = {}
    for cell_id in cells:
        d = Draft(value=0, label=label, alignment=Alignment.POSITIONAL,
                  note="the table is printed with every cell blank: read as 0")
        d.flags.add(Flag.BLANK_TABLE)
        out[cell_id] = d
    return out


def _with_missing(found: dict[str, Draft], wanted: Sequence[str],
                  cut_off: set[str] | frozenset[str] = frozenset(),
                  in_cut_row: set[str] | frozenset[str] = frozenset()) -> dict[str, Draft]:
    """Every wanted cell: those not found are null — ``truncated`` when the text ends before them (or,
    ``in_cut_row``, maybe in their row's label)."""
    out: dict[str, Draft] = {}
    for cell_id in wanted:
        if cell_id in found:
            out[cell_id] = found[cell_id]
            continue
        d = Draft(value=None, alignment=Alignment.ABSENT, unread=Unread.ABSENT)
        if cell_id in cut_off:
            d.unread = Unread.CUT_ROW if cell_id in in_cut_row else Unread.PAST_END
            d.flags.add(Flag.TRUNCATED)
            d.note = "the text ends before this row (the page is cut off)"
        else:
            d.flags.add(Flag.MISSING_IN_SOURCE)
            d.note = "the row is not in the source"
        out[cell_id] = d
    return out


class _Cut:
    """Where a table's text ends, if the document ends in it: the row it ends in, and the rows after."""

    def __init__(self, text: str | None, grid: Grid):
        self.text = text
        self.layout = grid.layout
        self.ends_here = text is not None and bool(grid.rows) and ends_with(grid.rows[-1], text)
        self.last: RowSpec | None = None
        self.last_end = 0
        """Where the last row read ends in the text."""
        self.row: RowSpec | None = None
        self.full: bool | None = None
        """Whether every row read before holds a value per column (blanks printed): None before any."""

    def readings(self, row: Row, spec: RowSpec, shape: Shape, read: Reader) -> list[Candidate] | None:
        """The cut row's readings (what it printed before the end; the rest null), or None for any other."""
        if self.text is None or not self.ends_here or not is_cut_row(row, self.text, self.layout):
            if row.values or not self._heading(row):
                self.full = (self.full is not False) and len(row.values) == shape.n
            return None
        self.row = spec
        end = text_end(self.text)
        own_label = printed_nothing(row, self.text, end) and _match_label(row.labels[-1], (spec,)) is spec
        return cut_candidates(row.values, shape, read, end, runs=self.layout == "flat",
                              columns_known=self.columns_known or own_label)

    def _heading(self, row: Row) -> bool:
        """A row of no cells whose line goes on with the next row's label: a group heading printed in
        a merged cell (（六）其他处理 → 1.申请人…), not a row whose blanks were dropped."""
        if self.text is None or not row.labels:
            return False
        start = row.labels[-1].end
        stop = self.text.find("\n", start)
        return bool(self.text[start:stop if stop >= 0 else len(self.text)].strip(" \t|\r\u3000"))

    def seen(self, spec: RowSpec, row: Row) -> None:
        self.last = spec
        self.last_end = max((c.end for c in (*row.labels, *row.values)), default=self.last_end)

    def after(self, specs: Sequence[RowSpec]) -> set[str]:
        """The cells of the rows after the last one read, when the text ends in this table."""
        if not self.ends_here:
            return set()
        keys = [s.key for s in specs]
        start = keys.index(self.last.key) + 1 if self.last is not None and self.last.key in keys else 0
        return {s.cell(c) for s in specs[start:] for c in s.columns}

    def next_row(self, specs: Sequence[RowSpec]) -> set[str]:
        """The cells after the end that the text may still reach into: all of them unless the table prints
        every column between tabs or pipes (a flattened run, or lines whose blanks may be dropped, can
        have taken a later row's numbers); there, the row after the last one read when no row is known to
        hold the end (the text may end in its label, cut mid-label)."""
        after = self.after(specs)
        if not after or self.row is not None and self.columns_known:
            return set()
        if (self.row is None and self.last is not None and self.text is not None and self.layout != "flat"
                and labels_only(self.text[self.last_end:text_end(self.text)])):
            return set()
        if not self.columns_known:
            return after
        first = next(s for s in specs if any(s.cell(c) in after for c in s.columns))
        return {first.cell(c) for c in first.columns}

    @property
    def columns_known(self) -> bool:
        """Every row read before the end holds a value per column: between tabs or pipes, or one per line."""
        return self.layout in ("tab", "pipe", "lines") and bool(self.full)

    def notes(self, table: str) -> list[str]:
        if not self.ends_here:
            return []
        where = f"in row {self.row.key}" if self.row is not None else "after its last full row"
        return [f"the text ends in table {table}, {where}: the cells after the end are null (truncated)"]
