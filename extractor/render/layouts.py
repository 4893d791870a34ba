"""Render a golden's cells as a report document in one of several layouts."""

from __future__ import annotations

import html as html_lib
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import opencc

from ..template import T3_COLUMNS, T4_CELLS, cells_for
from .labels import (
    APPLICANT_HEADERS,
    SECTION_HEADINGS,
    T3_NOTE,
    T3_PARENT,
    T4_COLUMN_LABELS,
    T4_HEADER_GROUPS,
    T4_HEADER_TOP,
    t3_labels,
)
from .tables import Cells, show_value, t2_table, t3_lines, t3_table, t4_table, t4_values, table_html

__all__ = ["LAYOUTS", "Cells", "Layout", "TextTables", "expected_cells", "finish_text", "render", "show_value",
           "text_tables"]


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str = "tab"
    """``tab``, ``pipe``, ``lines`` or ``html``."""
    blank_zeros: bool = False
    drop_blanks: bool = False
    traditional: bool = False
    pinyin: bool = False
    yuan: bool = False
    truncate_after: str | None = None
    """A table-三 row key: the document is cut off after this row."""
    encoding: str = "utf-8"
    chrome: bool = False
    repeat: bool = False
    """The page holds the report twice."""
    @property
    def suffix(self) -> str:
        return ".html" if self.kind == "html" else ".txt"


LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout("tab", "tab"),
        Layout("tab_blank_zeros", "tab", blank_zeros=True),
        Layout("pipe_dropped", "pipe", blank_zeros=True, drop_blanks=True),
        Layout("lines", "lines"),
        Layout("lines_dropped", "lines", blank_zeros=True, drop_blanks=True),
        Layout("traditional_lines", "lines", traditional=True, repeat=True),
        Layout("pinyin_pipe", "pipe", traditional=True, pinyin=True),
        Layout("html", "html", chrome=True),
        Layout("html_gbk_blank_zeros", "html", chrome=True, blank_zeros=True, encoding="gbk"),
        Layout("tab_yuan", "tab", yuan=True),
        Layout("tab_truncated", "tab", truncate_after="denied_state_secret"),
        Layout("gbk_text", "tab", encoding="gb18030"),
        Layout("utf16_text", "lines", encoding="utf-16"),
    )
}


def render(cells: Cells, layout: Layout) -> bytes:
    """The document bytes of a report holding ``cells`` in ``layout``."""
    edition = str(cells["meta.template"])
    if layout.kind == "html":
        text = _html_page(cells, edition, layout)
    else:
        text = _text_report(cells, edition, layout)
        if layout.repeat:
            text = text + "\n\n" + text
    if layout.traditional:
        text = _to_traditional(text)
    if layout.pinyin:
        text = _annotate_pinyin(text)
    return text.encode(layout.encoding)


def expected_cells(cells: Cells, layout: Layout) -> dict[str, object]:
    """The golden as this layout still conveys it: rows cut off by truncation become null."""
    out = dict(cells)
    if layout.truncate_after:
        edition = str(cells["meta.template"])
        keys = [k for k, _, _ in t3_labels(edition)]
        for key in keys[keys.index(layout.truncate_after) + 1:]:
            for col in T3_COLUMNS:
                out[f"t3.{key}.{col}"] = None
        for cell in T4_CELLS:  # the document ends inside table 三
            out[cell] = None
    return out


# ---------------------------------------------------------------- text layouts


def _narrative(cells: Cells) -> tuple[str, list[str]]:
    agency = cells.get("meta.agency")
    year = cells.get("meta.year")
    body = agency if agency else "本机关"
    title = f"{agency or ''}{year}年政府信息公开工作年度报告"
    one = [f"{year}年，{body}坚持以公开为常态、不公开为例外，认真贯彻落实《中华人民共和国政府信息公开条例》，"
           "持续推进政务公开工作，主动回应社会关切。"]
    return title, one


def _join_row(cells: list[str], layout: Layout) -> list[str]:
    """One table row in a text layout: a line, or (one cell per line) several."""
    if layout.drop_blanks:
        cells = [c for c in cells if c != ""]
    if layout.kind == "tab":
        return ["\t".join(cells)]
    if layout.kind == "pipe":
        return [" | ".join(cells) + " |"]
    return [c if c else "\u00a0" for c in cells]


class TextTables(NamedTuple):
    """The lines of the three tables in a text layout; ``t4`` is None where the layout cuts table 三 off."""

    t2: list[str]
    t3: list[str]
    t4: list[str] | None


def text_tables(cells: Cells, edition: str, layout: Layout) -> TextTables:
    t2: list[str] = []
    for row in t2_table(cells, edition, layout).texts():
        t2 += _join_row(row, layout)
    t3 = _join_row([T3_NOTE, "申请人情况"], layout)
    t3 += _join_row(["", "自然人", "法人或其他组织", "总计"], layout)
    t3 += _join_row(["", "", *APPLICANT_HEADERS[1:]], layout)
    parent_done = False
    last_group = ""
    for _, group, label, values in t3_lines(cells, edition, layout):
        labels = []
        if label.startswith("（") or group:
            if not parent_done:
                labels.append(T3_PARENT)
                parent_done = True
        if group and group != last_group:
            labels.append(group)
        last_group = group
        labels.append(label)
        t3 += _join_row([*labels, *values], layout)
    if layout.truncate_after:
        return TextTables(t2, t3, None)
    t4 = _join_row(list(T4_HEADER_TOP), layout)
    t4 += _join_row([*T4_COLUMN_LABELS, *T4_HEADER_GROUPS], layout)
    t4 += _join_row([*T4_COLUMN_LABELS, *T4_COLUMN_LABELS], layout)
    t4 += _join_row(t4_values(cells, layout), layout)
    return TextTables(t2, t3, t4)


