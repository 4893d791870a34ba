"""WordprocessingML helpers for filling the national template: cell text, rows, merges, borders.

They work on the lxml elements python-docx exposes (``w:tbl``, ``w:tr``,
``w:tc``) and change them in place; ``office`` decides what goes where.
"""

from __future__ import annotations

import copy
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

Element = Any
"""An lxml element of the document tree (lxml ships no type stubs)."""


def rows(tbl: Element) -> list[Element]:
    return list(tbl.findall(qn("w:tr")))


def cells(tr: Element) -> list[Element]:
    return list(tr.findall(qn("w:tc")))


def run_props(tc: Element) -> Element | None:
    """The run properties of the first run of a cell, to give new text the template's font."""
    r = tc.find(f".//{qn('w:r')}")
    rpr = r.find(qn("w:rPr")) if r is not None else None
    return copy.deepcopy(rpr) if rpr is not None else None


def set_text(tc: Element, text: str, rpr: Element | None, *, center: bool = False,
             one_char_a_line: bool = False) -> None:
    """Replace a cell's content by ``text``; ``\\n`` and ``one_char_a_line`` give line breaks."""
    paragraphs = tc.findall(qn("w:p"))
    p = paragraphs[0]
    for extra in paragraphs[1:]:
        tc.remove(extra)
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    if center:
        _justify(p, "center")
    lines = list(text) if one_char_a_line else text.split("\n")
    r = OxmlElement("w:r")
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    for i, line in enumerate(lines):
        if i:
            r.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.text = line
        t.set(qn("xml:space"), "preserve")
        r.append(t)
    p.append(r)


def set_paragraph_text(p: Element, text: str) -> None:
    """Replace a paragraph's runs by one run holding ``text``, in the first run's font."""
    first = p.find(qn("w:r"))
    rpr = first.find(qn("w:rPr")) if first is not None else None
    if rpr is None:
        ppr = p.find(qn("w:pPr"))
        rpr = ppr.find(qn("w:rPr")) if ppr is not None else None
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    r = OxmlElement("w:r")
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    t = OxmlElement("w:t")
    t.text = text
    r.append(t)
    p.append(r)


def _justify(p: Element, how: str) -> None:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    jc = ppr.find(qn("w:jc"))
    if jc is None:
        jc = OxmlElement("w:jc")
        ppr.append(jc)
    jc.set(qn("w:val"), how)


def _tc_pr(tc: Element) -> Element:
    pr = tc.find(qn("w:tcPr"))
    if pr is None:
        pr = OxmlElement("w:tcPr")
        tc.insert(0, pr)
    return pr


def set_direction(tc: Element, direction: str) -> None:
    """Turn a cell's text: ``btLr`` reads bottom to top, ``tbRl`` top to bottom."""
    td = OxmlElement("w:textDirection")
    td.set(qn("w:val"), direction)
    pr = _tc_pr(tc)
    align = pr.find(qn("w:vAlign"))
    if align is not None:  # the schema wants textDirection before vAlign
        align.addprevious(td)
    else:
        pr.append(td)


def span_of(tc: Element) -> int:
    gs = _tc_pr(tc).find(qn("w:gridSpan"))
    return int(gs.get(qn("w:val"))) if gs is not None else 1


def row_like(proto: Element, texts: list[str], rpr: Element | None, width: int) -> Element:
    """A copy of ``proto`` holding ``texts``; the last cell spans what the missing cells covered."""
    tr = copy.deepcopy(proto)
    tcs = cells(tr)
    keep = tcs[:len(texts)]
    for tc in tcs[len(texts):]:
        tr.remove(tc)
    spans = [span_of(tc) for tc in keep]
    last_span = width - sum(spans[:-1])
    if last_span != spans[-1]:
        pr = _tc_pr(keep[-1])
        gs = pr.find(qn("w:gridSpan"))
        if gs is None:
            gs = OxmlElement("w:gridSpan")
            pr.insert(1 if pr.find(qn("w:tcW")) is not None else 0, gs)
        gs.set(qn("w:val"), str(last_span))
        tcw = pr.find(qn("w:tcW"))
        if tcw is not None:  # the merged cell is as wide as the cells it covers
            covered = sum(int(c.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w")))
                          for c in tcs[len(texts) - 1:] if c.find(qn("w:tcPr")) is not None
                          and c.find(qn("w:tcPr")).find(qn("w:tcW")) is not None)
            tcw.set(qn("w:w"), str(covered))
    for i, (tc, text) in enumerate(zip(keep, texts, strict=True)):
        set_text(tc, text, rpr, center=i > 0)
    return tr


def mark_header_rows(tbl: Element, n: int) -> None:
    """The first ``n`` rows repeat at the top of each page the table runs onto."""
    for tr in rows(tbl)[:n]:
        trpr = tr.find(qn("w:trPr"))
        if trpr is None:
            trpr = OxmlElement("w:trPr")
            tr.insert(1 if tr.find(qn("w:tblPrEx")) is not None else 0, trpr)
        trpr.append(OxmlElement("w:tblHeader"))


def keep_rows_whole(tbl: Element) -> None:
    """No row is split over two pages (the page breaks between rows)."""
    for tr in rows(tbl):
        trpr = tr.find(qn("w:trPr"))
        if trpr is None:
            trpr = OxmlElement("w:trPr")
            tr.insert(1 if tr.find(qn("w:tblPrEx")) is not None else 0, trpr)
        trpr.insert(0, OxmlElement("w:cantSplit"))


def remove_rules(tbl: Element, *, top: bool = True) -> None:
    """No border and no shading anywhere: a table that is only text placed by position (``top``: each
    cell's text at its top, so a wrapped label starts on its row's line)."""
    for tag in ("w:tblBorders", "w:tcBorders"):
        for borders in tbl.iter(qn(tag)):
            for edge in borders:
                edge.set(qn("w:val"), "nil")
    for shd in tbl.iter(qn("w:shd")):
        shd.set(qn("w:fill"), "auto")
    if top:
        for align in tbl.iter(qn("w:vAlign")):
            align.set(qn("w:val"), "top")


def page_number_footer(paragraph: Element) -> None:
    """A centred footer reading ``- N -`` with N the page number (a PAGE field)."""
    _justify(paragraph, "center")

    def run(*children: Element) -> Element:
        r = OxmlElement("w:r")
        for c in children:
            r.append(c)
        return r

    def text(s: str) -> Element:
        t = OxmlElement("w:t")
        t.text = s
        t.set(qn("xml:space"), "preserve")
        return t

    def field(kind: str) -> Element:
        return OxmlElement("w:fldChar", {qn("w:fldCharType"): kind})

    instr = OxmlElement("w:instrText")
    instr.text = " PAGE "
    instr.set(qn("xml:space"), "preserve")
    for r in (run(text("- ")), run(field("begin")), run(instr), run(field("separate")),
              run(text("1")), run(field("end")), run(text(" -"))):
        paragraph.append(r)
