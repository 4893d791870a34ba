"""OCR: scanned PDFs, garbled text layers and page images read as any PDF is, every cell's confidence from
its OCR score; without the extra, the old failure plus the command that enables OCR."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pypdfium2
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, load_golden, same, seed_doc, silent_errors
from PIL import Image, ImageDraw

from extractor.batch.walk import discover
from extractor.cli import main
from extractor.errors import MissingExtra, UndecodableText, UnsupportedFormat
from extractor.parse.checks import ocr_confidence
from extractor.pipeline import extract_bytes, extract_file
from extractor.read import ocr_engine
from extractor.read.images import page_files
from extractor.read.load import load_bytes
from extractor.read.ocr import OcrPage, boxes_to_page, is_speck, mend_number, score_boxes, spread
from extractor.read.ocr_engine import OcrBox, OcrUnavailable
from extractor.read.ocr_pages import PageImage, clean
from extractor.read.pdf_geometry import make_line
from extractor.read.pdf_words import phrases
from extractor.records import Record
from extractor.time_limit import DocumentTimeout, extend_time_limit, time_limit

SCANNED_PDF = FIXTURES / "scan_realism_003.pdf"
PAGES = FIXTURES / "scan_pages_001"
HINT = "pip install 'nianbao[ocr]'"


def right_share(record: Record, golden: dict[str, object]) -> float:
    return sum(1 for c, v in golden.items() if c in record.cells and same(record.cells[c].value, v)) / len(golden)


# ---------------------------------------------------------------- OCR text → characters


@pytest.mark.parametrize(("read", "score", "want", "capped"), [
    ("18", 0.99, "18", False),
    ("o", 0.9, "0", True),  # a letter where a number stands
    ("l0", 0.9, "10", True),
    (".18", 0.9, "18", True),  # a speck before it
    ("0口", 0.9, "0", True),  # a stamp's stroke beside it
    ("1.5", 0.9, "1.5", False),  # an amount keeps its point
    ("自然人", 0.9, "自然人", False),
    ("口", 0.9, "口", False),  # no number: left as read
])
def test_a_number_misread_is_mended_and_its_score_capped(read: str, score: float, want: str, capped: bool) -> None:
    text, got = mend_number(read, score)
    assert text == want
    assert (got < score) is capped


def test_specks_are_no_text() -> None:
    assert [is_speck(t) for t in ("口", "口口", " ", "0", "人口")] == [True, True, True, False, False]


def test_a_box_is_spread_over_its_width_and_a_space_splits_phrases() -> None:
    chars = spread("自然人 18", (100.0, 50.0, 190.0, 62.0))
    assert "".join(c.text for c in chars) == "自然人18"
    assert chars[0].x0 == 100.0 and math.isclose(chars[-1].x1, 190.0)
    assert chars[2].x1 - chars[2].x0 == pytest.approx(2 * (chars[3].x1 - chars[3].x0))  # CJK twice a digit
    assert [p.text for p in phrases(make_line(1, chars))] == ["自然人", "18"]


def _row(y: float, angle: float, texts: list[str]) -> list[OcrBox]:
    """Boxes along a text row turned by ``angle`` (radians) about the image's centre (500, 500)."""
    out = []
    for k, text in enumerate(texts):
        x0, x1, top, bottom = 100 + 200 * k, 160 + 200 * k, y, y + 30
        quad = []
        for x, yy in ((x0, top), (x1, top), (x1, bottom), (x0, bottom)):
            dx, dy = x - 500, yy - 500
            quad.append((500 + dx * math.cos(angle) - dy * math.sin(angle),
                         500 + dx * math.sin(angle) + dy * math.cos(angle)))
        out.append(OcrBox(text, tuple(quad), 0.9))  # type: ignore[arg-type]
    return out


