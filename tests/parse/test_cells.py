"""Rows matched to the template: labels run together with a merged neighbour's, rows cut in two, labels alone."""

from __future__ import annotations

from extractor.document import Document, Grid, Row, Section
from extractor.parse.cells import t2_cells, t3_cells
from extractor.parse.grids import section_to_grid
from extractor.parse.normalise import normalise
from extractor.records import Flag

T3_HEAD = "\t".join(["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])


def grid(body: str, section: int = 3) -> Grid:
    text = normalise(Document(name="x", sha256="", format="text", raw=body, encoding="utf-8"))
    return section_to_grid(text, Section(section, 0, len(text.text), "三"))


def row(label: str, *values: int | str) -> str:
    return "\t".join([label, *map(str, values)])


def test_a_label_run_together_with_its_group_or_block_title_is_matched() -> None:
    body = "\n".join([T3_HEAD, row("（三）不予公开", *[""] * 7),
                      row("（六）其他处理3.其他", 1, 0, 0, 0, 0, 0, 1),
                      row("三、本年度办理结果（三）不予公开2.其他法律行政法规禁止公开", 2, 0, 0, 0, 0, 0, 2)])
    cells = t3_cells(grid(body), "2021").cells
    assert cells["t3.other_other.total"].value == 1
    assert cells["t3.denied_law_forbidden.natural_person"].value == 2
    two = t2_cells(grid("信息内容\t本年制发件数\n" + row("第二十条第（一）项规章", 3, 0, 9), 2), "2021").cells
    assert [two[f"t2.rules.{c}"].value for c in ("issued", "repealed", "in_force")] == [3, 0, 9]


def test_a_row_cut_in_two_by_a_page_break_is_joined_when_the_halves_name_a_row() -> None:
    body = "\n".join([T3_HEAD, row("7.属于行政执法案", 4, 0, 0, 0, 0, 0, 4), row("卷", *[""] * 7),
                      row("8.属于行政查询事项", 1, 0, 0, 0, 0, 0, 1),
                      row("1.本机关不掌握", *[""] * 7), row("相关政府信息", 11, 0, 0, 0, 0, 0, 11)])
    cells = t3_cells(grid(body), "2021").cells
    assert cells["t3.denied_enforcement_file.total"].value == 4
    assert cells["t3.denied_enforcement_file.total"].flags == set()
    assert cells["t3.denied_query_matter.total"].value == 1
    assert cells["t3.unavailable_not_held.total"].value == 11, "one half names the row, the other holds its values"


def test_a_row_of_blanks_is_not_joined_to_the_row_above() -> None:
    body = "\n".join([T3_HEAD, row("备注", 4, 0, 0, 0, 0, 0, 4), row("3.补正后申请内容仍不明确", *[""] * 7)])
    cells = t3_cells(grid(body), "2021").cells
    assert cells["t3.unavailable_unclear.total"].value == 0, "a row of blanks, read as blanks"
    assert cells["t3.unavailable_unclear.total"].flags == set()


def test_a_label_alone_on_its_line_is_flagged_never_silently_zero() -> None:
    body = "\n".join([T3_HEAD, row("1.本机关不掌握相关政府信息", 11, 0, 0, 0, 0, 0, 11), "2.没有现成信息需要另行制作",
                      row("3.补正后申请内容仍不明确", *[""] * 7)])
    cells = t3_cells(grid(body), "2021").cells
    alone = cells["t3.unavailable_needs_creation.natural_person"]
    assert alone.value == 0 and Flag.AMBIGUOUS_ALIGNMENT in alone.flags
    assert "another line" in (alone.note or "")
    assert cells["t3.unavailable_unclear.natural_person"].flags == set(), "blank cells are blanks"
    two = t2_cells(grid("\n".join(["信息内容\t本年制发件数", row("规章", 1, 0, 2), "行政规范性文件"]), 2), "2021")
    assert Flag.AMBIGUOUS_ALIGNMENT in two.cells["t2.normative.issued"].flags
    assert two.cells["t2.rules.issued"].flags == set()


def test_a_header_row_above_a_row_of_blanks_is_not_its_other_half() -> None:
    body = "\n".join(["第二十条第（六）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量", "行政处罚\t\t\t",
                      row("行政强制", 1, 0, 2)])
    cells = t2_cells(grid(body, 2), "2019").cells
    assert [cells[f"t2.punishment.{c}"].value for c in ("prev_items", "change", "decisions")] == [0, 0, 0]
    assert all(cells[f"t2.punishment.{c}"].flags == set() for c in ("prev_items", "change", "decisions"))


def test_numbers_run_into_their_label_are_split_by_the_arithmetic_not_read_as_blanks() -> None:
    body = "\n".join([T3_HEAD, "一、本年新收政府信息公开申请数量4000004\t",
                      row("二、上年结转政府信息公开申请数量", 1, 0, 0, 0, 0, 0, 1)])
    cells = t3_cells(grid(body), "2021").cells
    assert [cells[f"t3.new.{c}"].value for c in ("natural_person", "commercial", "total")] == [4, 0, 4]
    assert cells["t3.carried_over.total"].value == 1
    unsplittable = t3_cells(grid("\n".join([T3_HEAD, "一、本年新收政府信息公开申请数量40000\t"])), "2021").cells
    assert all(unsplittable[f"t3.new.{c}"].value is None and unsplittable[f"t3.new.{c}"].flags
               for c in ("natural_person", "total")), "no split adds up: unknown and flagged, never zeros"


def test_a_number_longer_than_any_report_gives_is_null_and_flagged() -> None:
    body = "\n".join([T3_HEAD, row("一、本年新收政府信息公开申请数量", 4, 0, 0, 0, 0, 0, "4" * 15)])
    total = t3_cells(grid(body), "2021").cells["t3.new.total"]
    assert total.value is None and Flag.DAMAGED_TEXT in total.flags


def test_a_damaged_number_among_values_is_null_and_flagged_and_the_numbers_beside_it_are_kept() -> None:
    from extractor.parse.cells import t4_cells
    from extractor.parse.grids.delimited import delimited_to_grid

    def tab_rows(line: str) -> tuple[Row, ...]:
        return delimited_to_grid(line, 0, len(line), "\t").rows

    t4 = t4_cells(tab_rows("3\t0口\t0\t0\t3\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0")).cells
    assert t4["t4.review.upheld"].value == 3 and t4["t4.review.total"].value == 3, "not taken for labels"
    damaged = t4["t4.review.corrected"]
    assert damaged.value is None and Flag.DAMAGED_TEXT in damaged.flags
    first = t4_cells(tab_rows("3口\t0\t0\t0\t3\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0")).cells
    assert first["t4.review.upheld"].value is None and Flag.DAMAGED_TEXT in first["t4.review.upheld"].flags
