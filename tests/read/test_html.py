"""HTML: the report found inside real-world pages by its structure, and the markup of CMSs and editors.

Each document is written the way a site or an editor writes it (a CMS
fragment, a Word or WPS export, a rich-text editor, a page laid out with
tables …); the full reports carry a seed golden's numbers, and must come back
with every cell equal to the golden, or flagged.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
import pytest
from conftest import SEEDS, load_golden, same, silent_errors

from extractor.pipeline import extract_bytes
from extractor.read.html import html_table_rows, html_to_text
from extractor.records import Record
from extractor.render import LAYOUTS, render
from extractor.render.labels import (
    APPLICANT_HEADERS,
    SECTION_HEADINGS,
    T2_BLOCKS,
    T3_NOTE,
    T3_PARENT,
    T4_COLUMN_LABELS,
    T4_HEADER_GROUPS,
    T4_HEADER_TOP,
    t3_labels,
)
from extractor.template import T3_COLUMNS, T4_CELLS

# ---------------------------------------------------------------- the report's tables, cell by cell


@dataclass(frozen=True)
class C:
    """One cell of a report table as the page writes it."""

    text: str
    rowspan: int = 1
    colspan: int = 1


Rows = list[list[C]]
Td = Callable[[C], str]


def seed(prefix: str) -> dict[str, object]:
    return load_golden(next(doc for doc in SEEDS if doc.startswith(prefix)))


def shown(value: object) -> str:
    if value is None:
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def table_2(g: dict[str, object]) -> Rows:
    rows: Rows = []
    for heading, headers, items in T2_BLOCKS[str(g["meta.template"])]:
        rows.append([C(heading, colspan=4)])
        rows.append([C("信息内容"), *(C(h) for h in headers[:-1]), C(headers[-1], colspan=4 - len(headers))])
        for key, label, cols in items:
            values = [shown(g[f"t2.{key}.{c}"]) for c in cols]
            rows.append([C(label), *(C(v) for v in values[:-1]), C(values[-1], colspan=4 - len(cols))])
    return rows


def table_3(g: dict[str, object], commercial_span: int = 1) -> Rows:
    """The 25×7 table; ``commercial_span=2`` writes every 商业企业 cell ``colspan=2``, as some sites do."""
    k = commercial_span
    rows: Rows = [[C(T3_NOTE, rowspan=3, colspan=3), C("申请人情况", colspan=6 + k)],
                  [C("自然人", rowspan=2), C("法人或其他组织", colspan=4 + k), C("总计", rowspan=2)],
                  [C(APPLICANT_HEADERS[1], colspan=k), *(C(h) for h in APPLICANT_HEADERS[2:])]]
    labels = t3_labels(str(g["meta.template"]))
    cut = next((i for i, (key, _, _) in enumerate(labels)
                if all(g[f"t3.{key}.{c}"] is None for c in T3_COLUMNS)), len(labels))
    labels = labels[:cut]  # the golden's table is cut off here: so is the page's
    outcomes = [key for key, group, label in labels if group or label.startswith("（") and key != "total"]
    sizes: dict[str, int] = {}
    for _, group, _ in labels:
        sizes[group] = sizes.get(group, 0) + 1
    for key, group, label in labels:
        cells: list[C] = []
        if key == outcomes[0]:
            cells.append(C(T3_PARENT, rowspan=len(outcomes)))
        if group and key == next(k2 for k2, g2, _ in labels if g2 == group):
            cells.append(C(group, rowspan=sizes[group]))
        span = 1 if group else 2 if key in outcomes else 3
        cells.append(C(label, colspan=span))
        values = [shown(g[f"t3.{key}.{c}"]) for c in T3_COLUMNS]
        rows.append([*cells, C(values[0]), C(values[1], colspan=k), *(C(v) for v in values[2:])])
    return rows


def table_4(g: dict[str, object]) -> Rows:
    return [[C(T4_HEADER_TOP[0], colspan=5), C(T4_HEADER_TOP[1], colspan=10)],
            [*(C(c, rowspan=2) for c in T4_COLUMN_LABELS), *(C(h, colspan=5) for h in T4_HEADER_GROUPS)],
            [C(c) for c in T4_COLUMN_LABELS * 2],
            [C(shown(g[c])) for c in T4_CELLS]]


def spans(c: C) -> str:
    return (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
        f' colspan="{c.colspan}"' if c.colspan > 1 else "")


def plain_td(c: C) -> str:
    return f"<td{spans(c)}>{html_lib.escape(c.text)}</td>"


def table(rows: Rows, td: Td = plain_td, attrs: str = ' border="1" cellspacing="0"') -> str:
    return f"<table{attrs}><tbody>" + "".join(
        "<tr>" + "".join(td(c) for c in row) + "</tr>\n" for row in rows) + "</tbody></table>\n"


def title_of(g: dict[str, object]) -> str:
    return f"{g['meta.agency'] or ''}{g['meta.year']}年政府信息公开工作年度报告"


INTRO = ("本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、"
         "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。")


def report(g: dict[str, object], heading: Callable[[str], str], para: Callable[[str], str],
           tables: Callable[[Rows], str], t3: Rows | None = None, intro: str = "") -> str:
    """The report's body: headings, a paragraph a section, the three tables."""
    return "".join([
        para(intro) if intro else "",
        heading(SECTION_HEADINGS[0]), para(f"{g['meta.year']}年，本机关持续推进政务公开工作。"),
        heading(SECTION_HEADINGS[1]), tables(table_2(g)),
        heading(SECTION_HEADINGS[2]), tables(t3 if t3 is not None else table_3(g)),
        heading(SECTION_HEADINGS[3]), tables(table_4(g)),
        heading(SECTION_HEADINGS[4]), para("公开内容不够丰富，下一步将持续改进。"),
        heading(SECTION_HEADINGS[5]), para("无其他需要报告的事项。")])


