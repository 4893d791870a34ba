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
