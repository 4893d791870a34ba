"""The year-over-year view: one agency's records → a table of chosen cells over the years, with changes
and flags, as rows for a CSV and series for a chart.

Section 二's 现行有效件数 is shown with what last year's figure plus this year's 制发 − 废止 would give:
in real series the two often differ (counting rules change), so it is information, never a flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..batch.writers import csv_value
from ..records import Record, Value
from .agency import agency_of, normalise_agency, year_of

DEFAULT_CELLS = ("t3.new.total", "t3.carried_over.total", "t3.total.total", "t3.carried_forward.total",
                 "t3.granted.total", "t4.review.total", "t4.litigation_direct.total",
                 "t2.normative.issued", "t2.normative.in_force")
MAIN_SERIES = ("t3.new.total", "t3.total.total", "t3.carried_forward.total")
"""What the chart draws: requests received, handled, carried into the next year."""
CSV_COLUMNS = ("agency", "year", "document", "cell", "value", "change", "flags")


@dataclass(frozen=True)
class Point:
    value: Value
    change: int | float | None
    """Against the year before in the series (None for the first year or a null)."""
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    agency: str
    years: tuple[int, ...]
    documents: tuple[str, ...]
    cells: tuple[str, ...]
    points: dict[str, tuple[Point, ...]]
    """Cell → one point per year."""
    notes: tuple[str, ...]
    """Information that is not a flag (the 现行有效 chain, years missing, two reports of one year)."""

    def csv_rows(self) -> Iterable[tuple[str, ...]]:
        for i, (year, doc) in enumerate(zip(self.years, self.documents, strict=True)):
            for cell in self.cells:
                p = self.points[cell][i]
                yield (self.agency, str(year), doc, cell, csv_value(p.value), csv_value(p.change),
                       ";".join(p.flags))


def agencies(records: Iterable[Record], groups: Mapping[str, str] | None = None) -> dict[str, int]:
    """Every agency of a batch with how many of its reports have a year."""
    out: dict[str, int] = {}
    for r in records:
        agency = agency_of(r, groups)
        if agency is not None and year_of(r) is not None and r.status != "failed":
            out[agency] = out.get(agency, 0) + 1
    return out


def compare(records: Sequence[Record], agency: str, cells: Sequence[str] = DEFAULT_CELLS,
            groups: Mapping[str, str] | None = None) -> Comparison | None:
    """The agency's series (None when the batch has no report of it); one report a year, the first one
    in the file where a year has several (noted)."""
    key = normalise_agency(agency)
    target = (groups or {}).get(key, key)
    by_year: dict[int, list[Record]] = {}
    for r in records:
        year = year_of(r)
        if r.status != "failed" and year is not None and agency_of(r, groups) == target:
            by_year.setdefault(year, []).append(r)
    if not by_year:
        return None
    years = tuple(sorted(by_year))
    chosen = [by_year[y][0] for y in years]
    notes = [f"{y}: {len(rs)} reports, showing {rs[0].document}" for y, rs in sorted(by_year.items())
             if len(rs) > 1]
    notes += [f"no report for {y}" for y in range(years[0], years[-1] + 1) if y not in by_year]
    points = {cell: _points([r.cells.get(cell) for r in chosen], years) for cell in cells}
    notes += in_force_chain(chosen, years)
    return Comparison(target, years, tuple(r.document for r in chosen), tuple(cells), points, tuple(notes))


def _points(found: Sequence[object], years: Sequence[int]) -> tuple[Point, ...]:
    out: list[Point] = []
    for i, cell in enumerate(found):
        value = getattr(cell, "value", None)
        flags = tuple(getattr(cell, "flags", ()))
        before = out[-1].value if out and years[i] - years[i - 1] == 1 else None
        change = value - before if _number(value) and _number(before) else None  # type: ignore[operator]
        out.append(Point(value, round(change, 4) if isinstance(change, float) else change, flags))
    return tuple(out)


def in_force_chain(chosen: Sequence[Record], years: Sequence[int]) -> list[str]:
    """"2023 规范性文件 现行有效 12; last year's 10 + 制发 3 − 废止 0 = 13" for each consecutive pair."""
    lines = []
    for kind, name in (("rules", "规章"), ("normative", "规范性文件")):
        for last, this, y0, y1 in zip(chosen, chosen[1:], years, years[1:], strict=False):
            values = [r.cells[c].value if c in r.cells else None for r, c in (
                (last, f"t2.{kind}.in_force"), (this, f"t2.{kind}.issued"), (this, f"t2.{kind}.repealed"),
                (this, f"t2.{kind}.in_force"))]
            if y1 - y0 != 1 or not all(_number(v) for v in values):
                continue
            before, issued, repealed, now = values
            chained = before + issued - repealed  # type: ignore[operator]
            verdict = "chains" if chained == now else "does not chain (information, not a flag)"
            lines.append(f"{y1} {name} 现行有效 {now}; {y0}'s {before} + 制发 {issued} − 废止 {repealed} = "
                         f"{chained}: {verdict}")
    return lines


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
