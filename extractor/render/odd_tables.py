"""Odd tables: provincial rows the template lacks, and pipe rows whose empty cells are squeezed together.

- ``extra_rows``: tab rows with rows some provinces add — 其他主动公开文件 in
  section 二's 第（一）项, 行政检查 in its 第（六）项, a 小计 row after a group
  of table 三 (the group's column sums). A reader must skip them without
  shifting anything: the expected cells are the golden's.
- ``glued_labels``: tab rows, some of table 三's with their numbers run into
  the label and nothing between (``一、本年新收政府信息公开申请数量4000004``), as
  a converter that lost the cells leaves them. Those rows' cells are open: the
  digits split by the arithmetic, or flagged — never read as a row of blanks.
- ``squeezed_rows``: pipe rows, zeros blank, each run of n blank cells printed
  as 1 … n pipes with nothing between them (``行政许可 | 3 |||| 3 |``): a
  reader sees that cells are missing there, not how many. ``open_squeezed``
  names the cells whose value the row and its own arithmetic leave open —
  two placements that satisfy it disagree on them — which an extractor must
  get right or flag. The schema would have such a golden null unless the
  whole table's arithmetic leaves one placement; deciding that needs the
  table solver's search, so the renderer names them open instead (as
  ``open_web_cells`` does for digit runs): both ask an extractor to flag
  what it cannot settle, and open also accepts the right value where the
  table's column identities do settle it.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence

from ..template import T3_COLUMNS
from .layouts import (
    Layout,
    TableRows,
    TextTables,
    finish_text,
    narrative,
    report_lines,
    table_rows,
    write_rows,
)
from .runs import row_sums
from .spans import Marked, Role, join
from .tables import Cells
from .text_rows import Row

GLUED = Layout("glued_labels", "tab")
"""How the glued layout prints its other rows: plain tab rows."""
SQUEEZED = Layout("pipe_squeezed", "pipe", blank_zeros=True)
"""How the squeezed layout prints values (zeros blank) and joins lines."""

T2_EXTRAS = {"t2.normative": "其他主动公开文件", "t2.coercion": "行政检查"}
"""Section 二 rows a province adds, after the template row they follow."""
T3_GROUP_ENDS = {"denied_query_matter": ("denied_",), "unavailable_unclear": ("unavailable_",),
                 "not_processed_confirm": ("not_processed_",)}
"""Table 三 rows after which a 小计 row may follow, and the prefix of the group's rows it adds up."""


def label_of(row: Row) -> str:
    """The row id a row's label prints (``t3.granted``), or ""."""
    return next((s.id for cell in row for s in cell.spans if s.role == Role.LABEL), "")


def values_of(row: Row) -> list[Marked]:
    return [cell for cell in row if any(s.role == Role.VALUE for s in cell.spans)]


def with_extra_rows(rows: TableRows, rng: random.Random) -> TableRows:
    """The tables with one or two extra section 二 rows and one to three 小计 rows in table 三."""
    t2_extras = [k for k in T2_EXTRAS if rng.random() < 0.6] or [rng.choice(list(T2_EXTRAS))]
    t3_extras = [k for k in T3_GROUP_ENDS if rng.random() < 0.5] or [rng.choice(list(T3_GROUP_ENDS))]
    t2: list[Row] = []
    for row in rows.t2:
        t2.append(row)
        if label_of(row) in t2_extras:
            width = len(values_of(row))
            t2.append([Marked(T2_EXTRAS[label_of(row)]),
                       *(Marked(str(rng.choice((0, 1, 3, 12, 46)))) for _ in range(width))])
    t3: list[Row] = []
    for row in rows.t3:
        t3.append(row)
        key = label_of(row).removeprefix("t3.")
        if key in t3_extras:
            group = [r for r in rows.t3 if label_of(r).removeprefix("t3.").startswith(T3_GROUP_ENDS[key])]
            sums = _column_sums([values_of(r) for r in group])
            if sums is not None:
                t3.append([Marked("小计"), *map(Marked, sums)])
    return TableRows(t2, t3, rows.t4)


def _column_sums(rows: list[list[Marked]]) -> list[str] | None:
    try:
        return [str(sum(int(r[i].text or 0) for r in rows)) for i in range(len(T3_COLUMNS))]
    except (ValueError, IndexError):
        return None


# ---------------------------------------------------------------- labels with their numbers glued on


