"""One agency's reports over several years, and a narrative that states their numbers.

``agency_series`` makes goldens whose 上年结转 equals the year before's 结转下年度继续办理, column by column
(the identity that holds across real series), while section 二's 现行有效件数 does not chain (it breaks in
real series too, so a checker must not flag it). ``render_stated`` writes a report with sentences in
section 一 that repeat its key numbers, in digits or Chinese numerals, as reports do.
"""

from __future__ import annotations

import random

from ..template import APPLICANTS
from .layouts import LAYOUTS, Layout, render
from .synth import random_golden
from .tables import Cells

Golden = dict[str, object]

CHINESE_DIGITS = "零一二三四五六七八九"


def agency_series(rng: random.Random, agency: str, first_year: int, years: int, *,
                  large: bool = False) -> list[Golden]:
    """Goldens of ``agency`` for ``years`` consecutive years from ``first_year`` (2021 edition)."""
    series: list[Golden] = []
    for year in range(first_year, first_year + years):
        cells = random_golden(rng, "2021", large=large)
        cells["meta.agency"], cells["meta.year"] = agency, year
        if series:
            _chain(cells, series[-1])
            _break_in_force(cells, series[-1])
        series.append(cells)
    return series


def _chain(cells: Golden, last: Golden) -> None:
    """This year's 上年结转 := last year's 结转下年度, per column; 新收 takes up the difference."""
    for col in APPLICANTS:
        carried = _int(last[f"t3.carried_forward.{col}"])
        handled = _int(cells[f"t3.total.{col}"])
        forward = max(_int(cells[f"t3.carried_forward.{col}"]), carried - handled)
        cells[f"t3.carried_over.{col}"] = carried
        cells[f"t3.carried_forward.{col}"] = forward
        cells[f"t3.new.{col}"] = handled + forward - carried
    for row in ("new", "carried_over", "carried_forward"):
        cells[f"t3.{row}.total"] = sum(_int(cells[f"t3.{row}.{col}"]) for col in APPLICANTS)


def _break_in_force(cells: Golden, last: Golden) -> None:
    """现行有效 ≠ last year's + 制发 − 废止, as in the real series where it broke in 3 of 4 transitions."""
    for kind in ("rules", "normative"):
        chained = (_int(last[f"t2.{kind}.in_force"]) + _int(cells[f"t2.{kind}.issued"])
                   - _int(cells[f"t2.{kind}.repealed"]))
        if _int(cells[f"t2.{kind}.in_force"]) == chained:
            cells[f"t2.{kind}.in_force"] = chained + 1


def stating_sentences(cells: Cells, rng: random.Random) -> str:
    """Section 一's sentences stating 新收, 上年结转, 办结, 结转下年度, 行政复议 and 行政诉讼."""
    def n(cell: str) -> str:
        value = _int(cells[cell])
        return _chinese(value) if value < 100 and rng.random() < 0.3 else str(value)

    litigation = _int(cells["t4.litigation_direct.total"]) + _int(cells["t4.litigation_after_review.total"])
    review = _int(cells["t4.review.total"])
    return (f"本年度共收到政府信息公开申请{n('t3.new.total')}件，上年结转{n('t3.carried_over.total')}件，"
            f"办结{n('t3.total.total')}件，结转下年度继续办理{n('t3.carried_forward.total')}件。"
            + (f"收到行政复议申请{n('t4.review.total')}件，" if review else "未收到行政复议申请，")
            + (f"发生行政诉讼{litigation}件。" if litigation else "未发生行政诉讼案件。"))


def render_stated(cells: Cells, stated: Cells, rng: random.Random, layout: Layout = LAYOUTS["tab"]) -> bytes:
    """The report of ``cells`` in a text layout, section 一 stating the numbers of ``stated`` (the same
    cells, or the true ones where ``cells`` carries a corrupted table)."""
    text = render(cells, layout).decode(layout.encoding)
    heading = "\n\n二、"
    assert heading in text, "the layout has no section 二 heading to put the sentences before"
    return text.replace(heading, "\n" + stating_sentences(stated, rng) + heading, 1).encode(layout.encoding)


def _chinese(value: int) -> str:
    if value < 10:
        return CHINESE_DIGITS[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")


def _int(value: object) -> int:
    assert isinstance(value, int), f"expected a count, got {value!r}"
    return value
