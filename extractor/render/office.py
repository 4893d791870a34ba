"""Office layouts: a golden → the national Word template filled in (DOCX), and → PDF via LibreOffice.

The 2021 template (``data/report-template-2021.docx``) is filled cell by cell;
for a 2019-edition golden its section 二 table is rebuilt from the 2019
labels and its three （六） rows become the single （六）其他处理 row.
Variations: blank zeros, amounts in 元, vertical labels (one character a
line), a page break inside table 三 with its header repeated, and a table
with no rules at all (text placed by position only).
"""

from __future__ import annotations

import copy
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import docx
from docx.oxml.ns import qn

from ..errors import ConfigError
from ..template import T3_COLUMNS, T4_CELLS
from .browser_pdf import BROWSER_LAYOUTS, render_browser_pdf
from .cut import CUT_LAYOUTS, fixed_cut, marked_document, render_cut
from .docx_xml import (
    Element,
    cells,
    keep_rows_whole,
    mark_header_rows,
    page_number_footer,
    remove_rules,
    row_like,
    rows,
    run_props,
    set_direction,
    set_paragraph_text,
    set_text,
)
from .labels import T2_BLOCKS, t3_labels
from .layouts import LAYOUTS, Cells, render, show_value
from .odd import ODD_LAYOUTS, render_odd
from .office_tables import header_first_t2, merge_other_other, narrow_t3_labels
from .web import WEB_LAYOUTS, render_web

TEMPLATE = "data/report-template-2021.docx"
CUT_PREFIX = "cut_"
T3_HEADER_ROWS = 3
_T3_ROW_INDEX = {key: T3_HEADER_ROWS + i for i, (key, _, _) in enumerate(t3_labels("2021"))}


@dataclass(frozen=True)
class OfficeLayout:
    name: str
    format: Literal["docx", "pdf"]
    blank_zeros: bool = False
    yuan: bool = False
    vertical_labels: bool = False
    """三、本年度办理结果, the （三）… groups and the 四 headers printed one character a line."""
    rotated_labels: bool = False
    """三、本年度办理结果 turned to read bottom to top, the （三）… groups top to bottom."""
    page_break_in_t3: bool = False
    """Table 三 starts half way down its page, so a page break falls inside it; its header repeats."""
    ruled: bool = True
    """False: no borders or shading, so a PDF reader must place the words by position."""
    centred: bool = False
    """With ``ruled=False``: cells keep their vertical centring, so a wrapped label's middle line holds
    the row's values (else text sits at the top of its cell)."""
    merged_labels: bool = False
    """Section 二 opens with its column header, its labels merged across two grid columns; table 三's
    labels wrap in narrow cells; （六）'s 3.其他 is merged across the group column (``office_tables``)."""
    @property
    def suffix(self) -> str:
        return "." + self.format


OFFICE_LAYOUTS: dict[str, OfficeLayout] = {
    layout.name: layout
    for layout in (
        OfficeLayout("docx", "docx"),
        OfficeLayout("docx_blank_zeros_yuan", "docx", blank_zeros=True, yuan=True),
        OfficeLayout("docx_vertical_labels", "docx", vertical_labels=True),
        OfficeLayout("pdf", "pdf"),
        OfficeLayout("pdf_blank_zeros_yuan", "pdf", blank_zeros=True, yuan=True),
        OfficeLayout("pdf_vertical_labels", "pdf", vertical_labels=True),
        OfficeLayout("pdf_rotated_labels", "pdf", rotated_labels=True),
        OfficeLayout("pdf_page_break_in_table3", "pdf", page_break_in_t3=True),
        OfficeLayout("pdf_no_rules", "pdf", ruled=False),
        OfficeLayout("docx_merged_labels", "docx", merged_labels=True),
        OfficeLayout("pdf_merged_labels", "pdf", merged_labels=True),
        OfficeLayout("pdf_merged_labels_no_rules", "pdf", merged_labels=True, ruled=False, centred=True),
    )
}


def template_bytes() -> bytes:
    return resources.files("extractor").joinpath(TEMPLATE).read_bytes()


def render_office(cells: Cells, layout: OfficeLayout) -> bytes:
    """The DOCX or PDF bytes of the template filled with ``cells``."""
    data = render_docx(cells, layout)
    return docx_to_pdf(data) if layout.format == "pdf" else data


# ---------------------------------------------------------------- values


def _show(value: object, layout: OfficeLayout, cell: str = "") -> str:
    return show_value(value, cell, blank_zeros=layout.blank_zeros, yuan=layout.yuan)


# ---------------------------------------------------------------- DOCX


