"""Render a golden's cells as a report document in one of several layouts."""

from __future__ import annotations

import html as html_lib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import opencc

from ..template import T3_COLUMNS, T4_CELLS, cells_for
from .labels import (
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

Cells = Mapping[str, object]


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


# ---------------------------------------------------------------- values


def _show(value: object, layout: Layout, cell: str = "") -> str:
    return show_value(value, cell, blank_zeros=layout.blank_zeros, yuan=layout.yuan)


def show_value(value: object, cell: str = "", *, blank_zeros: bool, yuan: bool) -> str:
    """A golden value as a report prints it: blank for null (or 0, if zeros are blank), 元 if asked."""
    if value is None or (value == 0 and blank_zeros):
        return ""
    if cell.endswith(".amount") and yuan and isinstance(value, int | float):
        amount = round(float(value) * 10000, 2)
        return f"{int(amount) if amount.is_integer() else amount}元"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _t3_rows(cells: Cells, edition: str, layout: Layout) -> list[tuple[str, str, list[str]]]:
    rows = []
    for key, group, label in t3_labels(edition):
        raw = [cells.get(f"t3.{key}.{c}") for c in T3_COLUMNS]
        if all(v is None for v in raw):
            break  # the golden's table is cut off here: so is the rendered one
        rows.append((group, label, [_show(v, layout) for v in raw]))
        if key == layout.truncate_after:
            break
    return rows


def _t2_rows(cells: Cells, edition: str, layout: Layout) -> list[list[str]]:
    rows: list[list[str]] = []
    for heading, headers, items in T2_BLOCKS[edition]:
        rows.append([heading])
        head = list(headers)
        if layout.yuan:
            head = [h.replace("（单位：万元）", "") for h in head]
        rows.append(["信息内容", *head])
        for key, label, cols in items:
            rows.append([label, *(_show(cells.get(f"t2.{key}.{c}"), layout, f"t2.{key}.{c}")
                                  for c in cols)])
    return rows


def _t4_values(cells: Cells, layout: Layout) -> list[str]:
    return [_show(cells.get(c), layout) for c in T4_CELLS]


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


def _text_report(cells: Cells, edition: str, layout: Layout) -> str:
    title, one = _narrative(cells)
    out: list[str] = [title, "", SECTION_HEADINGS[0], *one, "", SECTION_HEADINGS[1]]
    for row in _t2_rows(cells, edition, layout):
        out += _join_row(row, layout)
    out += ["", SECTION_HEADINGS[2]]
    out += _join_row([T3_NOTE, "申请人情况"], layout)
    out += _join_row(["", "自然人", "法人或其他组织", "总计"], layout)
    out += _join_row(["", "", *APPLICANT_HEADERS[1:]], layout)
    parent_done = False
    rows = _t3_rows(cells, edition, layout)
    last_group = ""
    for group, label, values in rows:
        labels = []
        if label.startswith("（") or group:
            if not parent_done:
                labels.append(T3_PARENT)
                parent_done = True
        if group and group != last_group:
            labels.append(group)
        last_group = group
        labels.append(label)
        out += _join_row([*labels, *values], layout)
    if layout.truncate_after:
        return _finish(out, layout)
    out += ["", SECTION_HEADINGS[3]]
    out += _join_row(list(T4_HEADER_TOP), layout)
    out += _join_row([*T4_COLUMN_LABELS, *T4_HEADER_GROUPS], layout)
    out += _join_row([*T4_COLUMN_LABELS, *T4_COLUMN_LABELS], layout)
    out += _join_row(_t4_values(cells, layout), layout)
    out += ["", SECTION_HEADINGS[4], "工作中仍存在公开内容不够丰富等问题，下一步将持续改进。", "",
            SECTION_HEADINGS[5], "无其他需要报告的事项。"]
    return _finish(out, layout)


def _finish(lines: list[str], layout: Layout) -> str:
    sep = "\n\n" if layout.kind == "lines" else "\n"
    return sep.join(lines) + "\n"


# ---------------------------------------------------------------- HTML


def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs}>{html_lib.escape(text)}</td>"


def _html_t3(cells: Cells, edition: str, layout: Layout) -> str:
    rows = _t3_rows(cells, edition, layout)
    trs = [
        _td(T3_NOTE, rowspan=3, colspan=3) + _td("申请人情况", colspan=7),
        _td("自然人", rowspan=2) + _td("法人或其他组织", colspan=5) + _td("总计", rowspan=2),
        "".join(_td(h) for h in APPLICANT_HEADERS[1:]),
    ]
    outcome_rows = [r for r in rows if r[1].startswith("（") and r[1] != "（七）总计" or r[0]]
    parent_open = False
    group_sizes: dict[str, int] = {}
    for group, _, _ in rows:
        if group:
            group_sizes[group] = group_sizes.get(group, 0) + 1
    seen_groups: set[str] = set()
    for group, label, values in rows:
        tds = ""
        in_outcomes = (group or label.startswith("（")) and label != "（七）总计"
        if in_outcomes and not parent_open:
            tds += _td(T3_PARENT, rowspan=len(outcome_rows))
            parent_open = True
        if group:
            if group not in seen_groups:
                tds += _td(group, rowspan=group_sizes[group])
                seen_groups.add(group)
            tds += _td(label)
        elif in_outcomes:
            tds += _td(label, colspan=2)
        else:
            tds += _td(label, colspan=3)
        tds += "".join(_td(v) for v in values)
        trs.append(tds)
    return "<table border=\"1\">" + "".join(f"<tr>{t}</tr>" for t in trs) + "</table>"


def _html_t2(cells: Cells, edition: str, layout: Layout) -> str:
    trs = []
    for row in _t2_rows(cells, edition, layout):
        if len(row) == 1:
            trs.append(_td(row[0], colspan=4))
        else:
            span = 4 - len(row) + 1
            trs.append("".join(_td(c) for c in row[:-1]) + _td(row[-1], colspan=span))
    return "<table border=\"1\">" + "".join(f"<tr>{t}</tr>" for t in trs) + "</table>"


def _html_t4(cells: Cells, layout: Layout) -> str:
    trs = [
        _td(T4_HEADER_TOP[0], colspan=5) + _td(T4_HEADER_TOP[1], colspan=10),
        "".join(_td(c, rowspan=2) for c in T4_COLUMN_LABELS)
        + _td(T4_HEADER_GROUPS[0], colspan=5) + _td(T4_HEADER_GROUPS[1], colspan=5),
        "".join(_td(c) for c in T4_COLUMN_LABELS * 2),
        "".join(_td(v) for v in _t4_values(cells, layout)),
    ]
    return "<table border=\"1\">" + "".join(f"<tr>{t}</tr>" for t in trs) + "</table>"


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
