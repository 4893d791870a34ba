"""``html_fragment``: the article as a CMS stores it — ``<p>`` elements and tables, no ``<html>`` or ``<body>``.

What a site's content field holds and an API or a scraper hands over
verbatim: centred title with a literal tab after it, the intro paragraph
naming all six sections, headings as ``<p><strong>``, tables with
rowspan/colspan whose numbers sit in ``<span>``s padded with ``&nbsp;``.
"""

from __future__ import annotations

import html as html_lib
import random

from .labels import SECTION_HEADINGS
from .prose import Prose
from .tables import Table, Td, span_attrs


def fragment(prose: Prose, tables: dict[str, Table | None], rng: random.Random) -> str:
    """The content fragment: one string of ``<p>`` and ``<table>`` elements."""
    indent = rng.choice(('style="text-indent: 2em;"', 'style="text-indent:2em;line-height:2em;"', ""))

    def para(text: str) -> str:
        return f"<p {indent}>{html_lib.escape(text)}</p>" if indent else f"<p>{html_lib.escape(text)}</p>"

    def heading(text: str) -> str:
        return f"<p {indent}><strong>{html_lib.escape(text)}</strong></p>"

    parts = [f'<p style="text-align: center;"><strong>{html_lib.escape(prose.title)}</strong>\t</p>',
             para(prose.intro + prose.contact), heading(SECTION_HEADINGS[0]), *map(para, prose.overview),
             heading(SECTION_HEADINGS[1])]
    t2, t3, t4 = tables["t2"], tables["t3"], tables["t4"]
    if t2 is not None:
        parts.append(_table(t2, rng))
    parts.append(heading(SECTION_HEADINGS[2]))
    if t3 is not None:
        parts.append(_table(t3, rng))
    if t4 is not None:
        parts += [heading(SECTION_HEADINGS[3]), _table(t4, rng), heading(SECTION_HEADINGS[4]),
                  para(prose.problems), heading(SECTION_HEADINGS[5]), para(prose.other),
                  *(f'<p style="text-align: right;">{html_lib.escape(s)}</p>' for s in prose.signature)]
    return rng.choice(("", "\n", "\r\n")).join(parts)


def _table(table: Table, rng: random.Random) -> str:
    font = rng.choice(("font-size:14px;", "font-family:宋体;font-size:12px;", "font-size:10.5pt;"))
    trs = []
    for row in table.rows:
        tds = "".join(f'<td{span_attrs(td)} style="border:1px solid #000;" valign="middle">'
                      f'<p style="text-align:center;">{_content(td, font, rng)}</p></td>' for td in row)
        trs.append(f"<tr>{tds}</tr>")
    return ('<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%;">'
            f"<tbody>{''.join(trs)}</tbody></table>")


def _content(td: Td, font: str, rng: random.Random) -> str:
    if not td.cell:
        return f'<span style="{font}">{html_lib.escape(td.text)}</span>' if td.text else "<br/>"
    left, right = rng.choice(((1, 1), (0, 1), (1, 0), (2, 2), (0, 2)))
    return f'<span style="{font}">{"&nbsp;" * left}{html_lib.escape(td.text)}{"&nbsp;" * right}</span>'
