"""The browser renderer: the page a user prints (site chrome, narrow label columns) and a clear error
without Chromium. The PDFs themselves are checked by ``tests/read/test_pdf_variants.py``."""

from __future__ import annotations

import lxml.html
import pytest
from conftest import SEEDS, load_golden

from extractor.errors import ConfigError
from extractor.render import browser_pdf
from extractor.render.browser_pdf import BROWSER_LAYOUTS, page_html, render_browser_pdf
from extractor.render.office import layout_names


def test_every_browser_layout_is_registered_and_prints_an_html_layout() -> None:
    assert set(BROWSER_LAYOUTS) <= set(layout_names())
    golden = load_golden(SEEDS[0])
    for name, spec in BROWSER_LAYOUTS.items():
        page = page_html(golden, spec)
        assert page == page_html(golden, spec), f"{name}: a golden prints the same page every time"
        root = lxml.html.document_fromstring(page)
        assert root.findtext(".//title").endswith("政府信息公开工作年度报告"), name
        assert "政府信息公开年报" in root.text_content(), f"{name}: the site's chrome is printed too"


def test_label_columns_are_narrow_so_long_labels_wrap() -> None:
    golden = load_golden(SEEDS[0])
    root = lxml.html.document_fromstring(page_html(golden, BROWSER_LAYOUTS["browser_pdf_word_html"]))
    t3 = next(t for t in root.iter("table") if "申请人情况" in t.text_content())
    cols = t3.find("colgroup").findall("col")
    widths = [float(c.get("style").removeprefix("width:").removesuffix("em")) for c in cols if c.get("style")]
    assert len(widths) == 3 and max(widths) < 4, "three label columns, none four characters wide"
    assert len(cols) == 11, "the Word page draws 商业企业 over two grid columns"


def test_a_fragment_is_printed_inside_a_sites_page() -> None:
    golden = load_golden(SEEDS[0])
    page = page_html(golden, BROWSER_LAYOUTS["browser_pdf_html_fragment"])
    assert page.startswith("<!DOCTYPE html>") and "当前位置" in page and "网站标识码" in page


def test_without_chromium_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser_pdf, "chromium", lambda: None)
    with pytest.raises(ConfigError, match=r"Chromium is not installed: run \.ci/install-browser\.sh"):
        render_browser_pdf(load_golden(SEEDS[0]), BROWSER_LAYOUTS["browser_pdf_html"])
