"""Cells placed by labels and the table's arithmetic, not by counting numbers."""

from __future__ import annotations

from extractor.document import Document, Grid, GridCell, Row
from extractor.parse.cells import t3_cells, t4_cells
from extractor.parse.normalise import normalise
from extractor.records import Alignment, Flag
from extractor.render.labels import T3_LABELS_2021


def _row(label: str, *values: str) -> Row:
    """A row as the grid stage hands it over: labels already normalised (（七） → (七))."""
    label = normalise(Document("x", "", "text", label, "utf-8")).text
    return Row((GridCell(label, 0, len(label)),), tuple(GridCell(v, 0, len(v)) for v in values))


def _table(overrides: dict[str, tuple[str, ...]]) -> Grid:
    rows = []
    for key, _, label in T3_LABELS_2021:
        rows.append(_row(label, *overrides.get(key, ("0",) * 7)))
    return Grid("lines", tuple(rows))


def test_dropped_cells_are_placed_where_the_column_identities_hold() -> None:
    # 17 applications, all from natural persons, empty cells dropped in the 新收 row:
    # only column 自然人 makes 一 + 二 = （七）总计 + 四 hold.
    grid = _table({"new": ("17", "0", "0", "0", "17"), "granted": ("15", "0", "0", "0", "0", "0", "15"),
                   "denied_third_party": ("1", "0", "0", "0"),
                   "unavailable_not_held": ("1", "0", "0", "0", "0", "0", "1"),
                   "total": ("17", "0", "0", "0", "0", "0", "17")})
    cells = t3_cells(grid, "2021").cells
    assert cells["t3.new.natural_person"].value == 17
    assert cells["t3.new.natural_person"].alignment is Alignment.SOLVED
    assert not cells["t3.new.natural_person"].flags
    third = cells["t3.denied_third_party.total"]
    assert third.value == 1 and Flag.DERIVED_TOTAL in third.flags


def test_several_fitting_placements_are_flagged_ambiguous() -> None:
    grid = _table({"new": ("1", "1"), "partial": ("1", "1"), "total": ("1", "1")})
    cells = t3_cells(grid, "2021").cells
    assert cells["t3.new.total"].value == 1 and not cells["t3.new.total"].flags
    for col in ("natural_person", "commercial", "other_org"):
        assert Flag.AMBIGUOUS_ALIGNMENT in cells[f"t3.new.{col}"].flags
        assert Flag.AMBIGUOUS_ALIGNMENT in cells[f"t3.partial.{col}"].flags


def test_rows_missing_from_a_truncated_table_are_null_and_flagged() -> None:
    rows = [_row(label, *("0",) * 7) for _, _, label in T3_LABELS_2021[:5]]
    cells = t3_cells(Grid("tab", tuple(rows)), "2021").cells
    assert cells["t3.denied_state_secret.total"].value == 0
    missing = cells["t3.carried_forward.total"]
    assert missing.value is None and Flag.MISSING_IN_SOURCE in missing.flags


def test_a_single_other_row_in_a_2021_report_gives_derived_zero_sub_rows() -> None:
    rows = [_row(label, *("0",) * 7) for key, _, label in T3_LABELS_2021
            if not key.startswith("other_")]
    rows.insert(20, _row("(六)其他处理", *("0",) * 7))
    cells = t3_cells(Grid("lines", tuple(rows)), "2021").cells
    sub = cells["t3.other_no_fee.natural_person"]
    assert sub.value == 0 and Flag.DERIVED_FROM_MERGED_ROW in sub.flags


def test_section_four_values_follow_the_template_order() -> None:
    values = ["2", "1", "0", "0", "3"] + ["0"] * 10
    cells = t4_cells([_row("结果维持", *values)]).cells
    assert cells["t4.review.upheld"].value == 2
    assert cells["t4.review.total"].value == 3
    assert cells["t4.litigation_after_review.total"].value == 0


def test_header_only_section_four_is_blank_zeros_flagged() -> None:
    cells = t4_cells([_row("结果维持", *[""] * 15)]).cells
    assert cells["t4.review.total"].value == 0
    assert Flag.BLANK_TABLE in cells["t4.review.total"].flags