CHROME_TOP = ("<div class='header'><a href='/'>某市人民政府</a> <a href='/zwgk'>政务公开</a></div>"
              "<div class='crumb'>当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>")
CHROME_SIDE = ("<div class='left'><h3>信息公开目录</h3><table><tr><td><a href='/1'>行政许可</a></td>"
               "<td><a href='/2'>行政处罚</a></td></tr><tr><td><a href='/3'>行政强制</a></td>"
               "<td><a href='/4'>行政事业性收费</a></td></tr></table><p>热点：行政复议 政府信息公开指南</p></div>")
CHROME_FOOT = "<div class='footer'>主办单位：某市人民政府办公室 网站标识码 1234 ICP备05000000号</div>"


def assert_reads_back(page: bytes, g: dict[str, object]) -> Record:
    """The page extracts to the golden: nothing failed, nothing wrong and unflagged, nothing flagged either."""
    record = extract_bytes(page, "x.html")
    assert record.status != "failed", record.error
    assert silent_errors(record, g) == []
    assert [cid for cid, v in g.items() if not same(record.cells[cid].value, v)] == []
    return record


def p(text: str) -> str:
    return f"<p>{html_lib.escape(text)}</p>\n"


def article(g: dict[str, object], body: str) -> bytes:
    """A plain page: the report under its <h1> title, between the site's chrome."""
    return (f"<html><body>{CHROME_TOP}<div class='article'><h1>{title_of(g)}</h1>{body}</div>{CHROME_FOOT}"
            "</body></html>").encode()


# ---------------------------------------------------------------- 1. finding the body


def test_an_opening_paragraph_naming_every_section_is_not_the_body() -> None:
    g = seed("000")
    body = report(g, lambda h: f"<p><strong>{h}</strong></p>\n", p, table, intro=INTRO)
    page = (f"<!DOCTYPE html><html><head><title>{title_of(g)}</title></head><body>{CHROME_TOP}"
            f"<div class='main'>{CHROME_SIDE}<div class='article'><h1>{title_of(g)}</h1>"
            f"<div class='info'>发布日期：2023-01-13 来源：办公室</div><div class='content'>{body}</div>"
            f"</div></div>{CHROME_FOOT}</body></html>")
    text = html_to_text(page)
    assert text.startswith(title_of(g))
    assert "\n一、总体情况\n" in text and "\n（七）总计\t" in text
    assert "网站标识码" not in text and "热点" not in text and "行政强制\t行政事业性收费" not in text
    assert_reads_back(page.encode(), g)


