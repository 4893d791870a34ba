from __future__ import annotations

import pytest
from conftest import DOCS, SEEDS, load_golden

from extractor.pipeline import extract_bytes, extract_file
from extractor.records import Flag


@pytest.mark.parametrize("doc", SEEDS)
def test_agency_year_and_edition(doc: str) -> None:
    record = extract_file(DOCS / doc)
    golden = load_golden(doc)
    for cid in ("meta.agency", "meta.year", "meta.template"):
        assert record.cells[cid].value == golden[cid]
    assert record.template == golden["meta.template"]


def test_year_without_a_title_is_flagged_uncertain() -> None:
    record = extract_file(DOCS / "001_c9c993418e881905.txt")
    assert record.cells["meta.year"].value == 2021
    assert Flag.META_UNCERTAIN in record.cells["meta.year"].flags


def test_agency_from_the_signature() -> None:
    raw = (DOCS / "002_49469f21e3e534d6.txt").read_text("utf-8")
    raw = raw.replace("鹤岗市教育局\n", "", 1) + "\n\n鹤岗市教育局\n\n2023年1月20日\n"
    record = extract_bytes(raw.encode(), "signed.txt")
    assert record.cells["meta.agency"].value == "鹤岗市教育局"


MIXED = """某县人民政府2021年政府信息公开工作年度报告
一、总体情况
正文。
二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t5\t5\t40
第二十条第（五）项
信息内容\t本年处理决定数量
行政许可\t120
第二十条第（六）项
信息内容\t本年处理决定数量
行政处罚\t3
行政强制\t0
第二十条第（八）项
信息内容\t本年收费金额（单位：万元）
行政事业性收费\t282.1
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1
四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0
"""


def test_a_mixed_report_is_the_edition_its_weightier_markers_name_and_says_so() -> None:
    record = extract_bytes(MIXED.encode(), "mixed.txt")
    template = record.cells["meta.template"]
    assert record.template == "2021" and template.value == "2021"
    assert Flag.META_UNCERTAIN in template.flags and "mixed report" in (template.note or "")
    assert "本年新制作数量" in (template.note or "") and "本年收费金额" in (template.note or "")
    assert record.cells["t2.fees.amount"].value == 282.1 and not record.cells["t2.fees.amount"].flags
    assert record.cells["t2.licensing.decisions"].value == 120
    # the rows printed under the 2019 columns do not give the 2021 cells
    for cell in ("t2.rules.issued", "t2.normative.in_force"):
        assert record.cells[cell].value is None and Flag.OTHER_EDITION in record.cells[cell].flags


def test_a_2021_report_on_the_2019_template_throughout_is_a_2019_edition_document() -> None:
    raw = (DOCS / "003_c676913514f69321.txt").read_text("utf-8").replace("2020年政府信息公开", "2021年政府信息公开")
    record = extract_bytes(raw.encode(), "late.txt")
    assert record.cells["meta.year"].value == 2021
    assert record.template == "2019" and not record.cells["meta.template"].flags


def test_only_the_line_right_above_a_title_names_the_body() -> None:
    from extractor.document import Document
    from extractor.parse.meta import read_meta
    from extractor.parse.normalise import normalise
    from extractor.parse.sections import segment

    def agency(page: str) -> object:
        text = normalise(Document(name="x", sha256="", format="text", raw=page, encoding="utf-8"))
        return read_meta(text, segment(text))["meta.agency"].value

    page = ("人民政府门户网站\n首页 政务公开 办事服务\n当前位置：首页>政府信息公开年报\n"
            "2021年政府信息公开工作年度报告\n一、总体情况\n2021年，本机关坚持以公开为常态。\n")
    assert agency(page) is None, "a site's name in the chrome is not the reporting body"
    assert agency(page.replace("年报\n", "年报\n某县教育局\n", 1)) == "某县教育局"
