from __future__ import annotations

from extractor.document import Document
from extractor.parse.normalise import normalise


def _norm(raw: str) -> str:
    return normalise(Document(name="x", sha256="", format="text", raw=raw, encoding="utf-8")).text


def test_traditional_becomes_simplified() -> None:
    assert _norm("全麵提升，機製，行政複議") == "全面提升,机制,行政复议"


def test_pinyin_annotations_are_removed() -> None:
    assert _norm("堅(jiān)持以習(xí)近平") == "坚持以习近平"


def test_brackets_that_are_not_pinyin_stay() -> None:
    assert _norm("（一）予以公开(单位:万元)") == "(一)予以公开(单位:万元)"


def test_full_width_digits_nbsp_and_ideographic_spaces() -> None:
    assert _norm("１２３\u00a0件\u3000，") == "123 件 ,"


def test_spaces_inside_labels_are_removed_but_tabs_kept() -> None:
    assert _norm("自 然 人\t结 果 维 持\t2022 年") == "自然人\t结果维持\t2022 年"


def test_offsets_map_back_to_the_raw_text() -> None:
    raw = "堅(jiān)持\r\n行政許可\u3000４３０３"
    doc = Document(name="x", sha256="", format="text", raw=raw, encoding="utf-8")
    text = normalise(doc)
    i = text.text.index("4303")
    start, end = text.raw_span(i, i + 4)
    assert raw[start:end] == "４３０３"
    j = text.text.index("许可")
    s2, e2 = text.raw_span(j, j + 2)
    assert raw[s2:e2] == "許可"