def test_a_page_laid_out_with_tables_reads_the_nested_report_tables_as_grids() -> None:
    g = seed("001")
    body = report(g, p, p, table)
    page = (f"<html><body><table width='1000'><tr><td colspan='2'>{CHROME_TOP}</td></tr>"
            f"<tr><td width='200'>{CHROME_SIDE}</td><td><table width='100%'><tr><td align='center'>"
            f"<b>{title_of(g)}</b></td></tr><tr><td>{body}</td></tr></table></td></tr>"
            f"<tr><td colspan='2'>{CHROME_FOOT}</td></tr></table></body></html>")
    text = html_to_text(page)
    assert text.startswith(title_of(g))
    assert "\n二、上年结转政府信息公开申请数量\t" in text
    assert "网站标识码" not in text
    assert_reads_back(page.encode(), g)


def test_a_township_page_printing_only_the_tables_keeps_the_tables_and_the_text_around_them() -> None:
    g = seed("000")
    page = (f"<html><body>{CHROME_TOP}<div class='main'>{CHROME_SIDE}<div class='con'>"
            f"<p>某镇2022年政府信息公开工作年度报告</p><p>现将本镇2022年政府信息公开工作情况报告如下。</p>"
            f"<div class='tb'>{table(table_2(g))}{table(table_3(g))}{table(table_4(g))}</div>"
            f"<p>特此报告。</p></div></div>{CHROME_FOOT}</body></html>")
    text = html_to_text(page)
    assert text.startswith("某镇2022年政府信息公开工作年度报告\n")
    assert "特此报告" in text and "\n行政许可\t4303" in text
    assert "网站标识码" not in text and "热点" not in text


def test_a_page_without_headings_or_report_tables_keeps_its_whole_body() -> None:
    page = ("<html><body><div class='top'>某区政务网</div><div class='c'><p>2022年度报告</p>"
            "<p>本年度收到申请5件，均已办结。</p></div><div class='foot'>联系我们</div></body></html>")
    assert html_to_text(page) == "某区政务网\n\n2022年度报告\n\n本年度收到申请5件，均已办结。\n\n联系我们\n"


def test_a_title_just_above_the_report_is_kept() -> None:
    page = ("<html><body><div class='nav2'>首页</div><div class='art'><div class='tit'>某局2022年政府信息公开"
            "工作年度报告</div><div class='src'>来源：办公室</div><div class='txt'><p>一、总体情况</p>"
            "<p>本年度…</p><p>二、主动公开政府信息情况</p></div></div></body></html>")
    text = html_to_text(page)
    assert text.startswith("某局2022年政府信息公开工作年度报告\n\n一、总体情况\n")
    assert "首页" not in text and "来源" not in text


# ---------------------------------------------------------------- 2. the markup of CMSs and editors


def test_a_cms_fragment_of_paragraphs_with_a_tab_after_the_title() -> None:
    g = seed("004")
    body = report(g, lambda h: f'<p style="text-indent: 2em;"><strong>{h}</strong></p>\n',
                  lambda t: f'<p style="text-indent: 2em;">{html_lib.escape(t)}</p>\n', table)
    fragment = (f'<p style="text-align: center;"><span style="font-size: 22px;">{title_of(g)}</span>\t</p>\t\n'
                + body)
    assert html_to_text(fragment).startswith(title_of(g) + "\n")
    assert_reads_back(fragment.encode(), g)


WORD_HEAD = ("<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" "
             "xmlns:w=\"urn:schemas-microsoft-com:office:word\"><head><meta http-equiv=Content-Type "
             "content=\"text/html; charset=gb2312\"><meta name=Generator content=\"Microsoft Word 15\">"
             "<style><!-- p.MsoNormal {margin:0cm; font-family:等线;} --></style><!--[if gte mso 9]><xml>"
             "<w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]--></head>"
             "<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>")


