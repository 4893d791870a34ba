"""A flattened row's digit run: which cells its arithmetic settles, and which it leaves open."""

from __future__ import annotations

from conftest import load_golden

from extractor.render.runs import Run, open_cells, table_runs
from extractor.render.tables import AS_IS, t3_lines, t3_table
from extractor.template import T3_COLUMNS, T4_COLUMNS

T3 = tuple(f"t3.granted.{c}" for c in T3_COLUMNS)
T4 = tuple(f"t4.{g}.{c}" for g in ("review", "litigation_direct", "litigation_after_review") for c in T4_COLUMNS)
T4_SUMS = ((0, 4), (5, 9), (10, 14))


def t3_run(*values: int) -> Run:
    return Run(T3, tuple(map(str, values)), ((0, 6),))


def test_a_row_whose_total_settles_the_split_has_no_open_cell() -> None:
    assert open_cells(t3_run(12, 3, 0, 0, 0, 1, 16)) == set()  # 123000116: 1,23,… or 1,2,3,… miss 16
    assert open_cells(t3_run(64, 0, 0, 2, 0, 4, 70)) == set()


def test_a_row_with_two_splits_that_add_up_leaves_exactly_the_differing_cells_open() -> None:
    # 111000012: 1,11,0,0,0,0 and 11,1,0,0,0,0 and 1,1,10,0,0,0 all make 12
    assert open_cells(t3_run(1, 11, 0, 0, 0, 0, 12)) == {T3[0], T3[1], T3[2]}


def test_section_four_groups_are_settled_by_their_own_totals() -> None:
    settled = Run(T4, tuple("1 0 2 0 3 12 0 0 0 12 0 0 0 0 0".split()), T4_SUMS)
    assert open_cells(settled) == set()
    split_two_ways = Run(T4, tuple("1 10 0 0 11 0 0 0 0 0 0 0 0 0 0".split()), T4_SUMS)  # or 11,0,0,0,11
    assert open_cells(split_two_ways) == {T4[0], T4[1]}


def test_section_two_rows_have_no_arithmetic_so_any_multi_digit_run_is_open() -> None:
    cells = ("t2.normative.issued", "t2.normative.repealed", "t2.normative.in_force")
    assert open_cells(Run(cells, ("5", "7", "19"), ())) == set(cells)
    assert open_cells(Run(cells, ("0", "0", "0"), ())) == set()
    amounts = ("t2.procurement.items", "t2.procurement.amount")
    assert open_cells(Run(amounts, ("32", "199.927"), ())) == set(amounts)  # 3 | 2199.927, 321 | 99.927 …
    assert open_cells(Run(amounts, ("0", "3.65"), ())) == set()


def test_a_blank_cell_opens_its_whole_row() -> None:
    assert open_cells(Run(T3, ("1", "", "0", "0", "0", "0", "1"), ((0, 6),))) == set(T3)


def test_table_three_gives_one_run_per_printed_row_each_with_its_total() -> None:
    golden = load_golden("004_fb0219a4b427aef6.txt")  # cut off after （三）1.属于国家秘密
    runs = table_runs(t3_table(t3_lines(golden, "2021", AS_IS)))
    assert [r.cells[0] for r in runs] == [f"t3.{k}.natural_person" for k in
                                          ("new", "carried_over", "granted", "partial", "denied_state_secret")]
    assert all(r.sums == ((0, 6),) and len(r.cells) == 7 for r in runs)
    assert runs[0].text == "4000004"
