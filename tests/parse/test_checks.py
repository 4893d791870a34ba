"""Validation: identities flag the cells of a table that does not add up."""

from __future__ import annotations

from conftest import DOCS

from extractor.pipeline import extract_bytes, extract_file
from extractor.records import Flag


def test_altering_one_number_in_a_seed_fails_its_identities_and_flags_the_cells() -> None:
    raw = (DOCS / "000_c177902358b96c63.txt").read_text("utf-8")
    # （一）予以公开: 5 … 5 → 5 … 6: the row no longer adds up, nor does column 总计.
    marker = "(一)予以公開\n\n5\n\n0\n\n0\n\n0\n\n0\n\n0\n\n5\n"
    assert marker in raw
    altered = raw.replace(marker, marker[:-2] + "6\n", 1)
    record = extract_bytes(altered.encode("utf-8"), "003_altered.txt")
    cell = record.cells["t3.granted.total"]
    assert cell.value == 6
    assert Flag.CHECKSUM_FAILED in cell.flags
    assert cell.confidence <= 0.3
    assert "FAILS" in (cell.note or "")
    assert Flag.CHECKSUM_FAILED in record.cells["t3.total.total"].flags
    assert record.status == "needs_review"


def test_confidence_comes_from_the_checks_not_a_constant() -> None:
    record = extract_file(DOCS / "003_c676913514f69321.txt")
    confirmed = record.cells["t3.granted.natural_person"].confidence
    unconfirmed = record.cells["t2.procurement.amount"].confidence  # no identity covers it
    derived = record.cells["t3.denied_third_party.total"].confidence
    ambiguous = record.cells["t2.fees.prev_items"].confidence
    assert confirmed > unconfirmed > ambiguous
    assert ambiguous <= 0.5
    assert 0 < derived < 1


def test_nothing_is_repaired_silently() -> None:
    record = extract_file(DOCS / "003_c676913514f69321.txt")
    for cell in record.cells.values():
        if cell.method.value == "derived":
            assert cell.flags
