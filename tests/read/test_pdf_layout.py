"""PDF page layout, on small made-up pages: running lines, cut tables, rows over page breaks, wrapped labels."""

from __future__ import annotations

from typing import Any

from extractor.read.pdf_geometry import Char, Line, chars_to_lines, make_line, split_columns
from extractor.read.pdf_grid import RuledCell, RuledPart, ruled_rows
from extractor.read.pdf_margins import is_running_line
from extractor.read.pdf_rules import open_ends
from extractor.read.pdf_words import WordTable, word_table_rows

HEIGHT = 792.0


def chars(text: str, x: float, top: float, size: float = 10.0) -> list[Char]:
    """One character every ``size`` points (half that for ASCII), from ``x`` on the line at ``top``."""
    out = []
    for ch in text:
        width = size / 2 if ch.isascii() else size
        if ch != " ":
            out.append(Char(ch, x, top, x + width, top + size, size))
        x += width
    return out


def line(text: str, x: float, top: float, size: float = 10.0) -> Line:
    return make_line(1, chars(text, x, top, size))


# ---------------------------------------------------------------- running lines


def test_a_browsers_header_and_footer_are_running_lines() -> None:
    assert is_running_line(line("12/1/26, 3:09 AM          某局2022年政府信息公开工作年度报告", 24, 16, 8), HEIGHT)
    assert is_running_line(line("2026/12/1 03:09   某局2022年报告", 24, 16, 8), HEIGHT)
    assert is_running_line(line("ﬁle:///tmp/report.html                    1/4", 24, 768, 8), HEIGHT)
    assert is_running_line(line("https://www.gov.cn/art/2023/1/30/art_1.html   2/3", 24, 768, 8), HEIGHT)
    assert is_running_line(line("- 2 -", 290, 770), HEIGHT)


def test_report_text_is_not_a_running_line() -> None:
    assert not is_running_line(line("12/1/26, 3:09 AM", 24, 400, 8), HEIGHT), "not in a margin"
    assert not is_running_line(line("某局2022年政府信息公开工作年度报告", 98, 60, 18), HEIGHT)
    assert not is_running_line(line("本报告电子版可在门户网站（https://www.yk.gov.cn）查阅。", 40, 700), HEIGHT)
    assert not is_running_line(line("2023年1月30日", 400, 720), HEIGHT)


# ---------------------------------------------------------------- lines


def test_a_title_in_large_type_beside_a_sidebar_is_a_line_of_its_own() -> None:
    side = chars("政府信息公开指南", 57, 109, 11.25) + chars("政府信息公开制度", 57, 123, 11.25)
    title = chars("杭州市教育局", 183, 112.6, 18) + chars("2022", 291, 111.1, 18) + chars("年报告", 327, 112.6, 18)
    texts = [ln.text for ln in chars_to_lines(side + title)]
    assert texts == ["政府信息公开指南", "杭州市教育局2022年报告", "政府信息公开制度"]


def test_a_line_is_split_where_a_column_gap_separates_its_runs() -> None:
    joined = make_line(1, chars("依申请公开", 57, 100) + chars("本报告根据条例编制。", 200, 100))
    assert [ln.text for ln in split_columns(joined)] == ["依申请公开", "本报告根据条例编制。"]
    assert split_columns(line("一、总体情况 2022年", 57, 100)) == [line("一、总体情况 2022年", 57, 100)]


# ---------------------------------------------------------------- ruled tables cut by a page break


def edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict[str, Any]:
    return {"orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom}


def test_column_rules_ending_with_no_rule_across_them_are_an_open_end() -> None:
    columns = [28.0, 100.0, 200.0, 300.0]
    vertical = [edge("v", x, x, 600, 764) for x in columns] + [edge("v", x, x, 500, 600) for x in columns]
    horizontal = [edge("h", 28, 300, 500, 500), edge("h", 28, 300, 600, 600)]
    assert open_ends(vertical, horizontal, "bottom") == [(28.0, 300.0, 764)]
    assert open_ends(vertical, horizontal, "top") == []
    closed = [*horizontal, edge("h", 28, 300, 764, 764)]
    assert open_ends(vertical, closed, "bottom") == []


def test_a_row_cut_by_a_page_break_is_one_row_with_the_values_of_its_halves() -> None:
    above = RuledPart(1, (28, 600, 300, 764), [
        RuledCell((28, 600, 100, 700), "三、本年度办理结果"), RuledCell((100, 600, 200, 700), "（一）予以公开"),
        RuledCell((200, 600, 300, 700), "5"),
        RuledCell((28, 700, 100, 764), "三、本年度办理结果"), RuledCell((100, 700, 200, 764), "1.本机关不掌握"),
        RuledCell((200, 700, 300, 764), "")], open_bottom=True)
    below = RuledPart(2, (28, 28, 300, 120), [
        RuledCell((28, 28, 100, 120), ""), RuledCell((100, 28, 200, 60), "相关政府信息"),
        RuledCell((200, 28, 300, 60), "11"),
        RuledCell((100, 60, 200, 120), "2.没有现成信息"), RuledCell((200, 60, 300, 120), "0")], open_top=True)
    rows = ruled_rows([above, below])
    assert [[t for t, _, _ in r] for r in rows] == [
        ["三、本年度办理结果", "（一）予以公开", "5"],
        ["三、本年度办理结果", "1.本机关不掌握相关政府信息", "11"],
        ["", "2.没有现成信息", "0"],
    ]
    assert rows[1][2][1] == 2, "the value's box is on the page that prints it"
    above.open_bottom = False
    assert len(ruled_rows([above, below])) == 4, "a row closed by a rule is not joined"


# ---------------------------------------------------------------- words: wrapped labels


def table_line(top: float, *pieces: tuple[str, float]) -> Line:
    """One line of a table drawn without rules: (text, x) pieces on one baseline."""
    return make_line(1, [c for text, x in pieces for c in chars(text, x, top)])


def word_rows(*lines: Line) -> list[list[str]]:
    return [[t for t, _, _ in row] for row in word_table_rows([WordTable(1, list(lines))])]


def test_a_wrapped_label_goes_with_its_values_however_its_cell_aligns_them() -> None:
    rows = word_rows(  # a label cell 25 points wide: two characters a line
        table_line(100, ("1.属", 117), ("0", 190), ("0", 300)),  # values on the label's first line
        table_line(115, ("于国", 117)), table_line(130, ("家秘", 117)), table_line(145, ("密", 117)),
        table_line(161, ("1.本", 117)), table_line(176, ("机关", 117)),
        table_line(184, ("11", 187), ("0", 300)),  # values centred beside a label of four lines
        table_line(192, ("不掌", 117)), table_line(207, ("握", 117)),
        table_line(223, ("3.其", 117), ("2", 190), ("0", 300)), table_line(238, ("他", 117)))
    assert rows == [["1.属于国家秘密", "0", "0"], ["1.本机关不掌握", "11", "0"], ["3.其他", "2", "0"]]


def test_a_line_of_a_label_alone_is_a_row_with_no_value_cells() -> None:
    rows = word_rows(table_line(100, ("信息内容", 57), ("本年制发件数", 190)),
                     table_line(115, ("规章", 57), ("5", 190)),
                     table_line(130, ("规范性文件", 57)))
    assert rows == [["信息内容", "本年制发件数"], ["规章", "5"], ["规范性文件"]]