def _text_report(cells: Cells, edition: str, layout: Layout) -> str:
    title, one = _narrative(cells)
    tables = text_tables(cells, edition, layout)
    out: list[str] = [title, "", SECTION_HEADINGS[0], *one, "", SECTION_HEADINGS[1], *tables.t2,
                      "", SECTION_HEADINGS[2], *tables.t3]
    if tables.t4 is None:
        return finish_text(out, layout)
    out += ["", SECTION_HEADINGS[3], *tables.t4]
    out += ["", SECTION_HEADINGS[4], "工作中仍存在公开内容不够丰富等问题，下一步将持续改进。", "",
            SECTION_HEADINGS[5], "无其他需要报告的事项。"]
    return finish_text(out, layout)


def finish_text(lines: list[str], layout: Layout) -> str:
    sep = "\n\n" if layout.kind == "lines" else "\n"
    return sep.join(lines) + "\n"


# ---------------------------------------------------------------- HTML


def _html_t3(cells: Cells, edition: str, layout: Layout) -> str:
    return table_html(t3_table(t3_lines(cells, edition, layout)))


def _html_t2(cells: Cells, edition: str, layout: Layout) -> str:
    return table_html(t2_table(cells, edition, layout))


def _html_t4(cells: Cells, layout: Layout) -> str:
    return table_html(t4_table(t4_values(cells, layout)))


def _html_page(cells: Cells, edition: str, layout: Layout) -> str:
    title, one = _narrative(cells)
    charset = {"gbk": "gbk", "gb18030": "gb18030"}.get(layout.encoding, "utf-8")
    body = [f"<h1>{html_lib.escape(title)}</h1>", f"<h2>{SECTION_HEADINGS[0]}</h2>",
            *(f"<p>{html_lib.escape(p)}</p>" for p in one),
            f"<h2>{SECTION_HEADINGS[1]}</h2>", _html_t2(cells, edition, layout),
            f"<h2>{SECTION_HEADINGS[2]}</h2>", _html_t3(cells, edition, layout)]
    if not layout.truncate_after:
        body += [f"<h2>{SECTION_HEADINGS[3]}</h2>", _html_t4(cells, layout),
                 f"<h2>{SECTION_HEADINGS[4]}</h2><p>下一步将持续改进。</p>",
                 f"<h2>{SECTION_HEADINGS[5]}</h2><p>无。</p>"]
    chrome_top = ("<nav><a href='/'>首页</a> | <a href='/zwgk'>政务公开</a> | "
                  "<a href='/bs'>办事服务</a> | <a href='/hd'>互动交流</a></nav>"
                  "<div class='crumb'>当前位置：首页 &gt; 政府信息公开年报</div>") if layout.chrome else ""
    chrome_bottom = ("<footer>主办单位：人民政府办公室 网站标识码 1234 ICP备案号 05000000号"
                     "</footer>") if layout.chrome else ""
    return (f"<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{html_lib.escape(title)}"
            f"</title><script>var x = '<table>';</script></head><body>{chrome_top}"
            f"<div class='article'>{''.join(body)}</div>{chrome_bottom}</body></html>")


# ---------------------------------------------------------------- scripts


@cache
def _s2t():  # type: ignore[no-untyped-def]
    return opencc.OpenCC("s2t")


def _to_traditional(text: str) -> str:
    return str(_s2t().convert(text))


_PINYIN = {"公": "gōng", "开": "kāi", "開": "kāi", "政": "zhèng", "府": "fǔ", "信": "xìn",
           "息": "xī", "申": "shēn", "请": "qǐng", "請": "qǐng", "理": "lǐ", "处": "chǔ",
           "處": "chǔ", "数": "shù", "數": "shù", "量": "liàng", "总": "zǒng", "總": "zǒng",
           "计": "jì", "計": "jì", "结": "jié", "結": "jié", "果": "guǒ", "维": "wéi",
           "維": "wéi", "持": "chí", "法": "fǎ", "人": "rén", "机": "jī", "機": "jī",
           "关": "guān", "關": "guān", "坚": "jiān", "堅": "jiān"}


def _annotate_pinyin(text: str) -> str:
    """Annotate characters as some sites do: 堅(jiān)持(chí)."""
    return "".join(f"{ch}({_PINYIN[ch]})" if ch in _PINYIN else ch for ch in text)



def blank_golden(edition: str, agency: str = "示例市教育局", year: int = 2022) -> dict[str, object]:
    """Every cell of an edition at 0, with meta filled: a starting point for generated reports."""
    out: dict[str, object] = {c: 0 for c in cells_for(edition)}
    out.update({"meta.agency": agency, "meta.year": year, "meta.template": edition})
    return out
