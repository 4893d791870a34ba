"""Each web layout has the properties it claims, read off the bytes it produces."""

from __future__ import annotations

import re
import sys

import lxml.html
import pytest
from conftest import SEEDS, load_golden
from corpus import WEB_SYNTHETIC, web_golden

from extractor.errors import ConfigError
from extractor.render import WEB_LAYOUTS, expected_web_cells, open_web_cells, render_web
from extractor.render.crawler import CHROME_SHARE, CHROME_TOOLS, CHROME_TOP
from extractor.render.labels import SECTION_HEADINGS, T3_PARENT, t3_labels
from extractor.render.markdown import to_markdown
from extractor.render.office import layout_names, render_layout
from extractor.render.prose import SECTION_NAMES, report_title
from extractor.render.word_html import TYPO_HEADING
from extractor.template import T3_COLUMNS, T4_CELLS

GOLDENS = [load_golden(doc) for doc in SEEDS] + [web_golden(*case) for case in WEB_SYNTHETIC]
EDITIONS = {str(g["meta.template"]) for g in GOLDENS}
INTRO = f"本报告包括{SECTION_NAMES}。"


def text(golden: dict[str, object], layout: str) -> str:
    return render_web(golden, WEB_LAYOUTS[layout]).decode("utf-8")


def shown(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def row_values(golden: dict[str, object], key: str) -> list[str]:
    return [shown(golden[f"t3.{key}.{c}"]) for c in T3_COLUMNS]


def t4_row(golden: dict[str, object]) -> list[str]:
    return [shown(golden[c]) for c in T4_CELLS]


def article(page: str) -> str:
    """The crawler page's article: the one line after the header that is not chrome."""
    body = page.split("==== 正文 ====\n", 1)[1].splitlines()
    lines = [line for line in body if line not in (CHROME_TOP, CHROME_TOOLS, CHROME_SHARE)]
    assert len(lines) == 1, lines
    return lines[0]


def test_both_editions_are_rendered() -> None:
    assert EDITIONS == {"2019", "2021"}


def test_every_web_layout_is_registered_and_renders_the_same_bytes_twice() -> None:
    assert set(WEB_LAYOUTS) <= set(layout_names())
    golden = GOLDENS[0]
    for name, spec in WEB_LAYOUTS.items():
        data, suffix = render_layout(golden, name)
        assert data == render_web(golden, spec) and suffix == spec.suffix
        assert expected_web_cells(golden, spec) == golden


# ---------------------------------------------------------------- crawler_flat


@pytest.mark.parametrize("layout", ["crawler_flat", "crawler_flat_spaces"])
def test_crawler_page_has_its_metadata_header_and_chrome(layout: str) -> None:
    for golden in GOLDENS:
        page = text(golden, layout)
        lines = page.splitlines()
        assert lines[0] == f"标题: {report_title(golden)}"
        assert re.fullmatch(r"发布时间: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d", lines[1])
        assert lines[2].startswith("来源: ") and lines[3].startswith("原文链接: https://")
        assert lines[4] == "==== 正文 ===="
        assert all(chrome in lines for chrome in (CHROME_TOP, CHROME_TOOLS, CHROME_SHARE))
        assert page.endswith("\n")


@pytest.mark.parametrize("layout", ["crawler_flat", "crawler_flat_spaces"])
def test_crawler_article_is_one_line_with_intro_contact_and_inline_headings(layout: str) -> None:
    for golden in GOLDENS:
        line = article(text(golden, layout))
        assert line.startswith(report_title(golden))
        assert INTRO in line
        assert re.search(r"联系电话0\d{2,3}-\d{8}）。", line)
        positions = [line.index(h) for h in SECTION_HEADINGS[:3]]
        assert positions == sorted(positions) and positions[0] > line.index(INTRO)
        assert re.search(r"。 ?一、总体情况 ?\d{4}年", line)


def test_crawler_flat_runs_each_t3_rows_digits_together_right_after_its_label() -> None:
    for golden in GOLDENS:
        line = article(text(golden, "crawler_flat"))
        assert "一、本年新收政府信息公开申请数量" + "".join(row_values(golden, "new")) in line
        if golden["t3.total.total"] is not None:
            assert "（七）总计" + "".join(row_values(golden, "total")) in line
        header = "申请人情况 ?自然人法人或其他组织总计 ?商业企业科研机构社会公益组织法律服务机构其他 ?一、本年新收"
        assert re.search(header, line)


def test_crawler_flat_prints_group_labels_once_and_zeros_as_0() -> None:
    for golden in GOLDENS:
        line = article(text(golden, "crawler_flat"))
        edition = str(golden["meta.template"])
        assert "三、本年度办理结果（一）予以公开" + "".join(row_values(golden, "granted")) in line
        assert "（三）不予公开1.属于国家秘密" in line and line.count("（三）不予公开") == 1
        if golden["t3.unavailable_not_held.total"] is not None:
            assert line.count("（四）无法提供") == 1
            sixth = "1.申请人无正当理由" if edition == "2021" else "".join(row_values(golden, "other"))
            assert "（六）其他处理" + sixth in line
    assert any("0000000" in article(text(g, "crawler_flat")) for g in GOLDENS)


def test_crawler_flat_joins_rows_with_nothing_or_one_space_and_section_four_as_one_run_or_spaced() -> None:
    seen_rows, seen_t4 = set(), set()
    for golden in GOLDENS:
        line = article(text(golden, "crawler_flat"))
        if golden["t3.denied_law_forbidden.total"] is None:
            continue  # the golden's table is cut off after 1.属于国家秘密
        secret = "1.属于国家秘密" + "".join(row_values(golden, "denied_state_secret"))
        after = line[line.index(secret) + len(secret):]
        seen_rows.add(after[:3] if after.startswith(" 2.") else after[:2])
        values = t4_row(golden)
        if golden["t4.review.total"] is not None:
            seen_t4 |= {sep for sep in ("", " ") if sep.join(values) in line}
    assert seen_rows == {"2.", " 2."}
    assert seen_t4 == {"", " "}


def test_crawler_flat_spaces_puts_stray_spaces_inside_digit_runs_and_labels() -> None:
    runs_spaced = labels_spaced = 0
    for golden in GOLDENS:
        line = article(text(golden, "crawler_flat_spaces"))
        edition = str(golden["meta.template"])
        for key, _, label in t3_labels(edition):
            if golden[f"t3.{key}.total"] is None:
                continue
            run = "".join(row_values(golden, key))
            if label + run not in line and re.search(re.escape(label) + " ?".join(map(re.escape, run)), line):
                runs_spaced += 1
            if label not in line:
                labels_spaced += 1
        assert line.replace(" ", "").count("三、本年度办理结果") == 1
    assert runs_spaced > 0 and labels_spaced > 0


def test_crawler_flat_gives_no_stray_spaces() -> None:
    for golden in GOLDENS:
        line = article(text(golden, "crawler_flat"))
        for key, _, label in t3_labels(str(golden["meta.template"])):
            if golden[f"t3.{key}.total"] is not None:
                assert label in line


def test_large_goldens_make_digit_runs_that_split_more_than_one_way() -> None:
    spec = WEB_LAYOUTS["crawler_flat"]
    open_t3 = {cid for case in WEB_SYNTHETIC if case[2]
               for cid in open_web_cells(web_golden(*case), spec) if cid.startswith("t3.")}
    assert open_t3
    assert all(not open_web_cells(g, WEB_LAYOUTS[name]) for g in GOLDENS
               for name in WEB_LAYOUTS if not name.startswith("crawler"))


# ---------------------------------------------------------------- html_fragment


def test_html_fragment_is_paragraphs_and_tables_with_no_page_around_them() -> None:
    for golden in GOLDENS:
        page = text(golden, "html_fragment")
        assert not re.search(r"<(html|head|body|!DOCTYPE)", page, re.I)
        assert page.startswith("<p")
        assert f"{report_title(golden)}</strong>\t</p>" in page
        assert re.search(r"<p[^>]*>本报告根据[^<]*" + re.escape(INTRO), page)
        assert 'rowspan="' in page and 'colspan="' in page
        tables = lxml.html.fragment_fromstring(page, create_parent="div").findall(".//table")
        assert len(tables) == (3 if golden["t4.review.total"] is not None else 2)
        new = "".join(row_values(golden, "new"))
        assert re.search(r"<span[^>]*>(&nbsp;)*" + new[0], page)
        assert re.search(r"<span[^>]*>(?:&nbsp;)+\d+(?:&nbsp;)*</span>|<span[^>]*>\d+(?:&nbsp;)+</span>", page)


# ---------------------------------------------------------------- word_html


def grid(table: lxml.html.HtmlElement) -> list[list[lxml.html.HtmlElement]]:
    """The table's rows with rowspan/colspan expanded: each slot holds the ``<td>`` covering it."""
    out: list[list[lxml.html.HtmlElement]] = []
    pending: dict[tuple[int, int], lxml.html.HtmlElement] = {}
    for r, tr in enumerate(table.findall(".//tr")):
        row: list[lxml.html.HtmlElement] = []
        for td in tr.findall("td"):
            while (r, len(row)) in pending:
                row.append(pending.pop((r, len(row))))
            for _ in range(int(td.get("colspan", "1"))):
                for down in range(1, int(td.get("rowspan", "1"))):
                    pending[(r + down, len(row))] = td
                row.append(td)
        while (r, len(row)) in pending:
            row.append(pending.pop((r, len(row))))
        out.append(row)
    return out


def squash(el: lxml.html.HtmlElement) -> str:
    return re.sub(r"\s", "", el.text_content())


def test_word_html_has_word_markup() -> None:
    for golden in GOLDENS:
        page = text(golden, "word_html")
        assert "class=WordSection1" in page and "<p class=MsoNormal" in page
        assert "class=TRS_Editor" in page or 'content="Microsoft Word' in page
        assert "style='text-indent:" in page
        assert INTRO.replace("。", "") in re.sub(r"<[^>]+>", "", page).replace("。", "")
        assert "结<br>果<br>维<br>持" in page and "总<br>计" in page
        assert "<tr></tr>" in page or "<tr height=0>" in page


def test_word_html_draws_the_commercial_column_two_grid_columns_wide() -> None:
    for golden in GOLDENS:
        doc = lxml.html.document_fromstring(text(golden, "word_html"))
        t3 = next(t for t in doc.iter("table") if "商业企业" in t.text_content())
        rows = [r for r in grid(t3) if r]
        assert {len(r) for r in rows} == {11}
        header = next(td for td in t3.iter("td") if squash(td) == "商业企业")
        assert header.get("colspan") == "2"
        printed = [k for k, _, _ in t3_labels(str(golden["meta.template"])) if golden[f"t3.{k}.total"] is not None]
        values = [r for r in rows if re.fullmatch(r"\d+", squash(r[-1]))]
        assert len(values) == len(printed)
        for key, row in zip(printed, values, strict=True):
            assert [squash(td) for td in row[3:]] == [v for i, v in enumerate(row_values(golden, key))
                                                       for _ in range(2 if i == 1 else 1)]
            assert row[4] is row[5] and row[4].get("colspan") == "2"


def test_word_html_breaks_labels_across_paragraphs_spans_and_nbsp() -> None:
    typo = br = nbsp_inside = 0
    for golden in GOLDENS:
        page = text(golden, "word_html")
        doc = lxml.html.document_fromstring(page)
        parent = next(td for td in doc.iter("td") if squash(td).replace("\xa0", "") == T3_PARENT)
        assert [squash(p) for p in parent.findall("p")] == ["三、本", "年度办", "理结果"]
        typo += TYPO_HEADING in re.sub(r"<[^>]+>", "", page)
        br += "<br/>" in page
        nbsp_inside += bool(re.search(r"[\u4e00-\u9fff]</span><span lang=EN-US[^>]*>&nbsp; </span><span", page))
    assert 0 < typo < len(GOLDENS)
    assert br > 0 and nbsp_inside > 0


# ---------------------------------------------------------------- Markdown


def test_markdown_layouts_have_bold_or_atx_headings_and_pipe_tables_from_both_sources() -> None:
    sources = set()
    for golden in GOLDENS:
        for layout, rule in (("markdown_html2text", r"^---\|---"), ("markdown_markdownify", r"^\| --- \|")):
            md = text(golden, layout)
            heading = " ?".join(SECTION_HEADINGS[0])  # html2text puts a space between Word's runs
            atx = re.search(rf"^#+ {heading}$", md, re.M)
            bold = re.search(rf"^\*\*{heading}\*\*$", md, re.M)
            assert atx or bold
            sources.add("word" if bold else "html")
            assert re.search(rule, md, re.M)
            assert "<td" not in md and "<p" not in md
            values = row_values(golden, "new")
            cells = r"\s*\|(?:\s*\|)*\s*".join(values)
            label = r"\s*".join("一、本年新收政府信息公开申请数量")  # Word's runs (and &nbsp;) split it
            assert re.search(label + r"\s*\|(?:\s*\|)*\s*" + cells, md)
    assert sources == {"word", "html"}


def test_markdownify_keeps_empty_cells() -> None:
    assert all(re.search(r"\| \| \|", text(g, "markdown_markdownify")) for g in GOLDENS)


def test_markdown_without_its_library_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "markdownify", None)
    with pytest.raises(ConfigError, match=r"pip install 'nianbao\[dev\]'"):
        to_markdown("<p>x</p>", "markdownify")


# ---------------------------------------------------------------- no headings


def test_no_headings_prints_the_three_tables_and_no_section_heading() -> None:
    for golden in GOLDENS:
        for layout in ("no_headings", "html_no_headings"):
            page = text(golden, layout)
            assert not any(h in page for h in SECTION_HEADINGS)
            assert report_title(golden) in page
        lines = text(golden, "no_headings").splitlines()
        new = lines.index("\t".join(["一、本年新收政府信息公开申请数量", *row_values(golden, "new")]))
        assert lines.index("第二十条第（一）项") < new
        if golden["t4.review.total"] is not None:
            assert lines.index("\t".join(t4_row(golden))) > new
        html = text(golden, "html_no_headings")
        assert not re.search(r"<h\d", html)
        assert html.count("<table") == (3 if golden["t4.review.total"] is not None else 2)
