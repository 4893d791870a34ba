"""Cut-off pages: the end of the text is never a blank cell (shared/schema/README.md)."""

from __future__ import annotations

import pytest
from conftest import SEEDS, load_golden

from extractor.pipeline import extract_bytes
from extractor.records import Flag, Record
from extractor.render import LAYOUTS, render
from extractor.render.cut import cuttable
from extractor.template import T3_COLUMNS

GOLDEN = load_golden(SEEDS[0])  # 杭州市教育局 2022: 予以公开 5, 三安全一稳定 0, …


def _cut(layout: str, after: str, extra: int) -> Record:
    if layout in LAYOUTS:
        full = render(GOLDEN, LAYOUTS[layout]).decode("utf-8")
    else:  # the web and odd layouts a page can be cut in
        full = cuttable(GOLDEN, layout).doc.text
    at = full.index(after) + len(after) + extra
    return extract_bytes(full[:at].encode("utf-8"), f"cut-{layout}.txt")


def _row(record: Record, key: str) -> list[object]:
    return [record.cells[f"t3.{key}.{c}"].value for c in T3_COLUMNS]


def test_a_row_cut_after_two_of_its_values_keeps_them_and_leaves_the_rest_null() -> None:
    record = _cut("tab", "3.危及“三安全一稳定”", len("\t0\t0\t"))
    assert _row(record, "denied_safety_stability") == [0, 0, None, None, None, None, None]
    cells = [record.cells[f"t3.denied_safety_stability.{c}"] for c in T3_COLUMNS]
    # a tab table that prints every column: the values before a tab are whole, the rest unread
    assert [Flag.TRUNCATED in c.flags for c in cells] == [False] * 2 + [True] * 5
    assert all(v is None for v in _row(record, "denied_third_party"))  # the rows after the end
    assert Flag.TRUNCATED in record.cells["t3.total.total"].flags
    assert record.cells["t4.review.total"].value is None  # the table after the end
    assert Flag.TRUNCATED in record.cells["t4.review.total"].flags
    assert any("the text ends in table 三" in n for n in record.notes)


def test_one_cell_per_line_cut_after_one_value_and_its_blank_line() -> None:
    record = _cut("lines", "3.危及“三安全一稳定”", len("\n\n0\n\n"))
    assert _row(record, "denied_safety_stability") == [0, None, None, None, None, None, None]


@pytest.mark.parametrize("layout", ["tab", "lines", "pipe_dropped"])
@pytest.mark.parametrize(("after", "extra"), [("（二）部分公开（区", 0), ("6.属于四类过程性信", 0),
                                              ("二、上年结转政府信息公开", 0)])
def test_a_label_at_the_end_of_the_text_is_not_a_row_of_blanks(layout: str, after: str, extra: int) -> None:
    record = _cut(layout, after, extra)
    key = {"（二）部分公开（区": "partial", "6.属于四类过程性信": "denied_process_info",
           "二、上年结转政府信息公开": "carried_over"}[after]
    assert _row(record, key) == [None] * 7
    assert all(Flag.TRUNCATED in record.cells[f"t3.{key}.{c}"].flags for c in T3_COLUMNS)


def test_a_number_at_the_very_end_is_read_but_flagged_it_may_be_cut_short() -> None:
    record = _cut("tab", "一、本年新收政府信息公开申请数量\t", 1)  # "1" of 18
    cell = record.cells["t3.new.natural_person"]
    assert cell.value == 1 and Flag.TRUNCATED in cell.flags


def test_a_blank_row_followed_by_more_table_is_still_zeros() -> None:
    record = _cut("pipe_dropped", "3.危及“三安全一稳定” |", len("\n4."))
    assert _row(record, "denied_safety_stability") == [0] * 7
    assert not any(record.cells[f"t3.denied_safety_stability.{c}"].flags for c in T3_COLUMNS)
    assert _row(record, "denied_third_party") == [None] * 7


