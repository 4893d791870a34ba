"""PDF: every seed round-trips through the rendered fixtures, evidence has page and box, bad PDFs fail cleanly."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from conftest import FIXTURES, SEEDS, load_golden, require_tool, same, seed_doc, silent_errors

from extractor.errors import EncryptedPdf, UndecodableText
from extractor.pipeline import extract_bytes, extract_file
from extractor.read.load import load_bytes
from extractor.records import Record
from extractor.render.office import OFFICE_LAYOUTS, render_office, soffice

FIXTURE_NAME = re.compile(r"^(?P<layout>.+)_(?P<seed>\d{3})\.pdf$")
COMMITTED = sorted(p.name for p in FIXTURES.glob("*.pdf")
                   if (m := FIXTURE_NAME.match(p.name)) and m.group("layout") in OFFICE_LAYOUTS)


def read_fixture(name: str) -> tuple[Record, dict[str, object]]:
    m = FIXTURE_NAME.match(name)
    assert m is not None
    return extract_file(FIXTURES / name), load_golden(seed_doc(m.group("seed")))


def test_the_committed_pdf_fixtures_cover_every_seed() -> None:
    seeds = {FIXTURE_NAME.match(n).group("seed") for n in COMMITTED  # type: ignore[union-attr]
             if n.startswith("pdf_") and FIXTURE_NAME.match(n).group("layout") == "pdf"}  # type: ignore[union-attr]
    assert seeds == {doc[:3] for doc in SEEDS}


@pytest.mark.parametrize("name", COMMITTED)
def test_pdf_fixture_round_trips_with_no_silent_error(name: str) -> None:
    record, golden = read_fixture(name)
    assert record.status != "failed", record.error
    assert record.format == "pdf"
    assert silent_errors(record, golden) == []
    spec = OFFICE_LAYOUTS[FIXTURE_NAME.match(name).group("layout")]  # type: ignore[union-attr]
    if not spec.blank_zeros:
        wrong = [cid for cid, v in golden.items() if not same(record.cells[cid].value, v)]
        assert wrong == [], "a layout that loses nothing must round-trip exactly"


def test_evidence_carries_the_page_and_the_box_of_the_cell() -> None:
    record, golden = read_fixture("pdf_003.pdf")
    with pdfplumber.open(FIXTURES / "pdf_003.pdf") as pdf:
        for cid in ("t3.new.natural_person", "t3.granted.total", "t2.rules.new_published",
                    "t4.review.upheld", "t3.carried_forward.total"):
            ev = record.cells[cid].evidence
            assert ev is not None and ev.page is not None and ev.bbox is not None, cid
            page = pdf.pages[ev.page - 1]
            x0, top, x1, bottom = ev.bbox
            assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height
            shown = page.crop(ev.bbox).extract_text().strip()
            assert shown == str(golden[cid]), f"{cid}: the box holds {shown!r}"
    assert record.cells["meta.agency"].evidence.page == 1  # type: ignore[union-attr]


def test_a_table_over_a_page_break_is_one_grid() -> None:
    record, golden = read_fixture("pdf_page_break_in_table3_000.pdf")
    pages = {record.cells[f"t3.{row}.natural_person"].evidence.page  # type: ignore[union-attr]
             for row in ("new", "granted", "total", "carried_forward")}
    assert len(pages) == 2, "the fixture breaks table 三 over two pages"
    doc = load_bytes((FIXTURES / "pdf_page_break_in_table3_000.pdf").read_bytes(), name="x.pdf")
    body = doc.raw[doc.raw.index("三、收到和处理"):doc.raw.index("四、政府信息公开行政复议")]
    header_lines = [line for line in body.splitlines() if "申请人情况" in line]
    assert len(header_lines) == 1, "the header repeated on the next page is dropped"
    assert not re.search(r"^\s*-\s*\d+\s*-\s*$", body, re.M), "page numbers are dropped"
    assert doc.pages == 4


def test_vertical_and_wrapped_labels_become_one_label() -> None:
    doc = load_bytes((FIXTURES / "pdf_vertical_labels_003.pdf").read_bytes(), name="x.pdf")
    assert "三、本年度办理结果\t" in doc.raw
    assert "\t商业企业\t" in doc.raw
    assert "结果维持\t结果纠正\t其他结果\t尚未审结" in doc.raw


def test_rotated_labels_read_in_their_direction() -> None:
    doc = load_bytes((FIXTURES / "pdf_rotated_labels_000.pdf").read_bytes(), name="x.pdf")
    assert "三、本年度办理结果\t（一）予以公开" in doc.raw
    assert "（三）不予公开\t1.属于国家秘密" in doc.raw


def test_a_table_without_rules_is_read_by_word_positions_with_lower_confidence() -> None:
    record, golden = read_fixture("pdf_no_rules_000.pdf")
    doc = load_bytes((FIXTURES / "pdf_no_rules_000.pdf").read_bytes(), name="x.pdf")
    assert doc.boxes and not any(b.source == "ruled" for b in doc.boxes)
    assert any(b.source == "words" for b in doc.boxes)
    cell = record.cells["t3.new.natural_person"]
    assert cell.value == golden["t3.new.natural_person"]
    assert cell.confidence < 0.85 and cell.evidence is not None and cell.evidence.page is not None
    ruled = read_fixture("pdf_000.pdf")[0].cells["t3.new.natural_person"]
    assert cell.confidence < ruled.confidence


@pytest.mark.parametrize(("fixture", "error", "reason"), [
    ("pdf_encrypted.pdf", EncryptedPdf, "encrypted PDF: decrypt it first (e.g. qpdf --decrypt"),
    ("pdf_truncated.pdf", UndecodableText, "corrupt PDF"),
])
def test_a_bad_pdf_gives_a_failed_record_with_a_clear_reason(
        fixture: str, error: type[Exception], reason: str) -> None:
    data = (FIXTURES / fixture).read_bytes()
    with pytest.raises(error, match=re.escape(reason)):
        load_bytes(data, name=fixture)
    record = extract_file(FIXTURES / fixture)
    assert record.status == "failed" and record.format == "pdf"
    assert reason in (record.error or "")


def test_a_pdf_with_only_an_owner_password_is_read() -> None:
    record = extract_file(FIXTURES / "pdf_owner_password_only_000.pdf")
    assert record.status != "failed", record.error
    assert silent_errors(record, load_golden(seed_doc("000"))) == []


def test_a_file_named_pdf_that_is_not_one() -> None:
    record = extract_bytes(b"hello, not a pdf at all", "fake.pdf")
    assert record.status == "failed" and "not a PDF file" in (record.error or "")


@pytest.mark.parametrize("layout", ["pdf", "pdf_no_rules"])
def test_a_freshly_rendered_pdf_round_trips(layout: str) -> None:
    require_tool(soffice(), "LibreOffice (soffice) is not installed: bash .ci/install-office.sh")
    doc = seed_doc("003")
    golden = load_golden(doc)
    record = extract_bytes(render_office(golden, OFFICE_LAYOUTS[layout]), f"fresh-{layout}.pdf")
    assert record.status != "failed", record.error
    assert silent_errors(record, golden) == []
    assert all(same(record.cells[c].value, v) for c, v in golden.items())