def word_td(c: C) -> str:
    """A Word cell: a MsoNormal paragraph, the text in spans, a number in an EN-US span, Word's line wrap."""
    if not c.text:
        inner = "<span lang=EN-US><o:p>&nbsp;</o:p></span>"
    elif c.text.isdigit():
        inner = f"<span lang=EN-US style='font-size:10.5pt'>{c.text}<o:p></o:p></span>"
    else:
        text = html_lib.escape(c.text)
        if len(text) > 12:  # Word wraps its HTML source inside long text
            text = text[:12] + "\r\n" + text[12:]
        inner = f"<span style='font-size:10.5pt;font-family:宋体'>{text}</span><span lang=EN-US><o:p></o:p></span>"
    return (f"<td width=57{spans(c)} valign=top style='width:42.55pt;border:solid windowtext 1.0pt;"
            f"padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal align=center style='text-align:center'>"
            f"{inner}</p></td>")


def word_heading(h: str) -> str:
    """A Word list paragraph: the numeral comes from the list, inside <![if !supportLists]>."""
    numeral, rest = h.split("、", 1)
    return (f"<p class=MsoListParagraph style='margin-left:32.0pt;text-indent:-32.0pt;mso-list:l0 level1 lfo1'>"
            f"<![if !supportLists]><b><span lang=EN-US style='font-family:黑体'>{numeral}、<span "
            f"style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span></span></b><![endif]><b>"
            f"<span style='font-family:黑体'>{rest}</span></b><b><span lang=EN-US><o:p></o:p></span></b></p>\n")


def word_para(t: str) -> str:
    return (f"<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt;font-family:仿宋'>"
            f"{html_lib.escape(t)}</span></p>\n")


def word_table(rows: Rows) -> str:
    return table(rows, word_td, " class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 "
                                "style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt'")


def wps_td(c: C) -> str:
    text = html_lib.escape(c.text) or "&nbsp;"
    return (f"<td width=\"71\" valign=\"center\"{spans(c)} style=\"border:1.00pt solid rgb(0,0,0);\">"
            f"<p class=\"MsoNormal\" align=\"center\"><span style=\"font-family:宋体;font-size:10.5pt;\">"
            f"<font face=\"宋体\">{text}</font></span></p></td>")


@pytest.mark.parametrize("wrapper", ["WordSection1", "TRS_Editor", "none", "wps"])
def test_a_word_or_wps_export_reads_back(wrapper: str) -> None:
    g = seed("000")
    title = f"<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt'>" \
            f"{title_of(g)}</span></b></p>\n"
    if wrapper == "wps":
        body = title + report(g, lambda h: f'<p class="MsoNormal"><b><span>{h}</span></b></p>\n', word_para,
                              lambda rows: table(rows, wps_td, ' border="1" cellspacing="0" style='
                                                 '"border-collapse:collapse;border:none;"'))
        page = "<html><head><meta name=\"Generator\" content=\"WPS Office\"></head><body>" + body
    else:
        body = title + report(g, word_heading, word_para, word_table)
        page = WORD_HEAD + (body if wrapper == "none" else f"<div class={wrapper}>{body}</div>")
    page += "</body></html>"
    assert_reads_back(page.encode("gb18030"), g)


def test_a_rich_text_editor_page_with_css_borders() -> None:
    g = seed("003")

    def td(c: C) -> str:
        return (f'<td{spans(c)} style="border: 1px solid rgb(0, 0, 0); padding: 5px; word-break: break-all;">'
                f"{html_lib.escape(c.text) or '<br>'}</td>")

    body = report(g, lambda h: f'<p style="text-indent:2em;"><span style="font-weight: bold;">{h}</span></p>',
                  lambda t: f'<p style="text-indent:2em;">{html_lib.escape(t)}<br></p>',
                  lambda rows: table(rows, td, ' style="border-collapse: collapse; width: 100%;"'))
    page = f"<html><body>{CHROME_TOP}<div class='ql-editor'><h2>{title_of(g)}</h2>{body}</div>{CHROME_FOOT}"
    assert_reads_back(page.encode(), g)


