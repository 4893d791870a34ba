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


def test_headings_inside_a_crawler_line_are_found_and_an_enumeration_of_them_is_not() -> None:
    line = ("某市教育局2022年政府信息公开工作年度报告本报告包括一、总体情况;二、主动公开政府信息情况;"
            "三、收到和处理政府信息公开申请情况等。联系电话0591-1234567。一、总体情况2022年,我局坚持以公开为常态、不公开为例外,认真贯彻落实条例,持续推进公开工作。"
            "二、主动公开政府信息情况第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件101"
            "三、收到和处理政府信息公开申请情况(本列数据的勾稽关系为…)申请人情况自然人…一、本年新收政府信息公开申请数量1000001"
            "四、结转下年度继续办理0000000四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持…总计000000000000000"
            "五、存在的主要问题及改进情况工作中仍存在公开内容不够丰富等问题,下一步将持续改进。六、其他需要报告的事项无。")
    text, s = _seg("标题: x\n==== 正文 ====\n" + line + "\n")
    assert sorted(s.sections) == [1, 2, 3, 4, 5, 6]
    assert text.text[s.sections[1].start:].startswith("一、总体情况2022年")  # not the enumeration
    assert text.text[s.sections[4].start:].startswith("四、政府信息公开行政复议")  # not the table's row 四


def test_markdown_headings_in_bold_or_atx() -> None:
    body = BODY.replace("一、总体情况", "**一、总体情况**")
    body = body.replace("二.主动公开政府信息情况", "## 二.主动公开政府信息情况")
    text, s = _seg(body)
    assert sorted(s.sections) == [1, 2, 3, 4, 5, 6]
    assert s.sections[1].heading == "一、总体情况" and s.sections[2].heading == "二.主动公开政府信息情况"


def test_tables_without_any_heading_are_found_by_their_labels() -> None:
    body = ("某镇人民政府2022年政府信息公开工作年度报告\n本镇认真落实条例。\n"
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n"
            "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\t申请人情况\n"
            "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
            "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n"
            "行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n" + "0\t" * 14 + "0\n"
            "本镇将持续改进。\n")
    text, s = _seg(body)
    assert sorted(s.sections) == [2, 3, 4] and all(x.inferred for x in s.sections.values())
    assert text.text[s.sections[2].start:].startswith("信息内容")
    assert text.text[s.sections[3].start:].startswith("(本列数据")
    assert text.text[s.sections[4].start:].startswith("行政复议\t行政诉讼")
    assert s.notes and "found by its table's labels" in s.notes[-1]


def test_a_narrative_mentioning_table_words_starts_no_section() -> None:
    body = "某局2022年政府信息公开工作年度报告\n一、总体情况\n本年新收政府信息公开申请5件,予以公开5件。\n"
    _, s = _seg(body)
    assert sorted(s.sections) == [1]
