"""Real PDF layouts round-trip: merged, wrapped and cut labels (LibreOffice), web pages printed by Chromium.

The committed fixtures are read without LibreOffice or Chromium. With them
installed, every seed is rendered afresh in every variant; under CI a missing
renderer is a failure, not a skip (as in the browser test of the review page).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pdfplumber
import pytest
from conftest import FIXTURES, SEEDS, load_golden, same, seed_doc

from extractor.pipeline import extract_bytes, extract_file
from extractor.read.load import load_bytes
from extractor.read.pdf_rules import find_ruled_tables
from extractor.records import Record
from extractor.render.browser_pdf import BROWSER_LAYOUTS, chromium, render_browser_pdf
from extractor.render.office import OFFICE_LAYOUTS, render_office, soffice

OFFICE_VARIANTS = sorted(n for n, spec in OFFICE_LAYOUTS.items() if spec.merged_labels and spec.format == "pdf")
VARIANTS = [*OFFICE_VARIANTS, *BROWSER_LAYOUTS]
FIXTURE_NAME = re.compile(r"^(?P<layout>.+)_(?P<seed>\d{3})\.pdf$")
COMMITTED = sorted(p.name for p in FIXTURES.glob("*.pdf")
                   if (m := FIXTURE_NAME.match(p.name)) and m.group("layout") in VARIANTS)


def mistakes(record: Record, golden: dict[str, object]) -> tuple[list[str], list[str]]:
    """(silent errors, every wrong cell) of a record against its golden."""
    wrong = [c for c, v in golden.items() if not same(record.cells[c].value, v)]
    return [c for c in wrong if not record.cells[c].flags], wrong


def read_fixture(name: str) -> tuple[Record, dict[str, object]]:
    m = FIXTURE_NAME.match(name)
    assert m is not None
    return extract_file(FIXTURES / name), load_golden(seed_doc(m.group("seed")))


def test_every_class_of_variant_has_committed_fixtures() -> None:
    layouts = {FIXTURE_NAME.match(n).group("layout") for n in COMMITTED}  # type: ignore[union-attr]
    assert set(OFFICE_VARIANTS) <= layouts
    assert len(layouts & set(BROWSER_LAYOUTS)) >= 4
    editions = {load_golden(seed_doc(FIXTURE_NAME.match(n).group("seed")))["meta.template"]  # type: ignore[union-attr]
                for n in COMMITTED}
    assert editions == {"2019", "2021"}


@pytest.mark.parametrize("name", COMMITTED)
def test_committed_variant_round_trips_exactly(name: str) -> None:
    record, golden = read_fixture(name)
    assert record.status != "failed", record.error
    silent, wrong = mistakes(record, golden)
    assert silent == []
    assert wrong == [], "these layouts lose nothing: every cell must be read right"


# ---------------------------------------------------------------- what the fixtures exhibit


def test_a_browser_header_and_footer_are_not_report_text() -> None:
    doc = load_bytes((FIXTURES / "browser_pdf_html_002.pdf").read_bytes(), name="x.pdf")
    with pdfplumber.open(FIXTURES / "browser_pdf_html_002.pdf") as pdf:
        printed = "\n".join(page.extract_text() for page in pdf.pages)
    assert "file://" in printed.replace("ﬁ", "fi") and re.search(r"\d+/\d+/\d+, \d+:\d\d", printed)
    assert "file://" not in doc.raw and "ﬁle://" not in doc.raw
    assert not re.search(r"\d+/\d+/\d+, \d+:\d\d|\b\d/\d\n", doc.raw)
    golden = load_golden(seed_doc("002"))
    title = f"{golden['meta.agency']}{golden['meta.year']}年政府信息公开工作年度报告"
    assert printed.count(title) > 1 and doc.raw.count(title) == 1, "the title heads every printed page"


def test_rows_cut_by_a_page_break_with_no_rule_are_joined() -> None:
    with pdfplumber.open(FIXTURES / "browser_pdf_html_002.pdf") as pdf:
        cut = [t for page in pdf.pages for t in find_ruled_tables(page) if t.open_bottom]
    assert cut, "the fixture cuts rows of table 三 at page breaks"
    record, golden = read_fixture("browser_pdf_html_002.pdf")
    pages = {record.cells[f"t3.{row}.total"].evidence.page for row in ("new", "total")}  # type: ignore[union-attr]
    assert len(pages) == 2 and mistakes(record, golden) == ([], [])


def test_a_row_cut_with_rules_drawn_at_the_cut_is_one_row() -> None:
    doc = load_bytes((FIXTURES / "pdf_merged_labels_001.pdf").read_bytes(), name="x.pdf")
    assert "\t7.属于行政执法案\t" in doc.raw and "\t卷\t" in doc.raw, "LibreOffice cut the row in two"
    record, golden = read_fixture("pdf_merged_labels_001.pdf")
    for column in ("natural_person", "total"):
        cell = record.cells[f"t3.denied_enforcement_file.{column}"]
        assert cell.value == golden[f"t3.denied_enforcement_file.{column}"] and cell.flags == []
        assert cell.evidence is not None and cell.evidence.page == 2, "the values lie in the upper half"


def test_labels_wrapped_in_narrow_cells_stay_with_their_values() -> None:
    doc = load_bytes((FIXTURES / "pdf_merged_labels_no_rules_000.pdf").read_bytes(), name="x.pdf")
    assert not any(b.source == "ruled" for b in doc.boxes)
    for label in ("1.本机关不掌握相关政府信息\t11\t", "2.其他法律行政法规禁止公开\t0\t", "3.其他\t0\t",
                  "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t1\t", "四、结转下年度继续办理\t0\t"):
        assert label in doc.raw, label


def test_section_two_with_its_header_first_and_merged_labels() -> None:
    doc = load_bytes((FIXTURES / "pdf_merged_labels_003.pdf").read_bytes(), name="x.pdf")
    two = doc.raw[doc.raw.index("二、主动公开"):doc.raw.index("三、收到和处理")]
    rows = [line.split("\t") for line in two.splitlines() if "\t" in line]
    assert rows[0][:2] == ["信息内容", "本年新制作数量"], "the column header opens the table"
    assert rows[1][0] == "第二十条第（一）项" and rows[2][0] == "规章" and rows[3][0] == "规范性文件"


# ---------------------------------------------------------------- rendered afresh


def _renderer(find: Callable[[], str | None], what: str) -> None:
    if find() is None:
        if os.environ.get("CI"):
            pytest.fail(f"the variant round trip must run in CI: {what} is not installed")
        pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def fresh() -> dict[tuple[str, str], bytes]:
    """Every seed in every variant, rendered by whichever renderers are installed (in parallel)."""
    jobs = [(doc, name) for doc in SEEDS for name in VARIANTS
            if (name in BROWSER_LAYOUTS and chromium()) or (name in OFFICE_LAYOUTS and soffice())]

    def render(job: tuple[str, str]) -> bytes:
        doc, name = job
        golden = load_golden(doc)
        if name in BROWSER_LAYOUTS:
            return render_browser_pdf(golden, BROWSER_LAYOUTS[name])
        return render_office(golden, OFFICE_LAYOUTS[name])

    with ThreadPoolExecutor(4) as pool:
        return dict(zip(jobs, pool.map(render, jobs), strict=True))


@pytest.mark.parametrize(("doc", "layout"), [(d, n) for d in SEEDS for n in VARIANTS])
def test_every_seed_round_trips_through_every_variant(doc: str, layout: str,
                                                      fresh: dict[tuple[str, str], bytes]) -> None:
    if layout in BROWSER_LAYOUTS:
        _renderer(chromium, "Chromium (.ci/install-browser.sh)")
    else:
        _renderer(soffice, "LibreOffice (.ci/install-office.sh)")
    golden = load_golden(doc)
    record = extract_bytes(fresh[(doc, layout)], f"{doc[:3]}-{layout}.pdf")
    assert record.status != "failed", record.error
    silent, wrong = mistakes(record, golden)
    assert silent == []
    assert wrong == []
