"""Round trip: every golden rendered in every text and HTML layout extracts back to itself, or flagged."""

from __future__ import annotations

import pytest
from conftest import SEEDS, load_golden, same, silent_errors

from extractor.pipeline import extract_bytes
from extractor.render import LAYOUTS, expected_cells, render

CASES = [(doc, name) for doc in SEEDS for name in LAYOUTS]


@pytest.mark.parametrize(("doc", "layout"), CASES)
def test_round_trip_has_no_silent_error(doc: str, layout: str) -> None:
    golden = load_golden(doc)
    spec = LAYOUTS[layout]
    record = extract_bytes(render(golden, spec), f"{doc[:3]}-{layout}{spec.suffix}")
    assert record.status != "failed", record.error
    want = expected_cells(golden, spec)
    assert silent_errors(record, want) == []
    if not spec.drop_blanks and not spec.truncate_after:
        wrong = [cid for cid, v in want.items() if not same(record.cells[cid].value, v)]
        assert wrong == [], "a layout that loses nothing must round-trip exactly"


def test_truncation_leaves_the_cut_rows_null_and_flagged() -> None:
    golden = load_golden("000_c177902358b96c63.txt")
    spec = LAYOUTS["tab_truncated"]
    record = extract_bytes(render(golden, spec), "cut.txt")
    cell = record.cells["t3.unavailable_not_held.natural_person"]
    assert cell.value is None and "truncated" in cell.flags
    assert record.cells["t3.granted.natural_person"].value == 5


def test_amounts_in_yuan_are_converted_to_wan_yuan() -> None:
    golden = dict(load_golden("003_c676913514f69321.txt"))
    record = extract_bytes(render(golden, LAYOUTS["tab_yuan"]), "yuan.txt")
    assert record.cells["t2.procurement.amount"].value == pytest.approx(199.927)
