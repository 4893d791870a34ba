"""The five seed reports against their hand-labelled goldens."""

from __future__ import annotations

import pytest
from conftest import DOCS, SEEDS, load_golden, same, silent_errors

from extractor.pipeline import extract_file
from extractor.records import Flag


@pytest.mark.parametrize("doc", SEEDS)
def test_every_cell_equals_its_golden_or_is_flagged(doc: str) -> None:
    record = extract_file(DOCS / doc)
    golden = load_golden(doc)
    assert set(record.cells) == set(golden)
    assert silent_errors(record, golden) == []


@pytest.mark.parametrize("doc", [d for d in SEEDS if d[:3] in ("000", "002", "003")])
def test_well_formed_seeds_are_entirely_correct(doc: str) -> None:
    record = extract_file(DOCS / doc)
    golden = load_golden(doc)
    wrong = {cid: (record.cells[cid].value, want) for cid, want in golden.items()
             if not same(record.cells[cid].value, want)}
    assert wrong == {}


def test_truncated_seed_keeps_missing_rows_null_and_flagged() -> None:
    record = extract_file(DOCS / "004_fb0219a4b427aef6.txt")
    golden = load_golden("004_fb0219a4b427aef6.txt")
    assert record.status == "needs_review"
    nulls = [cid for cid, want in golden.items() if want is None]
    assert len(nulls) == 140
    for cid in nulls:
        cell = record.cells[cid]
        assert cell.value is None and Flag.MISSING_IN_SOURCE in cell.flags
    for cid, want in golden.items():
        if want is not None:
            assert same(record.cells[cid].value, want), cid
    assert record.cells["t2.fees.amount"].value == 7


def test_evidence_points_into_the_normalised_text() -> None:
    from extractor.parse.normalise import normalise
    from extractor.read.load import load_path

    path = DOCS / "000_c177902358b96c63.txt"
    record = extract_file(path)
    text = normalise(load_path(path)).text
    cell = record.cells["t2.licensing.decisions"]
    assert cell.value == 4303 and cell.evidence is not None
    assert text[cell.evidence.start:cell.evidence.end].endswith("4303")
    assert "行政许可" in cell.evidence.text
    raw = (DOCS / "000_c177902358b96c63.txt").read_text("utf-8")
    assert raw[cell.evidence.raw_start:cell.evidence.raw_end].endswith("4303")


def test_a_page_holding_the_report_twice_is_read_once() -> None:
    record = extract_file(DOCS / "000_c177902358b96c63.txt")
    assert any("twice" in n for n in record.notes)
    assert record.cells["t3.new.total"].evidence is not None
    assert record.cells["t3.new.total"].evidence.start < 4000
