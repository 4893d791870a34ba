from __future__ import annotations

import lxml.html

from extractor.document import Document, Section
from extractor.parse.grids import section_to_grid
from extractor.parse.normalise import normalise
from extractor.read.html import html_table_rows, html_to_text
from extractor.values import CellKind, classify, parse_value


def _grid(body: str):  # type: ignore[no-untyped-def]
    text = normalise(Document(name="x", sha256="", format="text", raw=body, encoding="utf-8"))
    return section_to_grid(text, Section(3, 0, len(text.text), "三"))


def test_values_with_units_signs_and_blank_markers() -> None:
    assert parse_value("7 万元", amount=True) == 7
    assert parse_value("36500元", amount=True) == 3.65
    assert parse_value("-35") == -35
    assert parse_value("1,234") == 1234
    assert parse_value("199.927", amount=True) == 199.927
    for blank in ("", " ", "/", "-", "无"):
        assert parse_value(blank) is None
        assert classify(blank) is CellKind.BLANK
    assert classify("结果维持") is CellKind.LABEL


def test_pipe_rows_drop_the_framing_pipes_but_keep_inner_empties() -> None:
    g = _grid("| 信息内容 | 本年处理决定数量 |\n| 行政许可 | 551 | | |\n")
    assert g.layout == "pipe"
    row = g.rows[-1]
    assert row.label == "行政许可"
    assert [c.text for c in row.values] == ["551", "", ""]


def test_tab_rows_keep_empty_cells_by_position() -> None:
    g = _grid("表头\t结果维持\n\t\t\t\t\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n第二行\t1\n")
    values = [c.text for c in g.rows[0].values]
    assert values[:5] == ["", "", "", "", ""] and len(values) == 15


def test_one_cell_per_line_groups_labels_then_values() -> None:
    g = _grid("三、本年度办理结果\n\n(一)予以公开\n\n5\n\n0\n\n\u00a0\n\n5\n\n(二)部分公开\n\n1\n")
    assert g.layout == "lines"
    first, second = g.rows
    assert first.label == "三、本年度办理结果(一)予以公开"
    assert [c.text for c in first.values] == ["5", "0", "", "5"]
    assert [c.text for c in second.values] == ["1"]


def test_a_row_broken_across_lines_is_joined() -> None:
    g = _grid("a\tb\n四、结转下年度继续办理\t\n\t1\t0\t0\t0\t0\t0\t1\n")
    assert g.rows[-1].label == "四、结转下年度继续办理"
    assert [c.text for c in g.rows[-1].values if c.text] == ["1", "0", "0", "0", "0", "0", "1"]


def test_a_row_that_prints_its_blank_cells_is_whole() -> None:
    # a page cut off after the next row's item number: "7" is not the blank row's value
    g = _grid("a\tb\n5.属于三类内部事务信息\t1\t\t\t\t\t\t1\n6.属于四类过程性信息\t\t\t\t\t\t\t\n7")
    assert g.rows[-2].label == "6.属于四类过程性信息"
    assert [c.text for c in g.rows[-2].values] == [""] * 7
    assert not g.rows[-1].labels and [c.text for c in g.rows[-1].values] == ["7"]


def test_html_spans_expand_into_a_true_grid() -> None:
    table = lxml.html.fragment_fromstring(
        "<table><tr><td rowspan='2'>三、本年度办理结果</td><td colspan='2'>(一)予以公开</td>"
        "<td>5</td><td></td></tr><tr><td>(三)不予公开</td><td>1.属于国家秘密</td><td>0</td>"
        "<td>0</td></tr></table>")
    rows = html_table_rows(table)
    assert rows == [["三、本年度办理结果", "(一)予以公开", "(一)予以公开", "5", ""],
                    ["三、本年度办理结果", "(三)不予公开", "1.属于国家秘密", "0", "0"]]


def test_html_body_is_found_inside_navigation_chrome() -> None:
    page = ("<html><body><nav>首页 | 政务公开</nav><div class='side'>热点 行政复议 排行</div>"
            "<div class='main'><h1>某局2022年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
            "<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p></div><footer>版权所有</footer>"
            "</body></html>")
    text = html_to_text(page)
    assert text.startswith("某局2022年政府信息公开工作年度报告")
    assert "首页" not in text and "版权所有" not in text and "热点" not in text


def test_signed_changes_written_with_zeng_and_jian() -> None:
    assert (parse_value("减4"), parse_value("增10"), parse_value("-18"), parse_value("减少2")) == (-4, 10, -18, -2)
    assert classify("减4") is CellKind.VALUE


def test_section_two_one_cell_a_line_with_its_pipe() -> None:
    body = "行政许可 |\n6 |\n减4 |\n2 |\n规章\n|\n0\n|\n0\n|\n6\n|\n政府集中采购 |\n6 |\n52.15 |\n"
    g = _grid(body)
    assert g.layout == "lines"
    assert [(r.label, [c.text for c in r.values]) for r in g.rows] == [
        ("行政许可", ["6", "减4", "2"]), ("规章", ["0", "0", "6"]), ("政府集中采购", ["6", "52.15"])]
