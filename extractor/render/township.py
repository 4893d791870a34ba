"""``no_headings`` and ``html_no_headings``: a township's page that prints the three tables with no section headings.

Small bodies often publish only the numbers: the title, a sentence, then
section 二's, 三's and 四's tables one after another, then a closing line and
the signature — no 一、总体情况 … 六 at all, so a reader must find each table
by what it holds. The text variant writes tab rows (as the ``tab`` layout
does), the HTML one bare tables in a page with navigation chrome.
"""

from __future__ import annotations

import html as html_lib
import random

from .layouts import Layout, finish_text, text_tables
from .prose import Prose
from .spans import Marked, Role, piece
from .tables import Cells, Table, table_html

TAB = Layout("no_headings", "tab")


def opening(cells: Cells, prose: Prose, rng: random.Random) -> str:
    year = cells.get("meta.year")
    return rng.choice((f"根据《中华人民共和国政府信息公开条例》要求，现将{year}年度政府信息公开工作情况报告如下：",
                       f"现将{year}年政府信息公开工作年度报告数据公布如下。",
                       prose.intro))


def closing(prose: Prose) -> list[str]:
    return [prose.contact, *prose.signature]


def text_page(cells: Cells, edition: str, prose: Prose, rng: random.Random, *, with_t4: bool) -> Marked:
    tables = text_tables(cells, edition, TAB)
    lines: list[Marked | str] = [piece(prose.title, "title", Role.TITLE), "", opening(cells, prose, rng), "",
                                 *tables.t2, "", *tables.t3]
    if tables.t4 is not None and with_t4:
        lines += ["", *tables.t4]
    return finish_text([*lines, "", *closing(prose)], TAB)


def html_page(cells: Cells, prose: Prose, tables: dict[str, Table | None], rng: random.Random) -> str:
    body = [f"<p style=\"text-align:center\"><b>{html_lib.escape(prose.title)}</b></p>",
            f"<p>{html_lib.escape(opening(cells, prose, rng))}</p>"]
    body += [table_html(t) for t in tables.values() if t is not None]
    body += [f"<p>{html_lib.escape(s)}</p>" for s in closing(prose)]
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + html_lib.escape(prose.title)
            + "</title></head><body><div class='crumb'>当前位置：首页 &gt; 镇务公开 &gt; 政府信息公开年报</div>"
            "<div class='content'>" + "\n".join(body) + "</div><footer>主办：镇人民政府 技术支持：县大数据中心"
            "</footer></body></html>")
