"""DOCX: merged cells as a true grid, every seed round-trips through the filled template, bad files fail cleanly."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from conftest import FIXTURES, GOLDENS, SEEDS, load_golden, same, seed_doc, silent_errors

from extractor.errors import UndecodableText, UnsupportedFormat
from extractor.pipeline import extract_bytes, extract_file
from extractor.read.docx import docx_to_text
from extractor.read.load import load_bytes
from extractor.render.office import OFFICE_LAYOUTS, render_docx

DOCX_LAYOUTS = [name for name, spec in OFFICE_LAYOUTS.items() if spec.format == "docx"]
FIXTURE_NAME = re.compile(r"^(?P<layout>.+)_(?P<seed>\d{3})\.docx$")


@pytest.mark.parametrize(("doc", "layout"), [(d, n) for d in SEEDS for n in DOCX_LAYOUTS])
def test_every_seed_round_trips_through_the_filled_template(doc: str, layout: str) -> None:
    golden = load_golden(doc)
    spec = OFFICE_LAYOUTS[layout]
    record = extract_bytes(render_docx(golden, spec), f"{doc[:3]}-{layout}.docx")
    assert record.status != "failed", record.error
    assert record.format == "docx"
    assert silent_errors(record, golden) == []
    if not spec.blank_zeros:
        wrong = [cid for cid, v in golden.items() if not same(record.cells[cid].value, v)]
        assert wrong == [], "a layout that loses nothing must round-trip exactly"


COMMITTED = sorted(p.name for p in FIXTURES.glob("*.docx") if FIXTURE_NAME.match(p.name))


def test_the_committed_docx_fixtures_cover_every_seed() -> None:
    seeds = {FIXTURE_NAME.match(n).group("seed") for n in COMMITTED}  # type: ignore[union-attr]
    assert seeds == {doc[:3] for doc in SEEDS}


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_docx_fixture_round_trips(name: str) -> None:
    m = FIXTURE_NAME.match(name)
    assert m is not None
    golden = load_golden(seed_doc(m.group("seed")))
    record = extract_file(FIXTURES / name)
    assert record.status != "failed", record.error
    assert silent_errors(record, golden) == []


def _merged_table_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "申请人情况"  # gridSpan
    table.cell(1, 0).merge(table.cell(2, 0)).text = "三、本年度办理结果"  # vMerge
    table.cell(1, 1).text = "（一）予以公开"
    table.cell(2, 1).text = "（二）部分公开"
    table.cell(1, 2).text = "5"
    cell = table.cell(2, 2)
    cell.text = "商业企"
    cell.add_paragraph("业")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_merged_cells_expand_into_a_true_grid() -> None:
    text = docx_to_text(_merged_table_docx())
    rows = [line.split("\t") for line in text.splitlines() if "\t" in line]
    assert rows[0][:2] == ["申请人情况", "申请人情况"]
    assert [r[0] for r in rows[1:]] == ["三、本年度办理结果", "三、本年度办理结果"]
    assert rows[1][1:3] == ["（一）予以公开", "5"]
    assert rows[2][2] == "商业企业", "lines of one cell join into one label"
    assert {len(r) for r in rows} == {4}


def test_vertical_labels_read_as_one_label() -> None:
    golden = load_golden(SEEDS[0])
    text = docx_to_text(render_docx(golden, OFFICE_LAYOUTS["docx_vertical_labels"]))
    assert "三、本年度办理结果\t（一）予以公开" in text
    assert "结果维持\t结果纠正" in text


@pytest.mark.parametrize(("data", "error", "words"), [
    ((FIXTURES / "docx_zip_of_something_else.docx").read_bytes(), UnsupportedFormat,
     "no word/document.xml"),
    (b"just some text, not a zip", UnsupportedFormat, "not a DOCX file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, UnsupportedFormat, "old binary Word .doc"),
])
def test_a_docx_that_is_not_one_raises_a_clear_input_error(
        data: bytes, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=re.escape(words)):
        load_bytes(data, name="report.docx")


def test_a_corrupt_docx_part_is_undecodable() -> None:
    good = _merged_table_docx()
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            dst.writestr(item, body[: len(body) // 2] if item.filename == "word/document.xml" else body)
    with pytest.raises(UndecodableText, match="corrupt DOCX"):
        load_bytes(out.getvalue(), name="broken.docx")


def test_the_zip_of_something_else_gives_a_failed_record(tmp_path: Path) -> None:
    record = extract_file(FIXTURES / "docx_zip_of_something_else.docx")
    assert record.status == "failed" and record.format == "docx"
    assert "not a Word document" in (record.error or "")


def test_the_render_command_writes_every_requested_layout(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from extractor.cli.render import render_cmd

    golden = next(p for p in (GOLDENS).glob("003_*.json"))
    result = CliRunner().invoke(render_cmd, [str(golden), "-o", str(tmp_path), "--layout", "tab",
                                             "--layout", "html", "--layout", "docx_vertical_labels"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == [f"{golden.stem}-docx_vertical_labels.docx", f"{golden.stem}-html.html",
                       f"{golden.stem}-tab.txt"]
    record = extract_file(tmp_path / f"{golden.stem}-docx_vertical_labels.docx")
    assert silent_errors(record, load_golden(golden.stem + ".txt")) == []


def test_a_paragraphs_text_joins_its_runs_with_or_without_tabs_and_breaks() -> None:
    """Runs (an empty one, NBSP, ideographic spaces) read the same whether or not the paragraph also holds a
    tab or a break; a tab stop in the paragraph's properties is not a tab."""
    from lxml import etree

    from extractor.read.docx import paragraph_text

    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    runs = ('<w:r><w:t>其中</w:t></w:r><w:r><w:t/></w:r><w:r><w:t xml:space="preserve"> 自然人\u00a0 '
            '\u3000申请</w:t></w:r>')
    tabs = '<w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>'

    def text(body: str) -> str:
        return paragraph_text(etree.fromstring(f'<w:p xmlns:w="{ns}">{body}</w:p>'))

    assert text(runs) == "其中 自然人 申请"
    assert text(tabs + runs) == "其中 自然人 申请"
    assert text(runs + "<w:r><w:tab/><w:t>5</w:t><w:br/><w:t>6</w:t></w:r>") == "其中 自然人 申请\t5\n6"
