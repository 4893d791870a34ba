"""Flattened tables → ``Grid``: a crawler's text, where each row is its label followed by its numbers.

"一、本年新收政府信息公开申请数量640020470二、上年结转…" becomes the rows
("一、本年新收政府信息公开申请数量", "640020470"), ("二、上年结转…", …).
A row ends where its run of digits ends; the run stays one cell, split into
numbers later by the table's arithmetic (``parse.runs``). The item number of
the next row ("…0000000 2.其他法律…", or "…00000002.其他…") is told from
the run by the point and the label after it. Text between two runs may hold
several row labels (a row whose cells were all blank, a group heading such as
（三）不予公开): it is cut at each row's numbering (table 三) or row name
(table 二), and every part but the last is a row without values.
"""

from __future__ import annotations

import re

from ...document import Grid, GridCell, Row
from ...template import T2_ROWS, T3_ROWS

_RUN = re.compile(r"(?:[-+]|增|减)?\d(?:[ \t]*(?:[-+\d.]|增|减))*")
_ITEM = re.compile(r"[ \t]*[.．、][ \t]*[\u4e00-\u9fff]")
"""What follows an item number: "2.其他法律…", "2、其他…"."""
_MARKERS = {
    2: re.compile(r"第二十条|规章|行政规范性文件|(?<!行政)规范性文件|行政许可|其他对外管理服务|行政处罚|行政强制|"
                  r"行政事业性收费|政府集中采购|(?<!政府)集中采购"),
    3: re.compile(r"[一二三四]、|\([一二三四五六七]\)|(?<![\d.])\d[.、]"),
}
"""Where a row's label starts, per table: its name (二) or its numbering (三); 四 is one row."""
_ANCHORS = re.compile(r"^\^|\$$")
_ROW_LABELS = re.compile("|".join("(?:" + _ANCHORS.sub("", p) + ")"
                                  for spec in (*T3_ROWS, *T2_ROWS["2019"], *T2_ROWS["2021"]) for p in spec.patterns))
"""Any row label of tables 二 and 三: the template's patterns, unanchored."""
FLAT_MIN_ROWS = 3
"""Label-then-run transitions on one line that make a section's table flattened."""
T4_DIGITS = 15
"""Table 四 has 15 numbers: a run of at least as many digits after its header words is the whole table."""
_T4_HEADER = re.compile(r"维持|纠正|尚未审结")
_DIGIT = re.compile(r"\d")


def is_flat(text: str, start: int, end: int, section: int) -> bool:
    """Whether some line of the section holds several rows (a label, its digits, the next label…),
    or, for table 四, its header words followed by all its numbers in one run."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        line = text[pos:stop]
        # several rows take a label and a number each, at least two characters and a digit a row
        if len(line) >= FLAT_MIN_ROWS * 3 and "\t" not in line and "|" not in line and _DIGIT.search(line):
            rows = sum(1 for m in _RUN.finditer(line)
                       if _ROW_LABELS.search(line, max(0, m.start() - 40), m.start()))
            if rows >= FLAT_MIN_ROWS:
                return True
            if section == 4 and any(sum(ch.isdigit() for ch in m.group()) >= T4_DIGITS
                                    and _T4_HEADER.search(line, 0, m.start()) for m in _RUN.finditer(line)):
                return True
        pos = stop + 1
    return False


def flat_to_grid(text: str, start: int, end: int, section: int) -> Grid:
    markers = _MARKERS.get(section)
    rows: list[Row] = []
    label_start = start
    for m in _RUN.finditer(text, start, end):
        run_start, run_end = m.start(), _strip_end(text, m.start(), m.end())
        if run_end < len(text) and _ITEM.match(text, run_end) and text[run_end - 1].isdigit():
            item = run_end - 1  # the next row's item number: the last digit before the point
            value_end = _strip_end(text, run_start, item)
            if value_end > run_start:
                rows += _rows(text, label_start, run_start, GridCell(text[run_start:value_end], run_start,
                                                                     value_end), markers)
                label_start = item
            continue  # the run was only an item number: it is part of the next label
        rows += _rows(text, label_start, run_start, GridCell(text[run_start:run_end], run_start, run_end), markers)
        label_start = run_end
    tail = text[label_start:end]
    if tail.strip():
        rows += _rows(text, label_start, end, None, markers)
    return Grid(layout="flat", rows=tuple(rows))


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and not text[end - 1].isdigit():
        end -= 1
    return end


def _rows(text: str, start: int, end: int, run: GridCell | None,
          markers: re.Pattern[str] | None) -> list[Row]:
    """The label text before a run, cut into rows; the run belongs to the last."""
    cuts = [m.start() for m in markers.finditer(text, start, end) if m.start() > start] if markers else []
    bounds = [start, *cuts, end]
    out: list[Row] = []
    for i in range(len(bounds) - 1):
        label = _cell(text, bounds[i], bounds[i + 1])
        if label is None:
            continue
        last = i == len(bounds) - 2
        out.append(Row((label,), (run,) if last and run is not None else ()))
    if run is not None and (not out or not out[-1].values):
        out.append(Row((), (run,)))
    return out


def _cell(text: str, start: int, end: int) -> GridCell | None:
    raw = text[start:end]
    content = raw.strip()
    if not content:
        return None
    lead = len(raw) - len(raw.lstrip())
    return GridCell(content, start + lead, start + lead + len(content))