def glued_rows(cells: Cells, rng: random.Random) -> set[str]:
    """The table 三 rows (ids such as ``t3.new``) printed with their numbers run into the label."""
    rows = table_rows(cells, str(cells["meta.template"]), GLUED)
    return {label_of(r) for r in rows.t3 if values_of(r) and label_of(r) and rng.random() < 0.35}


def glued_report(cells: Cells, rng: random.Random) -> Marked:
    """The tab report with the ``glued_rows`` of table 三 printed as label + digits + a trailing tab."""
    glued = glued_rows(cells, rng)
    rows = table_rows(cells, str(cells["meta.template"]), GLUED)
    t3: list[Marked] = []
    for row in rows.t3:
        if label_of(row) not in glued:
            t3 += write_rows([row], GLUED)
            continue
        values = values_of(row)
        labels = [cell for cell in row if cell not in values]
        t3.append(join("\t", labels) + join("", values) + "\t")
    tables = TextTables(write_rows(rows.t2, GLUED), t3, None if rows.t4 is None else write_rows(rows.t4, GLUED))
    title, one = narrative(cells)
    return finish_text(report_lines(title, one, tables), GLUED)


def open_glued(cells: Cells, rng: random.Random) -> set[str]:
    """Every cell of a glued row: its digits may split more than one way."""
    glued = glued_rows(cells, rng)
    return {cid for cid in cells if cid.rsplit(".", 1)[0] in glued}


# ---------------------------------------------------------------- squeezed pipes


def squeezed_row(row: Row, rng: random.Random) -> Marked:
    """A pipe row (``a | b |``) whose runs of blank value cells print as 1 … n pipes with no spaces."""
    values = values_of(row)
    if not values:
        return join(" | ", row) + " |"
    labels = [cell for cell in row if not any(s.role == Role.VALUE for s in cell.spans)]
    out = join(" | ", labels) + " |" if labels else Marked()
    i = 0
    while i < len(values):
        if values[i].text:
            out = out + " " + values[i] + " |"
            i += 1
            continue
        n = next((j for j in range(i, len(values)) if values[j].text), len(values)) - i
        out = out + "|" * rng.randint(1, n)
        i += n
    return out


def squeezed_report(cells: Cells, rng: random.Random) -> Marked:
    """The plain report with every table row squeezed."""
    rows = table_rows(cells, str(cells["meta.template"]), SQUEEZED)
    tables = TextTables([squeezed_row(r, rng) for r in rows.t2], [squeezed_row(r, rng) for r in rows.t3],
                        None if rows.t4 is None else [squeezed_row(r, rng) for r in rows.t4])
    title, one = narrative(cells)
    return finish_text(report_lines(title, one, tables), SQUEEZED)


def open_squeezed(cells: Cells) -> set[str]:
    """The cells of rows with blank runs whose value the row and its own sums leave open."""
    rows = table_rows(cells, str(cells["meta.template"]), SQUEEZED)
    out: set[str] = set()
    for row in (*rows.t2, *rows.t3, *(rows.t4 or ())):
        values = values_of(row)
        if not values:
            continue
        ids = [next(s.id for s in v.spans if s.role == Role.VALUE) for v in values]
        out |= open_placements(ids, [v.text for v in values], row_sums(ids[0].split(".")[0], len(ids)))
    return out


def open_placements(ids: Sequence[str], texts: Sequence[str], sums: Sequence[tuple[int, int]]) -> set[str]:
    """The cells two placements of the row's printed values disagree on, among those its sums allow.

    The reader sees the values in order and where blank runs lie, each at least one cell long, not their
    lengths; a placement gives each run a length so that the row is ``len(ids)`` cells wide.
    """
    groups: list[list[float]] = [[]]
    for text in texts:
        if text:
            groups[-1].append(float(text))
        elif groups[-1] or len(groups) == 1:
            groups.append([])
    gaps = len(groups) - 1
    blanks = sum(1 for t in texts if not t)
    if gaps == 0:
        return set()
    seen: set[tuple[float, ...]] = set()
    for lengths in _compositions(blanks, gaps):
        columns: list[float] = [*groups[0]]
        for length, group in zip(lengths, groups[1:], strict=True):
            columns += [0.0] * length + group
        if all(abs(sum(columns[first:last]) - columns[last]) < 1e-6 for first, last in sums):
            seen.add(tuple(columns))
    return {cell for i, cell in enumerate(ids) if len({c[i] for c in seen}) > 1}


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to write ``total`` as ``parts`` positive lengths, in order."""
    for cuts in itertools.combinations(range(1, total), parts - 1):
        edges = (0, *cuts, total)
        yield tuple(b - a for a, b in itertools.pairwise(edges))