def broken_td(c: C) -> str:
    """A label broken into <p>s of three characters with &nbsp; runs; a number in a padded span."""
    if c.text.isdigit():
        return f"<td{spans(c)}><p><span>&nbsp;&nbsp;{c.text}&nbsp;&nbsp;</span></p></td>"
    chunks = [c.text[i:i + 3] for i in range(0, len(c.text), 3)] or [""]
    return f"<td{spans(c)}>" + "".join(
        f"<p><span>{html_lib.escape(ch)}</span><span>&nbsp;&nbsp;&nbsp;</span></p>\n" for ch in chunks) + "</td>"


def test_labels_broken_across_paragraphs_and_spans_are_one_clean_cell() -> None:
    cell = lxml.html.fragment_fromstring(
        "<table><tr><td rowspan='2'><p>三、本</p>\n<p>&nbsp;年度办&nbsp;&nbsp;</p><p>理结果</p></td>"
        "<td><p>法人或其</p><p>他组织</p></td><td>本年新收政府信息<br/>公开申请数量</td></tr>"
        "<tr><td><span>&nbsp;&nbsp;18&nbsp;</span></td><td><span>结果</span>&nbsp;<span>维持</span></td></tr>"
        "</table>")
    assert html_table_rows(cell) == [["三、本年度办理结果", "法人或其他组织", "本年新收政府信息公开申请数量"],
                                     ["三、本年度办理结果", "18", "结果维持"]]
    g = seed("001")
    assert_reads_back(article(g, report(g, p, p, lambda rows: table(rows, broken_td))), g)


def test_a_commercial_column_spanning_two_grid_columns_is_one_column() -> None:
    g = seed("000")
    t3 = lxml.html.fragment_fromstring(table(table_3(g, commercial_span=2)))
    rows = html_table_rows(t3)
    assert {len(r) for r in rows} == {10}
    assert rows[2][3:] == list(APPLICANT_HEADERS) + ["总计"]
    assert rows[3] == ["一、本年新收政府信息公开申请数量"] * 3 + ["18", "0", "0", "0", "0", "0", "18"]
    assert_reads_back(article(g, report(g, p, p, table, t3=table_3(g, commercial_span=2))), g)


def test_a_commercial_column_spanning_two_columns_despite_words_spacer_row() -> None:
    # Word ends a table with a spacer row of one empty cell per grid column: it is no evidence of a column
    g = seed("000")
    spacer = "<tr height=0>" + "<td width=64 style='border:none'></td>" * 11 + "</tr>"
    html = table(table_3(g, commercial_span=2)).replace("</tbody>", spacer + "</tbody>")
    rows = html_table_rows(lxml.html.fragment_fromstring(html))
    assert rows[3] == ["一、本年新收政府信息公开申请数量"] * 3 + ["18", "0", "0", "0", "0", "0", "18"]


def test_a_number_merged_across_columns_stands_once() -> None:
    t = lxml.html.fragment_fromstring(
        "<table><tr><td>信息内容</td><td>采购项目数量</td><td>采购总金额</td><td>备注</td></tr>"
        "<tr><td>政府集中采购</td><td></td><td colspan='2'>3.65</td></tr></table>")
    assert html_table_rows(t) == [["信息内容", "采购项目数量", "采购总金额", "备注"], ["政府集中采购", "", "3.65"]]


def test_a_header_spanning_distinct_columns_keeps_them() -> None:
    t = lxml.html.fragment_fromstring(
        "<table><tr><td colspan='2'>申请人情况</td></tr><tr><td>5</td><td>5</td></tr></table>")
    assert html_table_rows(t) == [["申请人情况", "申请人情况"], ["5", "5"]]


@pytest.mark.parametrize("one_per_line", ["<br>", "<p>"])
def test_table_four_headers_written_one_character_per_line(one_per_line: str) -> None:
    def td(c: C) -> str:
        if c.text in T4_COLUMN_LABELS:
            chars = one_per_line.join(c.text) if one_per_line == "<br>" else "".join(f"<p>{ch}</p>" for ch in c.text)
            return f"<td{spans(c)}>{chars}</td>"
        return plain_td(c)

    g = seed("003")
    rows = html_table_rows(lxml.html.fragment_fromstring(table(table_4(g), td)))
    assert rows[2] == list(T4_COLUMN_LABELS) * 3
    assert_reads_back(article(g, report(g, p, p, lambda r: table(r, td))), g)


