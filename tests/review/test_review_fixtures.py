"""The review tests' fixtures themselves: a corrupted record fails exactly the identities it should."""

from __future__ import annotations

from conftest import load_golden
from review_fixtures import SEED_000, corrupted, seed

from extractor.records import Flag


def test_a_corrupted_record_flags_the_cells_of_its_failing_identities() -> None:
    record = corrupted(seed(SEED_000), "t3.new.natural_person", 81)
    flagged = {c for c, x in record.cells.items() if Flag.CHECKSUM_FAILED.value in x.flags}
    assert "t3.new.natural_person" in flagged and "t3.new.total" in flagged
    assert "t3.total.natural_person" in flagged
    assert load_golden(SEED_000)["t3.new.natural_person"] == 18