def render_docx(cells: Cells, layout: OfficeLayout) -> bytes:
    document = docx.Document(io.BytesIO(template_bytes()))
    edition = str(cells["meta.template"])
    body = document.element.body
    paragraphs = [el for el in body if el.tag == qn("w:p")]
    agency, year = cells.get("meta.agency"), cells.get("meta.year")
    set_paragraph_text(paragraphs[1], f"{agency or ''}{year}年政府信息公开工作年度报告")
    fillers = iter((f"{year}年，{agency or '本机关'}坚持以公开为常态、不公开为例外，认真贯彻落实"
                    "《中华人民共和国政府信息公开条例》，持续推进政务公开工作，主动回应社会关切。",
                    "工作中仍存在公开内容不够丰富等问题，下一步将持续改进。",
                    "无其他需要报告的事项。"))
    for p in paragraphs:
        if "".join(t.text or "" for t in p.iter(qn("w:t"))).startswith("（文字描述"):
            set_paragraph_text(p, next(fillers))
    t2, t3, t4 = (t._tbl for t in document.tables)
    rpr = run_props(cells_of(t2, 0)[0])
    if layout.merged_labels:
        header_first_t2(t2, edition, rpr, lambda c: _show(cells.get(c), layout, c),
                        lambda h: h.replace("（单位：万元）", "") if layout.yuan else h)
    else:
        _fill_t2(t2, cells, edition, layout, rpr)
    _fill_t3(t3, cells, edition, layout, rpr)
    _fill_t4(t4, cells, layout, rpr)
    if layout.page_break_in_t3:
        _push_t3_down(body, t3, paragraphs[4])
        mark_header_rows(t3, T3_HEADER_ROWS)
        keep_rows_whole(t3)
    if not layout.ruled:
        for tbl in (t2, t3, t4):
            remove_rules(tbl, top=not layout.centred)
    page_number_footer(document.sections[0].footer.paragraphs[0]._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def cells_of(tbl: Element, row: int) -> list[Element]:
    return cells(rows(tbl)[row])


def _fill_t2(tbl: Element, values: Cells, edition: str, layout: OfficeLayout,
             rpr: Element | None) -> None:
    heading, header, item = (copy.deepcopy(tr) for tr in rows(tbl)[:3])
    for tr in rows(tbl):
        tbl.remove(tr)
    for title, headers, items in T2_BLOCKS[edition]:
        tr = copy.deepcopy(heading)
        set_text(cells(tr)[0], title, rpr)
        tbl.append(tr)
        shown = [h.replace("（单位：万元）", "") if layout.yuan else h for h in headers]
        tbl.append(row_like(header, ["信息内容", *shown], rpr, 4))
        for key, label, cols in items:
            texts = [_show(values.get(f"t2.{key}.{c}"), layout, f"t2.{key}.{c}") for c in cols]
            tbl.append(row_like(item, [label, *texts], rpr, 4))


def _fill_t3(tbl: Element, values: Cells, edition: str, layout: OfficeLayout,
             rpr: Element | None) -> None:
    template_rows = rows(tbl)
    keep = template_rows[:T3_HEADER_ROWS]
    for key, _, _ in t3_labels(edition):
        row_values = [values.get(f"t3.{key}.{c}") for c in T3_COLUMNS]
        if all(v is None for v in row_values):
            break  # the golden's table is cut off here: so is the rendered one
        if key == "other":  # 2019: one （六）其他处理 row, shaped like （二）部分公开
            tr = copy.deepcopy(template_rows[_T3_ROW_INDEX["partial"]])
            set_text(cells(tr)[1], "（六）其他处理", rpr)
        else:
            tr = template_rows[_T3_ROW_INDEX[key]]
        for tc, v in zip(cells(tr)[-len(T3_COLUMNS):], row_values, strict=True):
            set_text(tc, _show(v, layout), rpr, center=True)
        keep.append(tr)
    for tr in template_rows:
        tbl.remove(tr)
    for tr in keep:
        tbl.append(tr)
    if layout.merged_labels:
        if edition == "2021" and template_rows[_T3_ROW_INDEX["other_other"]] in keep:
            merge_other_other(template_rows[_T3_ROW_INDEX["other_other"]])
        narrow_t3_labels(tbl)
    if layout.vertical_labels:
        _verticalise_t3(tbl, rpr)
    if layout.rotated_labels:
        _rotate_t3(tbl)


def _verticalise_t3(tbl: Element, rpr: Element | None) -> None:
    """The merged label cells of table 三 printed one character a line."""
    for tr in rows(tbl)[T3_HEADER_ROWS:]:
        tcs = cells(tr)
        for tc in tcs[:2]:
            merge = tc.find(qn("w:tcPr")).find(qn("w:vMerge"))
            restarts = merge is not None and merge.get(qn("w:val")) == "restart"
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            if restarts and text:
                set_text(tc, text, rpr, one_char_a_line=True)
    header = cells_of(tbl, 2)
    for tc in header:
        text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
        if text == "商业企业":
            set_text(tc, "商业企\n业", rpr, center=True)


def _rotate_t3(tbl: Element) -> None:
    """The merged label cells turned: the parent reads upwards (btLr), the groups downwards (tbRl)."""
    for tr in rows(tbl)[T3_HEADER_ROWS:]:
        for i, tc in enumerate(cells(tr)[:2]):
            merge = tc.find(qn("w:tcPr")).find(qn("w:vMerge"))
            if merge is not None and merge.get(qn("w:val")) == "restart":
                set_direction(tc, "btLr" if i == 0 else "tbRl")


def _fill_t4(tbl: Element, values: Cells, layout: OfficeLayout, rpr: Element | None) -> None:
    for tc, cell in zip(cells_of(tbl, 3), T4_CELLS, strict=True):
        set_text(tc, _show(values.get(cell), layout), rpr, center=True)
    if layout.vertical_labels:
        for r in (1, 2):
            for tc in cells_of(tbl, r):
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                if len(text) == 4 and text.startswith(("结果", "其他", "尚未")):
                    set_text(tc, text, rpr, center=True, one_char_a_line=True)


def _push_t3_down(body: Element, t3: Element, narrative: Element, lines: int = 6) -> None:
    """Paragraphs before section 三 push table 三 down its page, so a page break falls inside it."""
    heading = next(el for el in reversed(list(body)[:list(body).index(t3)])
                   if "".join(t.text or "" for t in el.iter(qn("w:t"))).startswith("三、"))
    for i in range(lines):
        p = copy.deepcopy(narrative)
        set_paragraph_text(p, f"（{i + 1}）本机关依法依规做好政府信息公开工作，按时完成各项任务。")
        heading.addprevious(p)


# ---------------------------------------------------------------- PDF


def soffice() -> str | None:
    """The LibreOffice binary, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, timeout: float = 180.0) -> bytes:
    """Convert DOCX bytes to PDF with LibreOffice headless (a private profile, so runs don't clash)."""
    binary = soffice()
    if binary is None:
        raise ConfigError("LibreOffice is not installed: run .ci/install-office.sh "
                          "(apt-get install libreoffice-writer-nogui fonts-wqy-zenhei)")
    with tempfile.TemporaryDirectory(prefix="nianbao-soffice-") as tmp:
        folder = Path(tmp)
        src = folder / "report.docx"
        src.write_bytes(data)
        profile = (folder / "profile").as_uri()
        env = {**os.environ, "HOME": tmp}
        proc = subprocess.run(
            [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(folder), str(src)],
            capture_output=True, timeout=timeout, env=env, check=False)
        pdf = folder / "report.pdf"
        if not pdf.exists():
            raise ConfigError(f"LibreOffice did not convert the document (exit {proc.returncode}): "
                              f"{proc.stderr.decode(errors='replace')[-400:]}")
        return pdf.read_bytes()


# ---------------------------------------------------------------- every layout


def layout_names() -> list[str]:
    """Every layout a golden can be rendered in: the text and HTML ones, DOCX and PDF, the web ones, web
    pages printed to PDF by Chromium, the odd ones, then each text layout cut off (``cut_<layout>``, at
    ``cut.fixed_cut``)."""
    return [*LAYOUTS, *OFFICE_LAYOUTS, *WEB_LAYOUTS, *BROWSER_LAYOUTS, *ODD_LAYOUTS,
            *(CUT_PREFIX + name for name in CUT_LAYOUTS)]


def renders(cells: Cells, name: str) -> bool:
    """Whether the named layout renders this golden: an odd layout may take one edition only."""
    odd = ODD_LAYOUTS.get(name)
    return odd is None or str(cells.get("meta.template")) in odd.editions


def render_layout(cells: Cells, name: str) -> tuple[bytes, str]:
    """The document in the named layout, and its file suffix.

    Raises ValueError for an odd layout of the other edition (``OddLayout.editions``).
    """
    if name.startswith(CUT_PREFIX) and name.removeprefix(CUT_PREFIX) in CUT_LAYOUTS:
        layout = name.removeprefix(CUT_PREFIX)
        return render_cut(cells, layout, fixed_cut(marked_document(cells, layout))).data, ".txt"
    if name in ODD_LAYOUTS:
        odd = ODD_LAYOUTS[name]
        return render_odd(cells, odd), odd.suffix
    if name in OFFICE_LAYOUTS:
        office = OFFICE_LAYOUTS[name]
        return render_office(cells, office), office.suffix
    if name in WEB_LAYOUTS:
        web = WEB_LAYOUTS[name]
        return render_web(cells, web), web.suffix
    if name in BROWSER_LAYOUTS:
        printed = BROWSER_LAYOUTS[name]
        return render_browser_pdf(cells, printed), printed.suffix
    text = LAYOUTS[name]
    return render(cells, text), text.suffix