def test_an_empty_row_and_a_row_of_nbsp_shift_nothing() -> None:
    g = seed("000")

    def padded(rows: Rows) -> str:
        html = table(rows)
        head_end = html.index("</tr>", html.index("</tr>", html.index("</tr>") + 1) + 1) + len("</tr>")
        return (html[:head_end] + "<tr></tr>" + html[head_end:]).replace(
            "</tbody>", "<tr>" + "<td>&nbsp;</td>" * 10 + "</tr></tbody>")

    assert_reads_back(article(g, report(g, p, p, padded)), g)


def test_headings_in_a_table_cell_or_in_bold_running_into_the_paragraph_are_heading_lines() -> None:
    g = seed("004")
    t3 = [[C(SECTION_HEADINGS[2], colspan=10)], *table_3(g)]
    body = (f"<p><b>{SECTION_HEADINGS[0]}</b>本年度，本机关持续推进政务公开工作。</p>"
            f"<table><tr><td>{SECTION_HEADINGS[1]}</td></tr></table>{table(table_2(g))}"
            f"{table(t3)}<p><span style='font-weight:bold'>{SECTION_HEADINGS[3]}</span></p>{table(table_4(g))}"
            f"<p><strong>{SECTION_HEADINGS[4]}</strong>下一步将持续改进。</p><p>{SECTION_HEADINGS[5]}</p><p>无。</p>")
    page = article(g, body)
    lines = html_to_text(page.decode()).splitlines()
    assert [h for h in SECTION_HEADINGS if h not in lines] == []
    assert_reads_back(page, g)


# ---------------------------------------------------------------- 3. <pre>, <br>, XHTML


@pytest.mark.parametrize("doc", SEEDS)
def test_report_text_inside_pre_keeps_its_lines_and_tabs(doc: str) -> None:
    g = load_golden(doc)
    text = render(g, LAYOUTS["tab"]).decode()
    page = f"<html><body>{CHROME_TOP}<div class='article'><pre>{html_lib.escape(text)}</pre></div>{CHROME_FOOT}"
    assert "\n一、本年新收政府信息公开申请数量\t" in html_to_text(page)
    assert_reads_back(page.encode(), g)


def test_br_breaks_a_paragraph_into_lines_but_a_cell_stays_one_label() -> None:
    page = ("<html><body><p>一、总体情况<br>本年度，本机关<br/>持续推进政务公开。</p>"
            "<table><tr><td><p>本年新收政府</p><br><p>信息公开申请数量</p></td><td>18</td></tr>"
            "<tr><td>自然人</td><td>1</td></tr></table></body></html>")
    assert html_to_text(page) == ("一、总体情况\n本年度，本机关\n持续推进政务公开。\n\n"
                                  "本年新收政府信息公开申请数量\t18\n自然人\t1\n")


def test_an_xhtml_page_with_an_xml_declaration_is_read() -> None:
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml">'
            "<body><h1>某局2022年政府信息公开工作年度报告</h1><p>一、总体情况</p></body></html>")
    assert html_to_text(page) == "某局2022年政府信息公开工作年度报告\n\n一、总体情况\n"


def test_the_text_outside_links_keeps_tails_and_drops_link_and_comment_text() -> None:
    import lxml.html

    from extractor.read.html_table import _text_outside_links

    root = lxml.html.fragment_fromstring(
        "<table><tr><td>自然人<a href='#'>行政<b>许可</b></a>尾<!-- 注释 -->法人</td></tr></table>")
    assert _text_outside_links(root) == "自然人尾法人"
    assert _text_outside_links(root.find(".//a")) == ""
    link = lxml.html.fragment_fromstring("<a href='#'>链接</a>")
    link.append(lxml.html.fragment_fromstring("<table><tr><td>商业企业</td></tr></table>"))
    assert _text_outside_links(link.find(".//table")) == "商业企业"  # a table inside a link is read