def test_a_skewed_page_is_turned_back_so_a_row_shares_its_line() -> None:
    angle = math.radians(2)
    boxes = _row(300, angle, ["规章", "10", "20", "30"]) + _row(340, angle, ["行政规范性文件", "1", "2", "3"])
    page = boxes_to_page(PageImage(1, Image.new("RGB", (1000, 1000), "white"), 0.5), boxes)
    first, second = page.chars[:8], page.chars[8:]  # 规章 10 20 30 | 行政规范性文件 1 2 3
    assert "".join(c.text for c in second) == "行政规范性文件123"
    for row, top in ((first, 150), (second, 170)):  # on the page's axes each row is level again
        assert all(abs(c.top - top) <= 1 for c in row)  # (turned by 2°, a row would tilt by 12 pt)
    assert all(s == 0.9 for s in page.scores) and page.height == 500


def test_a_box_takes_the_lowest_score_of_the_characters_it_holds() -> None:
    from extractor.document import Box

    chars = spread("18", (10, 10, 20, 20)) + spread("0", (40, 10, 45, 20))
    page = OcrPage(1, 100.0, chars, [0.95, 0.6, 0.99])
    scored = score_boxes([Box(0, 3, 1, (9, 9, 21, 21), "words"), Box(3, 5, 1, (39, 9, 46, 21), "words"),
                          Box(5, 6, 1, (60, 9, 70, 21), "words"), Box(6, 7, 2, (9, 9, 21, 21), "words")], [page])
    assert [b.ocr for b in scored] == [0.6, 0.99, None, None]  # a blank cell, another page: no score


def test_a_red_stamp_fades_into_the_paper_and_the_print_under_it_stays() -> None:
    page = Image.new("RGB", (300, 200), (214, 210, 200))
    draw = ImageDraw.Draw(page)
    draw.rectangle((100, 30, 120, 140), fill=(20, 20, 20))  # a digit's stroke, crossing the ring
    stamp = Image.new("RGB", page.size, "white")
    ImageDraw.Draw(stamp).ellipse((40, 40, 260, 180), outline=(220, 50, 50), width=12)
    from PIL import ImageChops

    grey = clean(ImageChops.multiply(page, stamp)).convert("L")
    paper = grey.getpixel((20, 20))
    assert abs(grey.getpixel((46, 110)) - paper) <= 12  # the ring, where it crosses nothing
    assert grey.getpixel((110, 46)) < 60  # the stroke, under the ring


def test_an_ocr_score_lowers_confidence_and_flags_a_cell_no_identity_confirms() -> None:
    assert ocr_confidence(0.95, 0.99, confirmed=False) == (pytest.approx(0.95 * 0.995), False)
    low, flagged = ocr_confidence(0.95, 0.5, confirmed=False)
    assert low < 0.75 and flagged
    assert ocr_confidence(0.95, 0.5, confirmed=True)[1] is False


def test_the_time_limit_grows_for_slow_pages() -> None:
    import time

    with time_limit(0.3):
        extend_time_limit(0.5)
        time.sleep(0.5)  # past the first limit, within the extended one
    with pytest.raises(DocumentTimeout, match="after 0.4 s"), time_limit(0.2):
        extend_time_limit(0.2)
        time.sleep(1)
    extend_time_limit(5)  # no limit armed: nothing happens


# ---------------------------------------------------------------- page images: one report, several files


