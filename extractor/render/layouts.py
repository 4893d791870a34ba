"""Render a golden's cells as a report document in one of several layouts."""

from __future__ import annotations

import html as html_lib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import opencc

from ..template import T3_COLUMNS, T4_CELLS, cells_for
from .labels import (
    SECTION_HEADINGS,
    t3_labels,
)
from .spans import Marked, Role, join, piece
from .tables import Cells, show_value, t2_table, t3_lines, t3_table, t4_table, t4_values, table_html
from .text_rows import Row, add_row, t2_rows, t3_header, t3_rows, t4_rows

__all__ = ["LAYOUTS", "Cells", "Layout", "TableRows", "TextTables", "expected_cells", "finish_text", "marked_report",
           "narrative", "render", "report_lines", "show_value", "table_rows", "text_tables", "to_traditional",
           "write_rows", "write_tables"]


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str = "tab"
    """``tab``, ``pipe``, ``lines`` (blank cells as NBSP lines, a blank line between cells), ``lines_blank``
    (one cell a line, blank cells as empty lines) or ``html``."""
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
        if layout.traditional:
            text = to_traditional(text)
        if layout.pinyin:
            text = _annotate_pinyin(text)
        return text.encode(layout.encoding)
    return marked_report(cells, layout).text.encode(layout.encoding)


def marked_report(cells: Cells, layout: Layout) -> Marked:
    """A text layout's document as text, with the span of every cell it prints (``spans.py``)."""
    if layout.kind == "html":
        raise ValueError(f"{layout.name} is an HTML layout: its cells have no spans in text")
    text = _text_report(cells, str(cells["meta.template"]), layout)
    if layout.repeat:
        text = text + "\n\n" + text
    if layout.traditional:
        text = text.converted(to_traditional)
    if layout.pinyin:
        text = text.expanded([_pinyin(ch) for ch in text.text])
    return text


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


def narrative(cells: Cells) -> tuple[str, list[str]]:
    """The title and section 一's paragraph of the plain text and HTML layouts."""
    agency = cells.get("meta.agency")
    year = cells.get("meta.year")
    body = agency if agency else "本机关"
    title = f"{agency or ''}{year}年政府信息公开工作年度报告"
    one = [f"{year}年，{body}坚持以公开为常态、不公开为例外，认真贯彻落实《中华人民共和国政府信息公开条例》，"
           "持续推进政务公开工作，主动回应社会关切。"]
    return title, one


class TableRows(NamedTuple):
    """The rows of the three tables, cell by cell, before a layout writes them; ``t4`` as in ``TextTables``."""

    t2: list[Row]
    t3: list[Row]
    t4: list[Row] | None


class TextTables(NamedTuple):
    """The lines of the three tables in a text layout; ``t4`` is None where the layout cuts table 三 off."""

    t2: list[Marked]
    t3: list[Marked]
    t4: list[Marked] | None


def table_rows(cells: Cells, edition: str, layout: Layout) -> TableRows:
    t2 = t2_rows(t2_table(cells, edition, layout))
    t3 = [*t3_header(), *t3_rows(t3_lines(cells, edition, layout))]
    return TableRows(t2, t3, None if layout.truncate_after else t4_rows(t4_values(cells, layout)))


def write_rows(rows: list[Row], layout: Layout) -> list[Marked]:
    """A table's rows as the layout's lines."""
    out: list[Marked] = []
    for row in rows:
        add_row(out, row, layout.kind, drop_blanks=layout.drop_blanks)
    return out


def write_tables(rows: TableRows, layout: Layout) -> TextTables:
    return TextTables(write_rows(rows.t2, layout), write_rows(rows.t3, layout),
                      None if rows.t4 is None else write_rows(rows.t4, layout))


def text_tables(cells: Cells, edition: str, layout: Layout) -> TextTables:
    return write_tables(table_rows(cells, edition, layout), layout)


def report_lines(title: str, one: list[str], tables: TextTables, *, ending: bool = True) -> list[Marked | str]:
    """Title, the six sections and the tables in them: the body of every plain text layout.

    The report stops after table 三 where the layout cuts it off (``tables.t4`` None).
    """
    out: list[Marked | str] = [piece(title, "title", Role.TITLE), "", SECTION_HEADINGS[0], *one, "",
                               SECTION_HEADINGS[1], *tables.t2, "", SECTION_HEADINGS[2], *tables.t3]
    if tables.t4 is None:
        return out
    out += ["", SECTION_HEADINGS[3], *tables.t4]
    if ending:
        out += ["", SECTION_HEADINGS[4], "工作中仍存在公开内容不够丰富等问题，下一步将持续改进。", "",
                SECTION_HEADINGS[5], "无其他需要报告的事项。"]
    return out


def _text_report(cells: Cells, edition: str, layout: Layout) -> Marked:
    title, one = narrative(cells)
    return finish_text(report_lines(title, one, text_tables(cells, edition, layout)), layout)


def finish_text(lines: Sequence[Marked | str], layout: Layout) -> Marked:
    sep = "\n\n" if layout.kind == "lines" else "\n"  # lines_blank: a blank line is a blank cell
    return join(sep, lines) + "\n"


# ---------------------------------------------------------------- HTML


def _html_t3(cells: Cells, edition: str, layout: Layout) -> str:
    return table_html(t3_table(t3_lines(cells, edition, layout)))


def _html_t2(cells: Cells, edition: str, layout: Layout) -> str:
    return table_html(t2_table(cells, edition, layout))


def _html_t4(cells: Cells, layout: Layout) -> str:
    return table_html(t4_table(t4_values(cells, layout)))


def _html_page(cells: Cells, edition: str, layout: Layout) -> str:
    title, one = narrative(cells)
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


def to_traditional(text: str) -> str:
    return str(_s2t().convert(text))


_PINYIN = {"公": "gōng", "开": "kāi", "開": "kāi", "政": "zhèng", "府": "fǔ", "信": "xìn",
           "息": "xī", "申": "shēn", "请": "qǐng", "請": "qǐng", "理": "lǐ", "处": "chǔ",
           "處": "chǔ", "数": "shù", "數": "shù", "量": "liàng", "总": "zǒng", "總": "zǒng",
           "计": "jì", "計": "jì", "结": "jié", "結": "jié", "果": "guǒ", "维": "wéi",
           "維": "wéi", "持": "chí", "法": "fǎ", "人": "rén", "机": "jī", "機": "jī",
           "关": "guān", "關": "guān", "坚": "jiān", "堅": "jiān"}


def _pinyin(ch: str) -> str:
    """A character annotated as some sites do: 堅(jiān)."""
    return f"{ch}({_PINYIN[ch]})" if ch in _PINYIN else ch


def _annotate_pinyin(text: str) -> str:
    """Annotate characters as some sites do: 堅(jiān)持(chí)."""
    return "".join(map(_pinyin, text))



def blank_golden(edition: str, agency: str = "示例市教育局", year: int = 2022) -> dict[str, object]:
    """Every cell of an edition at 0, with meta filled: a starting point for generated reports."""
    out: dict[str, object] = {c: 0 for c in cells_for(edition)}
    out.update({"meta.agency": agency, "meta.year": year, "meta.template": edition})
    return out
