"""``word_html``: the report as Word or WPS saves it as a web page, or as a TRS CMS keeps it after a paste.

What such HTML does to a reader: every paragraph a ``<p class=MsoNormal>``
with inline styles; text cut into ``<span>`` runs wherever the font changes
(digits are ``lang=EN-US``) and at random edit points; ``&nbsp;`` runs
inside and before labels; a narrow cell's label typed as several ``<p>``s
(``三、本`` / ``年度办`` / ``理结果``); ``<br>`` inside header cells, table 四's
headers one character a line; the 商业企业 column drawn two grid columns wide
(every cell ``colspan=2``, so the grid has eight value columns); Word's empty
spacer ``<tr>``; now and then a typo in section 四's heading.
"""

from __future__ import annotations

import html as html_lib
import random
import re
from dataclasses import replace

from .labels import SECTION_HEADINGS, T3_PARENT, T4_COLUMN_LABELS
from .prose import Prose
from .tables import Table, Td

TYPO_HEADING = SECTION_HEADINGS[3].replace("行政复议", "行政法复议")
_HEADER_BREAKS = {"法人或其他组织": "法人或其他<br/>组织", "社会公益组织": "社会公益<br/>组织",
                  "法律服务机构": "法律服务<br/>机构", "申请人情况": "申请人<br>情况",
                  "未经复议直接起诉": "未经复议<br>直接起诉"}
_ASCII = re.compile(r"[\x21-\x7e]+")
_WORD_HEAD = """<html>
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=Generator content="{generator}">
<style>
<!--
 /* Font Definitions */
 @font-face
	{{font-family:宋体;
	panose-1:2 1 6 0 3 1 1 1 1 1;}}
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{{margin:0cm;
	text-align:justify;
	text-justify:inter-ideograph;
	font-size:10.5pt;
	font-family:等线;}}
div.WordSection1
	{{page:WordSection1;}}
-->
</style>
</head>
<body lang=ZH-CN style='word-wrap:break-word;text-justify-trim:punctuation'>
<div class=WordSection1 style='layout-grid:15.6pt'>
"""
_TRS_HEAD = ("<div class=TRS_Editor><style type=\"text/css\">\n.TRS_Editor P{margin-top:0px;margin-bottom:12px;"
             "line-height:1.5;font-family:宋体;font-size:12pt;}.TRS_Editor TD{font-size:12pt;}</style>\n"
             "<div class=WordSection1 style='layout-grid:15.6pt'>\n")


def word_document(prose: Prose, tables: dict[str, Table | None], rng: random.Random) -> str:
    """Word's "Web Page, Filtered" export (``WordSection1``) or the same body pasted into TRS (``TRS_Editor``)."""
    w = _Writer(rng)
    indent = rng.choice(("text-indent:2em", "text-indent:32.0pt;line-height:28.0pt",
                         "text-indent:2em;line-height:150%"))
    body = [w.title(prose.title), w.para(prose.intro, indent), w.para(prose.contact, indent),
            w.heading(SECTION_HEADINGS[0], indent), *(w.para(p, indent) for p in prose.overview),
            w.heading(SECTION_HEADINGS[1], indent)]
    t2, t3, t4 = tables["t2"], tables["t3"], tables["t4"]
    ghost = rng.choice([n for n, t in tables.items() if t is not None])
    if t2 is not None:
        body.append(w.table(t2, ghost == "t2"))
    body.append(w.heading(SECTION_HEADINGS[2], indent))
    if t3 is not None:
        body.append(w.table(_wide_commercial(t3), ghost == "t3"))
    if t4 is not None:
        four = TYPO_HEADING if rng.random() < 0.25 else SECTION_HEADINGS[3]
        body += [w.heading(four, indent), w.table(t4, ghost == "t4"), w.heading(SECTION_HEADINGS[4], indent),
                 w.para(prose.problems, indent), w.heading(SECTION_HEADINGS[5], indent),
                 w.para(prose.other, indent),
                 *(w.para(s, "text-align:right") for s in prose.signature)]
    if rng.random() < 0.5:
        generator = rng.choice(("Microsoft Word 15 (filtered)", "Microsoft Word 14 (filtered)"))
        page = _WORD_HEAD.format(generator=generator) + "\n\n".join(body) + "\n\n</div>\n\n</body>\n\n</html>\n"
        return page.replace("\n", "\r\n")  # Word writes CRLF
    return _TRS_HEAD + "\n".join(body) + "\n</div></div>"


def _wide_commercial(table: Table) -> Table:
    """商业企业 drawn over two grid columns: its header and every value cell span two, the groups above one more."""
    rows = []
    for row in table.rows:
        out = []
        for td in row:
            if td.text == "商业企业" or td.cell.endswith(".commercial"):
                td = replace(td, colspan=2)
            elif td.text in ("申请人情况", "法人或其他组织"):
                td = replace(td, colspan=td.colspan + 1)
            out.append(td)
        rows.append(tuple(out))
    return replace(table, rows=tuple(rows))


