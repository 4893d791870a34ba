"""Segment: ``Text`` → ``Structure``: the sections 一 … 六 and where the first copy of the report ends.

Headings are found three ways, and merged in reading order:

- on a line of their own, by their numeral and a keyword (三、 / 三. / 三 ,
  minor wording changes, Markdown ``**…**`` or ``#`` around them); table rows
  such as 一、本年新收… never match;
- inside a long line (a crawler's dump holds the whole article on one line:
  "…。一、总体情况2021年…"), by the numeral and the heading's own words; an
  occurrence with hardly any text after it (an enumeration in the opening
  paragraph) is not a heading;
- not at all (a township page prints only the tables): sections 二, 三 and 四
  are then located by their tables' own labels, and marked ``inferred``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Section, Structure, Text
from ..template import SECTION_HEADING, heading_section

_NUMERALS = "一二三四五六"
_INLINE = re.compile(
    r"(?:(?P<n1>一)[、.]\s*总体情况"
    r"|(?P<n2>二)[、.]\s*主动公开政府信息"
    r"|(?P<n3>三)[、.]\s*(?:收到和处理|收到并处理)政府信息公开申请"
    r"|(?P<n4>四)[、.]\s*[^。；;\n]{0,20}?行政(?:法)?复议"
    r"|(?P<n5>五)[、.]\s*[^。；;\n]{0,12}?存在的?主要问题"
    r"|(?P<n6>六)[、.]\s*其他需要报告的?事项)")
LONG_LINE = 300
"""A line this long is running text: headings inside it are looked for."""
_LONG_LINE = re.compile(rf"(?m)^[^\n]{{{LONG_LINE},}}")
MIN_SECTION = 40
"""Characters an inline heading needs before the next one: fewer is an enumeration ("包括一、总体情况;二、…")."""

# Where a section's table starts when its heading is missing: (section, anchor), first match wins.
_TABLE_ANCHORS = {
    2: re.compile(r"第二十条第\(一\)项|本年制发件数|本年新制作数量"),
    3: re.compile(r"\(本列数据的勾稽关系|申请人情况|本年新收政府信息公开申请数量"),
    4: re.compile(r"结果维持|行政复议[ \t]*\|?[ \t]*行政诉讼"),
}


@dataclass(frozen=True)
class _Heading:
    number: int
    start: int
    text: str


def segment(text: Text) -> Structure:
    first = _find_headings(text.text, len(text.text))
    table_start = first[3].start if 3 in first else (first[2].start if 2 in first else -1)
    body_end, notes = find_body_end(text.text, table_start)
    headings = _find_headings(text.text, body_end)
    sections: dict[int, Section] = {}
    ordered = sorted(headings.values(), key=lambda h: h.start)
    for i, h in enumerate(ordered):
        end = ordered[i + 1].start if i + 1 < len(ordered) else body_end
        sections[h.number] = Section(number=h.number, start=h.start, end=end, heading=h.text)
    inferred = _infer_sections(text.text, sections, body_end)
    if inferred:
        notes.append("no heading for section " + "、".join(_NUMERALS[n - 1] for n in inferred)
                     + ": found by its table's labels")
    return Structure(sections=sections, body_end=body_end, notes=tuple(notes))


def _find_headings(text: str, body_end: int) -> dict[int, _Heading]:
    """The first heading of each section, in order (a heading for 三 after one for 四 is not one)."""
    candidates = [*_line_headings(text, body_end), *_inline_headings(text, body_end)]
    found: dict[int, _Heading] = {}
    last_start = -1
    for h in sorted(candidates, key=lambda h: h.start):
        if h.number in found or h.start <= last_start or any(n > h.number for n in found):
            continue
        found[h.number] = h
        last_start = h.start
    return found


def _line_headings(text: str, body_end: int) -> list[_Heading]:
    out = []
    for m in SECTION_HEADING.finditer(text, 0, body_end):
        number = heading_section(m)
        if number is not None:
            out.append(_Heading(number, m.start(), m.group(0).strip().strip("#*_ \t")))
    return out


def _inline_headings(text: str, body_end: int) -> list[_Heading]:
    """Headings inside long lines, each with enough text after it to be a section."""
    found: list[_Heading] = []
    for line in _LONG_LINE.finditer(text, 0, body_end):
        for m in _INLINE.finditer(text, line.start(), line.end()):
            number = int(next(k for k, v in m.groupdict().items() if v)[1])
            found.append(_Heading(number, m.start(), m.group(0)))
    return [h for i, h in enumerate(found) if i + 1 == len(found) or found[i + 1].start - h.start >= MIN_SECTION]


def _infer_sections(text: str, sections: dict[int, Section], body_end: int) -> list[int]:
    """Sections 二, 三 and 四 whose heading is missing, located by their tables' labels.

    A table is looked for between the heading of the section before it and
    the start of the section after it; the section spans from its anchor's line
    to the next section or the end of the report, and the section before it
    now ends there.
    """
    added: list[int] = []
    for number in (2, 3, 4):
        if number in sections:
            continue
        lo = max((s.start + len(s.heading) for s in sections.values() if s.number < number), default=0)
        hi = min((s.start for s in sections.values() if s.number > number), default=body_end)
        m = _TABLE_ANCHORS[number].search(text, lo, hi)
        if m is None:
            continue
        start = text.rfind("\n", lo, m.start()) + 1 or lo
        sections[number] = Section(number=number, start=max(start, lo), end=hi,
                                   heading="", inferred=True)
        added.append(number)
    if added:
        ordered = sorted(sections.values(), key=lambda s: s.start)
        for i, s in enumerate(ordered):
            end = ordered[i + 1].start if i + 1 < len(ordered) else body_end
            if end != s.end:
                sections[s.number] = Section(s.number, s.start, end, s.heading, s.inferred)
    return added


def find_body_end(text: str, first_table: int) -> tuple[int, list[str]]:
    """Where a repeated copy of the report begins (or the end of the text).

    Scraped pages sometimes hold the report twice; the copy starts where the
    title line, or failing that the 一、总体情况 heading, occurs a second time
    after the first copy's tables.
    """
    if first_table < 0:
        return len(text), []
    title = _title_line(text)
    if title:
        again = _find_line(text, title, first_table)
        if again >= 0:
            return again, ["the page holds the report twice; the second copy was not read"]
    m1 = re.search(r"^[ \t]*一[、.,][ \t]*总体情况", text, re.M)
    if m1:
        m2 = re.compile(r"^[ \t]*一[、.,][ \t]*总体情况", re.M).search(text, first_table)
        if m2:
            return m2.start(), ["the page holds the report twice; the second copy was not read"]
    return len(text), []


def _title_line(text: str) -> str:
    for line in text.splitlines()[:15]:
        s = line.strip()
        if 8 <= len(s) <= 120 and "报告" in s:
            return s
    return ""


def _find_line(text: str, line: str, start: int) -> int:
    pos = start
    while True:
        i = text.find(line, pos)
        if i < 0:
            return -1
        line_start = text.rfind("\n", 0, i) + 1
        if text[line_start:i].strip() == "":
            return line_start
        pos = i + 1
