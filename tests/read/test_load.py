from __future__ import annotations

import codecs

import pytest

from extractor.errors import EmptyInput, UndecodableText
from extractor.read.load import load_bytes

REPORT = "某市教育局2022年政府信息公开工作年度报告\n一、总体情况\n行政許可"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + REPORT.encode("utf-8"), "utf-8-sig"),
        (REPORT.encode("gb18030"), "gb18030"),
        (REPORT.encode("gbk"), "gb18030"),
        (REPORT.encode("utf-16"), "utf-16"),
        (REPORT.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_text_encodings_are_detected(data: bytes, encoding: str) -> None:
    doc = load_bytes(data, name="r.txt")
    assert doc.raw == REPORT
    assert doc.encoding == encoding


def test_html_charset_comes_from_meta() -> None:
    html = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=gbk'></head>"
            "<body><h1>年度报告</h1><p>行政复议</p></body></html>")
    doc = load_bytes(html.encode("gbk"), name="r.html")
    assert doc.format == "html"
    assert "年度报告" in doc.raw and "行政复议" in doc.raw


def test_empty_file_is_an_input_error() -> None:
    with pytest.raises(EmptyInput):
        load_bytes(b"  \n ", name="e.txt")


def test_binary_junk_names_the_encodings_tried() -> None:
    junk = bytes(range(256)) * 40
    with pytest.raises(UndecodableText, match="tried utf-8, gb18030"):
        load_bytes(junk, name="j.txt")


def test_forced_encoding_that_does_not_fit_says_so() -> None:
    with pytest.raises(UndecodableText, match="cannot decode as utf-8"):
        load_bytes(REPORT.encode("gbk"), name="r.txt", encoding="utf-8")