def test_page_images_of_one_report_are_one_document(tmp_path: Path) -> None:
    for name in ("r_p1.png", "r_p2.png", "r_p10.png", "other.png", "q-page2.jpg", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    found = [p.name for p in discover([tmp_path])]
    assert found == ["notes.txt", "other.png", "q-page2.jpg", "r_p1.png"]  # a lone later page stands alone
    assert [p.name for p in page_files(tmp_path / "r_p1.png")] == ["r_p1.png", "r_p2.png", "r_p10.png"]
    assert page_files(tmp_path / "other.png") == [tmp_path / "other.png"]


# ---------------------------------------------------------------- without the extra


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine as it is without the [ocr] extra."""
    def missing() -> None:
        raise OcrUnavailable(MissingExtra.of(ImportError(name="rapidocr_onnxruntime"), "OCR").message)

    monkeypatch.setattr(ocr_engine, "_engine", missing)


@pytest.mark.parametrize(("fixture", "error", "reason"), [
    ("pdf_scan_no_text_layer.pdf", UnsupportedFormat, "no text layer: OCR is not supported"),
    ("pdf_cid_garbage.pdf", UndecodableText, "(cid:…)"),
    ("scan_pages_001/scan_001_p1.png", UnsupportedFormat, "a page image needs OCR"),
])
@pytest.mark.usefixtures("no_ocr")
def test_without_the_extra_a_scan_fails_as_before_naming_the_command(
        fixture: str, error: type[Exception], reason: str) -> None:
    with pytest.raises(error) as caught:
        load_bytes((FIXTURES / fixture).read_bytes(), name=Path(fixture).name)
    assert reason in str(caught.value) and HINT in str(caught.value)
    record = extract_file(FIXTURES / fixture)
    assert record.status == "failed" and HINT in (record.error or "")


@pytest.mark.usefixtures("no_ocr")
def test_without_the_extra_a_pdf_with_text_is_read_as_before() -> None:
    assert extract_file(FIXTURES / "pdf_000.pdf").status != "failed"


# ---------------------------------------------------------------- with the engine (a few pages: slow)


@pytest.fixture(scope="module")
def scanned() -> Record:
    return extract_file(SCANNED_PDF)


def test_a_scanned_pdf_round_trips_with_no_silent_error(scanned: Record) -> None:
    golden = load_golden(seed_doc("003"))
    assert scanned.status != "failed", scanned.error
    assert scanned.format == "pdf"
    assert silent_errors(scanned, golden) == []
    assert right_share(scanned, golden) >= 0.98


def test_a_scanned_cell_has_page_box_and_a_confidence_from_its_ocr_score(scanned: Record) -> None:
    cell = scanned.cells["t3.new.natural_person"]
    assert cell.evidence is not None and cell.evidence.page == 2 and cell.evidence.bbox is not None
    text_pdf = extract_file(FIXTURES / "pdf_003.pdf").cells["t3.new.natural_person"]
    assert cell.confidence < text_pdf.confidence
    assert 0 < cell.confidence < 1


def test_a_folder_of_page_images_is_one_report_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(PAGES), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert record["document"] == "scan_001_p1.png" and record["format"] == "image"
    golden = load_golden(seed_doc("001"))
    parsed = Record.model_validate(record)
    assert parsed.status != "failed", parsed.error
    assert silent_errors(parsed, golden) == []
    assert right_share(parsed, golden) >= 0.98
    pages = {c.evidence.page for c in parsed.cells.values() if c.evidence and c.evidence.page}
    assert pages >= {1, 2, 3}


def test_a_pdf_with_one_scanned_page_reads_that_page_by_ocr() -> None:
    from pypdf import PdfReader, PdfWriter

    source = (FIXTURES / "pdf_000.pdf").read_bytes()
    image = pypdfium2.PdfDocument(source)[1].render(scale=200 / 72).to_pil().convert("RGB")
    scan = io.BytesIO()
    image.save(scan, "PDF", resolution=200)
    writer = PdfWriter()
    text_pages, scanned_page = PdfReader(io.BytesIO(source)).pages, PdfReader(io.BytesIO(scan.getvalue())).pages
    for k, page in enumerate(text_pages):
        writer.add_page(scanned_page[0] if k == 1 else page)
    mixed = io.BytesIO()
    writer.write(mixed)
    doc = load_bytes(mixed.getvalue(), name="mixed.pdf")
    assert {b.page for b in doc.boxes if b.ocr is not None} == {2}
    record = extract_bytes(mixed.getvalue(), "mixed.pdf")
    golden = load_golden(seed_doc("000"))
    assert silent_errors(record, golden) == []
    assert right_share(record, golden) >= 0.98


def test_a_batch_waits_for_a_scan_as_long_as_its_pages_may_take() -> None:
    from extractor.read.ocr import OCR_PAGE_SECONDS
    from extractor.read.ocr_budget import ocr_allowance

    assert ocr_allowance(SCANNED_PDF) == 3 * OCR_PAGE_SECONDS
    assert ocr_allowance(PAGES / "scan_001_p1.png") == 3 * OCR_PAGE_SECONDS  # the report's three page files
    assert ocr_allowance(FIXTURES / "pdf_truncated.pdf") == 0  # unreadable: the worker says why
    assert ocr_allowance(FIXTURES / "docx_000.docx") == 0