class _Writer:
    """Writes Word's markup for one document, drawing its accidents from the document's generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.text_font = rng.choice(("仿宋_GB2312", "仿宋", "宋体"))

    def runs(self, text: str, size: str, font: str) -> str:
        """``text`` as Word's runs: a new ``<span>`` where the script changes, and at a random edit point."""
        out = []
        pos = 0
        for m in _ASCII.finditer(text):
            out += self._cjk(text[pos:m.start()], size, font)
            out.append(f"<span lang=EN-US style='font-size:{size};font-family:\"Times New Roman\"'>"
                       f"{html_lib.escape(m.group(), quote=False)}</span>")
            pos = m.end()
        out += self._cjk(text[pos:], size, font)
        return "".join(out)

    def _cjk(self, text: str, size: str, font: str) -> list[str]:
        if not text:
            return []
        pieces = [text]
        if len(text) > 3 and self.rng.random() < 0.3:
            at = self.rng.randint(1, len(text) - 1)
            pieces = [text[:at], text[at:]]
        return [f"<span style='font-size:{size};font-family:{font}'>{html_lib.escape(p, quote=False)}</span>"
                for p in pieces]

    def title(self, text: str) -> str:
        return ("<p class=MsoNormal align=center style='text-align:center;line-height:28.0pt'><b>"
                f"{self.runs(text, '22.0pt', '方正小标宋简体')}</b></p>")

    def heading(self, text: str, indent: str) -> str:
        return f"<p class=MsoNormal style='{indent}'><b>{self.runs(text, '16.0pt', '黑体')}</b></p>"

    def para(self, text: str, style: str) -> str:
        return f"<p class=MsoNormal style='{style}'>{self.runs(text, '16.0pt', self.text_font)}</p>"

    def table(self, table: Table, ghost: bool) -> str:
        trs = []
        for i, row in enumerate(table.rows):
            tds = "\n".join(self._td(td, header=i < table.head, t4=table.name == "t4") for td in row)
            trs.append(f" <tr style='height:20.0pt'>\n{tds}\n </tr>")
        if ghost:
            width = sum(td.colspan for td in table.rows[-1])
            spacer = ("<![if !supportMisalignedColumns]>\n <tr height=0>\n"
                      + "".join("  <td width=48 style='border:none'></td>\n" for _ in range(width))
                      + " </tr>\n <![endif]>")
            at = self.rng.choice((len(trs), table.head or 1))
            trs.insert(at, spacer if at == len(trs) else " <tr></tr>")
        return ("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0\n style='border-collapse:collapse;"
                "border:none'>\n" + "\n".join(trs) + "\n</table>")

    def _td(self, td: Td, *, header: bool, t4: bool) -> str:
        attrs = f" rowspan={td.rowspan}" if td.rowspan > 1 else ""
        attrs += f" colspan={td.colspan}" if td.colspan > 1 else ""
        style = ("style='width:48.0pt;border:solid windowtext 1.0pt;border-top:none;"
                 "padding:0cm 5.4pt 0cm 5.4pt;height:20.0pt'")
        return f"  <td width={64 * td.colspan}{attrs} {style}>\n{self._cell_text(td, header, t4)}\n  </td>"

    def _cell_text(self, td: Td, header: bool, t4: bool) -> str:
        centre = "<p class=MsoNormal align=center style='text-align:center'>"
        if td.cell:
            return f"  {centre}{self.runs(td.text, '10.0pt', '宋体')}</p>" if td.text else f"  {centre}&nbsp;</p>"
        if header and t4 and td.text in T4_COLUMN_LABELS:
            return f"  {centre}<span style='font-size:10.0pt;font-family:宋体'>{'<br>'.join(td.text)}</span></p>"
        if header and td.text in _HEADER_BREAKS and self.rng.random() < 0.7:
            return f"  {centre}<span style='font-size:10.0pt;font-family:宋体'>{_HEADER_BREAKS[td.text]}</span></p>"
        if td.rowspan > 1 and not header and (td.text == T3_PARENT or self.rng.random() < 0.3):
            return "\n".join(f"  {centre}{self._label(td.text[i:i + 3])}</p>" for i in range(0, len(td.text), 3))
        return f"  <p class=MsoNormal>{self._label(td.text)}</p>"

    def _label(self, text: str) -> str:
        """A label as Word breaks it: a leading ``&nbsp;`` run or one inside it, now and then, and edit points."""
        lead = "<span lang=EN-US style='font-size:10.0pt'>&nbsp;&nbsp;</span>" if self.rng.random() < 0.2 else ""
        if len(text) > 4 and self.rng.random() < 0.15:
            at = self.rng.randint(2, len(text) - 2)
            return (lead + self.runs(text[:at], "10.0pt", "宋体")
                    + "<span lang=EN-US style='font-size:10.0pt'>&nbsp; </span>"
                    + self.runs(text[at:], "10.0pt", "宋体"))
        return lead + self.runs(text, "10.0pt", "宋体")
