"""Meta: ``Text`` + ``Structure`` → the reporting body, the year covered and the template edition.

The title line (杭州市教育局2022年政府信息公开年度报告) names body and year;
failing that, a name line above the title, the signature above the closing
date, or the first year of section 一 (flagged as uncertain).
"""

from __future__ import annotations

import re

from ..document import GridCell, Structure, Text
from ..records import Alignment, Flag
from ..template import EDITION_MARKERS
from .draft import Draft, Unread

_ORG = r"(?:局|委员会|委|人民政府|政府|办公室|办公厅|厅|院|中心|部|署|办|处|所|站|队|会|馆|社|司|街道办事处|街道|乡|镇)"
_TITLE = re.compile(r"^[ \t•·]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*(?:标题|题目|title)?[ \t]*[:：]?[ \t]*"
                    r"(?P<agency>[\u4e00-\u9fff()]{2,40}?)?[ \t]*(?P<year>(?:19|20)\d{2})"
                    r"[ \t]*年(?:度)?[ \t]*(?:[\u4e00-\u9fff ]{0,20})报告", re.M)
_NAME_LINE = re.compile(rf"^[ \t•·]*([\u4e00-\u9fff()]{{2,30}}{_ORG})[ \t]*$", re.M)
_DATE_LINE = re.compile(r"^[ \t]*(19|20)\d{2}[ \t]*年[ \t]*\d{1,2}[ \t]*月[ \t]*\d{1,2}[ \t]*日[ \t]*$",
                        re.M)
_YEAR = re.compile(r"((?:19|20)\d{2})[ \t]*年")


def _draft(value: str | int | None, start: int, end: int, certain: bool, note: str) -> Draft:
    d = Draft(value=value, alignment=Alignment.META,
              token=GridCell(str(value), start, end) if value is not None else None, note=note)
    if not certain:
        d.flags.add(Flag.META_UNCERTAIN)
    return d


def _unstated(d: Draft) -> Draft:
    d.unread = Unread.NOT_STATED
    return d


def read_meta(text: Text, structure: Structure) -> dict[str, Draft]:
    head_end = structure.sections[min(structure.sections)].start if structure.sections else 600
    head = text.text[:max(head_end, 0)] if head_end > 0 else text.text[:600]
    return {"meta.agency": _agency(text.text, head, structure),
            "meta.year": _year(text.text, head, structure)}


def _agency(text: str, head: str, structure: Structure) -> Draft:
    m = _TITLE.search(head)
    if m and m.group("agency") and re.search(_ORG + r"$", m.group("agency")):
        return _draft(m.group("agency"), m.start("agency"), m.end("agency"), True,
                      "named in the title")
    # with a title, only the line right above it names the body: a site's name in the chrome above a
    # printed page (人民政府门户网站) does not
    above = head[:m.start()] if m else head
    names = list(_NAME_LINE.finditer(above))
    if m:
        names = [n for n in names[-1:] if not above[n.end():].strip()]
    for n in names[:1]:
        return _draft(n.group(1), n.start(1), n.end(1), True, "named above the title")
    body = text[:structure.body_end]
    tail_start = max(0, len(body) - 400)
    for d in _DATE_LINE.finditer(body, tail_start):
        before = body[:d.start()].rstrip().rsplit("\n", 1)[-1].strip()
        if re.fullmatch(rf"[\u4e00-\u9fff()]{{2,30}}{_ORG}", before):
            start = body.rfind(before, 0, d.start())
            return _draft(before, start, start + len(before), True, "named in the signature")
    return _unstated(_draft(None, 0, 0, False, "the document never names the reporting body"))


def _year(text: str, head: str, structure: Structure) -> Draft:
    m = _TITLE.search(head)
    if m:
        return _draft(int(m.group("year")), m.start("year"), m.end("year"), True,
                      "the year in the title")
    one = structure.sections.get(1)
    if one is not None:
        y = _YEAR.search(text, one.start, one.end)
        if y:
            return _draft(int(y.group(1)), y.start(1), y.end(1), False,
                          "no title: the first year named in section 一")
    return _unstated(_draft(None, 0, 0, False, "no year found"))


def detect_edition(text: Text, structure: Structure, year: int | None) -> tuple[str, bool, str]:
    """The template edition, whether the markers settled it alone, and why.

    The markers of sections 二 and 三 decide, weighed (``EDITION_MARKERS``); the
    year only breaks a tie. Markers of both editions (a mixed report) leave the
    choice uncertain: ``meta.template`` is then flagged.
    """
    spans = [structure.sections[n] for n in (2, 3) if n in structure.sections]
    body = "".join(text.text[s.start:s.end] for s in spans) or text.text[:structure.body_end]
    body = re.sub(r"\s", "", body)
    found = {ed: [m for m in markers if m in body] for ed, markers in EDITION_MARKERS.items()}
    score = {ed: sum(EDITION_MARKERS[ed][m] for m in found[ed]) for ed in found}
    why = "edition markers " + " ".join(
        f"{ed}:{score[ed]}" + (f" ({'、'.join(found[ed])})" if found[ed] and all(found.values()) else "")
        for ed in ("2019", "2021"))
    if score["2021"] != score["2019"]:
        ed = max(score, key=lambda k: score[k])
        mixed = all(found.values())
        return ed, not mixed, why + ("; both editions' markers: a mixed report" if mixed else "")
    if year is not None:
        ed = "2021" if year >= 2021 else "2019"
        return ed, False, (f"{why}: a tie, chosen by the year {year}" if score["2021"]
                           else f"no edition markers; chosen by the year {year}")
    return "2021", False, "no edition markers and no year; assumed 2021"
