"""Segment: ``Text`` → ``Structure``: the sections 一 … 六 and where the first copy of the report ends.

Headings are found by their numeral and a keyword, so 三、 / 三. / 三 , and
minor wording changes all match; table rows such as 一、本年新收… never do.
"""

from __future__ import annotations

import re

from ..document import Section, Structure, Text
from ..template import SECTION_HEADING, heading_section


def segment(text: Text) -> Structure:
    first = _find_headings(text.text, len(text.text))
    table_start = first[3][0] if 3 in first else first.get(2, (-1, ""))[0]
    body_end, notes = find_body_end(text.text, table_start)
    headings = _find_headings(text.text, body_end)
    sections: dict[int, Section] = {}
    ordered = sorted(headings.items(), key=lambda kv: kv[1][0])
    for i, (number, (start, heading)) in enumerate(ordered):
        end = ordered[i + 1][1][0] if i + 1 < len(ordered) else body_end
        sections[number] = Section(number=number, start=start, end=end, heading=heading)
    return Structure(sections=sections, body_end=body_end, notes=tuple(notes))


def _find_headings(text: str, body_end: int) -> dict[int, tuple[int, str]]:
    found: dict[int, tuple[int, str]] = {}
    last_start = -1
    for m in SECTION_HEADING.finditer(text, 0, body_end):
        number = heading_section(m)
        if number is None or number in found:
            continue
        if m.start() <= last_start or any(n > number for n in found):
            continue
        found[number] = (m.start(), m.group(0).strip())
        last_start = m.start()
    return found


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
        if len(s) >= 8 and "报告" in s:
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
