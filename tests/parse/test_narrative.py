"""The narrative witness: numbers stated in sentences, mapped to cells, confirming or flagging the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.config import Settings
from extractor.parse.narrative import read_statements
from extractor.parse.numerals import chinese_number
from extractor.pipeline import extract_bytes, extract_file

DOCS = Path(__file__).parents[2] / "goldens" / "docs"


def stated(text: str, edition: str = "2021") -> dict[str, tuple[tuple[str, ...], int]]:
    return {s.quantity: (s.cells, s.value) for s in read_statements(text, edition, [(0, len(text))])}


@pytest.mark.parametrize(("numeral", "value"), [("三", 3), ("十", 10), ("十二", 12), ("二十一", 21),
                                                 ("一百零五", 105), ("两", 2), ("三万", 30000), ("零", 0)])
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_number(numeral) == value


def test_a_list_of_digits_is_not_a_number() -> None:
    assert chinese_number("一二") is None
    assert chinese_number("十十") is None


def test_sentences_state_cells_and_sums() -> None:
    found = stated("本年度共收到政府信息公开申请70件，上年结转5件，结转下年度继续办理三件。"
                   "本年度共办结申请72件，其中予以公开十二件，不予公开2件。"
                   "收到行政复议申请3件，未发生行政诉讼。本年制发规范性文件4件。")
    assert found["new"] == (("t3.new.total",), 70)
    assert found["carried_over"] == (("t3.carried_over.total",), 5)
    assert found["carried_forward"] == (("t3.carried_forward.total",), 3)
    assert found["granted"] == (("t3.granted.total",), 12)
    assert found["review"] == (("t4.review.total",), 3)
    assert found["litigation"] == (("t4.litigation_direct.total", "t4.litigation_after_review.total"), 0)
    assert found["normative_issued"] == (("t2.normative.issued",), 4)
    done_cells, done = found["done"]
    assert done == 72 and "t3.other_no_fee.total" in done_cells and "t3.total.total" not in done_cells
    denied_cells, _ = found["denied"]
    assert len(denied_cells) == 8 and all(c.startswith("t3.denied_") for c in denied_cells)


def test_the_2019_edition_maps_to_its_own_cells() -> None:
    found = stated("本年度制发规范性文件2件，共办结申请5件。", "2019")
    assert found["normative_issued"][0] == ("t2.normative.new_made",)
    assert "t3.other.total" in found["done"][0]


def test_what_is_not_a_statement() -> None:
    assert stated("行政复议、行政诉讼各1件。") == {}  # one number for two quantities
    assert stated("主动公开政府信息1351条，办结率100%。") == {}  # no cell; a rate
    assert stated("二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0") == {}  # a table row
    assert stated("予以公开政府文件30件。") == {}  # 主动公开, not a request's outcome
    assert stated("无法提供的信息均已说明理由。") == {}  # 无法 is not a negation
    assert stated("共办结人大代表建议43件。") == {}  # not a disclosure request


def test_a_thousands_separator_is_not_a_clause_break() -> None:
    assert stated("本年度共收到政府信息公开申请1,351件，上年结转2件。")["new"] == (("t3.new.total",), 1351)


def test_offsets_point_at_the_statement() -> None:
    text = "概述。本年度共收到政府信息公开申请70件。"
    (s,) = read_statements(text, "2021", [(0, len(text))])
    assert text[s.start:s.end] == "收到政府信息公开申请70件"
    assert s.sentence == "本年度共收到政府信息公开申请70件"


def test_bundled_samples_agree_with_their_narrative() -> None:
    record = extract_file(DOCS / "000_c177902358b96c63.txt")
    assert not any("narrative_mismatch" in c.flags for c in record.cells.values())
    assert "8 agree with the table, 0 disagree" in record.notes[-1]
    assert record.cells["t3.granted.total"].confidence > 0.99
    assert "confirmed by the narrative" in (record.cells["t4.review.total"].note or "")


def test_a_sum_whose_known_terms_already_exceed_the_sentence_disagrees() -> None:
    record = extract_file(DOCS / "004_fb0219a4b427aef6.txt")  # 按时办结 4个; table cut off, 予以公开 5
    flagged = {k: c for k, c in record.cells.items() if "narrative_mismatch" in c.flags}
    assert list(flagged) == ["t3.granted.total"]
    cell = flagged["t3.granted.total"]
    assert cell.value == 5 and cell.alternatives == {"table sum, known cells": 5, "narrative": 4}
    assert "give at least 5" in (cell.note or "")
    assert "1 agree with the table, 1 disagree" in record.notes[-1]


def test_a_disagreeing_sentence_flags_the_cell_and_keeps_the_table() -> None:
    text = (DOCS / "000_c177902358b96c63.txt").read_text("utf-8").replace("行政複議申請1起", "行政複議申請4起")
    record = extract_bytes(text.encode("utf-8"), "000-review-4.txt", Settings())
    cell = record.cells["t4.review.total"]
    assert cell.value == 1
    assert "narrative_mismatch" in cell.flags
    assert cell.alternatives == {"table": 1, "narrative": 4}
    assert "行政复议申请4起" in (cell.note or "")
    assert record.status == "needs_review"
    flagged = {k for k, c in record.cells.items() if "narrative_mismatch" in c.flags}
    assert flagged == {"t4.review.total"}


def test_a_disagreeing_sum_flags_its_nonzero_terms() -> None:
    text = (DOCS / "000_c177902358b96c63.txt").read_text("utf-8").replace("無法提供11件", "無法提供12件")
    record = extract_bytes(text.encode("utf-8"), "000-unavailable-12.txt", Settings())
    flagged = {k for k, c in record.cells.items() if "narrative_mismatch" in c.flags}
    assert flagged == {"t3.unavailable_not_held.total"}
    assert record.cells["t3.unavailable_not_held.total"].alternatives == {"table sum": 11, "narrative": 12}
