from __future__ import annotations

from extractor.document import Document
from extractor.parse.normalise import normalise
from extractor.parse.sections import segment

BODY = """某市教育局2022年政府信息公开工作年度报告
一、总体情况
正文。
二.主动公开政府信息情况
表
三 、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量\t1
二、上年结转政府信息公开申请数量\t0
四、结转下年度继续办理\t0
四、政府信息公开行政复议、行政诉讼情况
表
五、存在的主要问题及改进情况
文
六、其他需要报告的事项
无
"""


def _seg(raw: str):  # type: ignore[no-untyped-def]
    text = normalise(Document(name="x", sha256="", format="text", raw=raw, encoding="utf-8"))
    return text, segment(text)


def test_headings_with_variant_separators_are_found_and_table_rows_are_not() -> None:
    text, s = _seg(BODY)
    assert sorted(s.sections) == [1, 2, 3, 4, 5, 6]
    assert text.text[s.sections[4].start:].startswith("四、政府信息公开行政复议")
    assert "一、本年新收" in text.text[s.sections[3].start:s.sections[3].end]


def test_a_page_holding_the_report_twice_is_read_once() -> None:
    text, s = _seg(BODY + "\n" + BODY)
    assert s.body_end < len(text.text)
    assert text.text[s.body_end:].startswith("某市教育局2022年")
    assert s.sections[6].end == s.body_end
    assert s.notes


def test_a_missing_heading_leaves_that_section_out() -> None:
    _, s = _seg(BODY.replace("四、政府信息公开行政复议、行政诉讼情况\n", ""))
    assert 4 not in s.sections
    assert s.sections[3].end == s.sections[5].start
