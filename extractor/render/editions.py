"""Mixed editions: 2021 reports that keep parts of the 2019 template, and what a reader can know from them.

- ``t2_under_2019_headers``: section 二's 第二十条第（一）项 printed under the
  2019 columns (本年新制作数量 / 本年新公开数量 / 对外公开总数量), its other
  items (（五）（六）（八）) under the 2021 ones, no 第（九）项. The numbers under
  the 2019 columns do not mean 本年制发件数 / 本年废止件数 / 现行有效件数, so
  those 2021 cells are null (``expected_t2_headers``). Its edition stays
  2021 even where table 三 is cut off before the （六） rows, leaving more
  2019 marker words (three) than 2021 ones (two): three of its four items
  follow the 2021 template and it has no 第（九）项.
- ``on_2019_template``: a report for 2021 or later printed on the 2019
  template throughout. The edition is the template a document follows, so
  its golden is a 2019-edition golden whose year is 2021 or later.
- ``merged_other_lines``: a 2021 report printing （六）其他处理 as one row (the
  three sub-rows' sums). Its golden keeps the 2021 cells: 0 where that row is
  all zeros (counts cannot be negative), null otherwise (``expected_merged_other``).
"""

from __future__ import annotations

import random

from ..template import APPLICANTS, OTHER_SPLIT, T3_COLUMNS, cells_for
from .labels import T2_BLOCKS, T2Block
from .synth import section_two
from .tables import Cells, T3Line

MIXED_T2_ROWS = ("rules", "normative")
"""The section 二 rows a ``t2_under_2019_headers`` report prints under the 2019 columns."""


def t2_under_2019_headers() -> tuple[T2Block, ...]:
    """The 2021 items, 第（一）项 under the 2019 headers and with its 2019 labels (规范性文件)."""
    heading, headers_2019, items_2019 = T2_BLOCKS["2019"][0]
    items_2021 = T2_BLOCKS["2021"][0][2]
    first = tuple((key, label, cols) for (key, _, cols), (_, label, _) in zip(items_2021, items_2019, strict=True))
    return ((heading, headers_2019, first), *T2_BLOCKS["2021"][1:])


def expected_t2_headers(cells: Cells) -> dict[str, object]:
    mixed = tuple(f"t2.{row}." for row in MIXED_T2_ROWS)
    return {cell: None if cell.startswith(mixed) else value for cell, value in cells.items()}


def on_2019_template(cells: Cells, rng: random.Random) -> dict[str, object]:
    """The golden of a report for 2021 or later printed on the 2019 template, made from any golden.

    A 2019 golden keeps its numbers and moves to a year from 2021; a 2021 golden keeps sections 三 and 四
    (its three （六） rows summed into the one, null if any is), and gets a 2019 section 二 drawn as
    ``synth`` draws one.
    """
    year = int(str(cells["meta.year"]))
    out: dict[str, object] = {c: cells.get(c) for c in cells_for("2019")}
    out["meta.template"] = "2019"
    out["meta.year"] = year if year >= 2021 else rng.randint(2021, 2023)
    if cells["meta.template"] == "2019":
        return out
    for col in T3_COLUMNS:
        parts = [cells.get(f"t3.{key}.{col}") for key in OTHER_SPLIT]
        out[f"t3.other.{col}"] = None if any(p is None for p in parts) else sum(int(str(p)) for p in parts)
    out.update(section_two(rng, "2019"))
    return out


def merged_other_lines(lines: list[T3Line], cells: Cells) -> list[T3Line]:
    """Table 三's rows with the three （六） rows printed as one （六）其他处理 row of their sums."""
    out: list[T3Line] = []
    for line in lines:
        if line.key not in OTHER_SPLIT:
            out.append(line)
        elif line.key == OTHER_SPLIT[0]:
            sums = []
            for col in T3_COLUMNS:
                parts = [cells.get(f"t3.{key}.{col}") for key in OTHER_SPLIT]
                sums.append("" if any(p is None for p in parts) else str(sum(int(str(p)) for p in parts)))
            out.append(T3Line("other", "", "（六）其他处理", tuple(sums)))
    return out


def expected_merged_other(cells: Cells) -> dict[str, object]:
    """The golden as a merged （六） row conveys it: its sub-rows 0 where the row is all zeros, else null."""
    out = dict(cells)
    parts = [cells.get(f"t3.{key}.{col}") for key in OTHER_SPLIT for col in (*APPLICANTS, "total")]
    zero = all(p == 0 for p in parts)
    for key in OTHER_SPLIT:
        for col in T3_COLUMNS:
            out[f"t3.{key}.{col}"] = 0 if zero else None
    return out