def test_a_whole_row_before_the_end_is_whole() -> None:
    record = _cut("tab", "（一）予以公开", len("\t5\t0\t0\t0\t0\t0\t5\n（二）部分"))
    assert _row(record, "granted") == [5, 0, 0, 0, 0, 0, 5]
    assert not any(record.cells[f"t3.granted.{c}"].flags for c in T3_COLUMNS)


def test_what_a_cut_page_surely_leaves_unread_is_flagged_but_not_queued() -> None:
    from extractor.review_items import queued_cells, review_items

    tab = _cut("tab", "3.危及“三安全一稳定”", len("\t0\t0\t"))  # every column printed: nothing to decide
    queued = queued_cells(tab, 0.8)
    unread = [c for c, x in tab.cells.items() if Flag.TRUNCATED in x.flags]
    assert len(unread) > 100 and not set(unread) & set(queued)
    assert all(tab.cells[c].value is None and tab.cells[c].confidence == 0.99 for c in unread)
    # one cell per line, every blank printed: the same
    lines = _cut("lines", "3.危及“三安全一稳定”", len("\n\n0\n\n"))
    assert not [i for i in review_items(lines, queued_cells(lines, 0.8)) if i.kind == "truncated"]
    # blanks dropped: the numbers read may belong to any column; one item for all the row leaves unread
    dropped = _cut("lines_dropped", "4.保护第三方合法权益", len("\n\n1"))
    [item] = [i for i in review_items(dropped, queued_cells(dropped, 0.8)) if i.kind == "truncated"]
    assert "t3.denied_third_party.total" in item.cells


@pytest.mark.parametrize("layout", ["tab", "lines", "pipe_dropped", "lines_dropped", "lines_blank"])
@pytest.mark.parametrize(("after", "extra"), [("6.属于四类过程性信", 0), ("6.属于四类过程性信息", 0),
                                              ("6.属于四类过程性信息", 1)])  # and the separator after it
def test_a_text_that_ends_in_a_label_surely_leaves_its_row_unread(layout: str, after: str, extra: int) -> None:
    from extractor.review_items import queued_cells

    record = _cut(layout, after, extra)
    key = "denied_process_info"
    row = [record.cells[f"t3.{key}.{c}"] for c in T3_COLUMNS]
    assert [c.value for c in row] == [None] * 7 and all(Flag.TRUNCATED in c.flags for c in row)
    assert all(c.confidence == 0.99 for c in row) and not set(queued_cells(record, 0.8)) & {
        f"t3.{key}.{c}" for c in T3_COLUMNS}


def test_blank_lines_after_a_label_at_the_end_may_be_blank_cells() -> None:
    from extractor.review_items import queued_cells

    record = _cut("lines_blank", "5.属于三类内部事务信息", len("\n\n\n"))  # two blank cells printed, or none
    row = [f"t3.denied_internal_affairs.{c}" for c in T3_COLUMNS]
    assert set(row) <= set(queued_cells(record, 0.8))


def test_a_zero_at_the_very_end_of_a_count_is_whole() -> None:
    record = _cut("tab", "3.危及“三安全一稳定”", len("\t0"))
    cell = record.cells["t3.denied_safety_stability.natural_person"]
    assert cell.value == 0 and Flag.TRUNCATED not in cell.flags


def test_a_null_is_as_sure_as_the_reason_it_is_null() -> None:
    from extractor.parse.confidence import NULL_CONFIDENCE, UNREADABLE, null_confidence
    from extractor.parse.draft import Draft, Unread
    from extractor.records import Alignment

    assert [null_confidence(Draft(None, alignment=Alignment.ABSENT, unread=u)) for u in Unread] == [
        NULL_CONFIDENCE[u] for u in Unread]
    assert NULL_CONFIDENCE[Unread.PAST_END] > NULL_CONFIDENCE[Unread.ABSENT] > NULL_CONFIDENCE[Unread.CUT_ROW]
    damaged = Draft(None)
    damaged.flags.add(Flag.DAMAGED_TEXT)
    assert null_confidence(damaged) == UNREADABLE and null_confidence(Draft(None)) == 0.0
