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
