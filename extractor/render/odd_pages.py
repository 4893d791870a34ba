"""Odd real pages around ordinary tables: spam where the agency was, the template's instructions left in,
and a traditional-script mirror with garbled characters.

Each is a web page's text — title, the opening paragraph, sections 一 … 六
with their prose (``prose.py``) and tab-row tables — changed the way such
pages are:

- ``spam_page``: a hacked page whose place name is an ad (a casino, a
  pharmacy) in the title and the prose. The agency survives only where the
  signature still names it, so the expected ``meta.agency`` is that, or null.
- ``instructions_page``: the template's 编写说明 left in — "（文字描述部分请根据
  实际填写…）" under headings, "（注：…请填写“0”）" between section 二's
  items, "注：本表中…" after tables — text a reader must skip.
- ``mirror_page``: a traditional-script mirror site whose converter garbled
  a few characters (U+FFFD, or the wrong character a mis-decoding gives) in
  row labels and prose; never in numbers, the title or the headings.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import replace

from .labels import SECTION_HEADINGS
from .layouts import LAYOUTS, TextTables, finish_text, table_rows, to_traditional, write_tables
from .prose import Prose, write_prose
from .spans import Marked, Role, piece
from .tables import Cells
from .text_rows import Row

TAB = LAYOUTS["tab"]
SPAM = ("澳门新葡京娱乐场官方网站www.xpj777.com", "【网上药店】伟哥正品代购加微信yaodian", "太阳城娱乐注册即送彩金",
        "皇冠体育在线投注平台", "金沙赌场线上开户官网")
"""Ads hacked into government pages where the body's name stood (none ends in a digit: the year follows)."""

INSTRUCTIONS: dict[str, str] = {
    "一": "（文字描述部分请根据实际填写，重点反映本年度政府信息公开工作的总体情况，以及主动公开、依申请公开、"
          "政府信息管理、平台建设、监督保障等方面的情况）",
    "二": "（本部分按照《条例》第二十条的要求，统计本年度主动公开的政府信息数据）",
    "二.items": "（注：本项如无相关内容，请填写“0”）",
    "三": "注：本表中“申请人情况”按照申请人的类型分别统计，同一申请人提出多件申请的，按件数统计。",
    "三.after": "注：本表中“其他”是指除商业企业、科研机构、社会公益组织、法律服务机构以外的法人或者其他组织。",
    "四": "（本表统计本年度本机关作为被申请人的行政复议案件和作为被告的行政诉讼案件的情况）",
    "四.after": "注：本表中“总计”为结果维持、结果纠正、其他结果、尚未审结之和。",
    "五": "（请结合实际，说明本年度政府信息公开工作存在的主要问题、改进情况，以及上年度年报所提问题的整改落实"
          "情况，字数控制在500字以内）",
    "六": "（文字描述部分请根据实际填写：依据《政府信息公开信息处理费管理办法》收取信息处理费的情况，"
          "人大代表建议和政协提案办理结果公开情况等）",
}
"""The template's writing instructions, by where a page leaves them: under a heading (一 … 六), between
section 二's items (二.items) or after a table (三.after, 四.after)."""

MOJIBAKE = ("\ufffd", "\ufffd", "鍙", "鏀", "銆", "涓", "鐨", "锟", "浜")
"""What a mis-decoded character shows as: the replacement character, or the CJK character UTF-8 bytes make
when read as GBK."""


def prose_page(prose: Prose, tables: TextTables, notes: Mapping[str, Sequence[str]] | None = None) -> Marked:
    """A report page as text: title, opening paragraph, six headed sections, the signature.

    ``notes`` puts lines under a heading (``一`` … ``六``) or after a table (``三.after``, ``四.after``).
    """
    notes = notes or {}

    def section(n: int, body: Sequence[Marked | str]) -> list[Marked | str]:
        key = "一二三四五六"[n]
        return ["", SECTION_HEADINGS[n], *notes.get(key, ()), *body, *notes.get(f"{key}.after", ())]

    lines: list[Marked | str] = [piece(prose.title, "title", Role.TITLE), "", prose.intro + prose.contact]
    lines += section(0, prose.overview) + section(1, tables.t2) + section(2, tables.t3)
    if tables.t4 is not None:
        lines += section(3, tables.t4) + section(4, [prose.problems]) + section(5, [prose.other])
        if prose.signature:
            lines += ["", *prose.signature]
    return finish_text(lines, TAB)


def spam_page(cells: Cells, rng: random.Random) -> tuple[Marked, str | None]:
    """The hacked page, and the agency it still states (its signature's), or None."""
    edition = str(cells["meta.template"])
    agency = cells.get("meta.agency")
    spam = rng.choice(SPAM)
    prose = write_prose({**cells, "meta.agency": spam}, edition, rng)
    stated = None
    if agency and rng.random() < 0.5:
        year = int(str(cells["meta.year"]))
        date = prose.signature[1] if prose.signature else f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(1, 28)}日"
        prose = replace(prose, signature=(str(agency), date))
        stated = str(agency)
    return prose_page(prose, write_tables(table_rows(cells, edition, TAB), TAB)), stated


def instructions_page(cells: Cells, rng: random.Random) -> Marked:
    """The page with four or more of the template's instructions left in."""
    edition = str(cells["meta.template"])
    places = [p for p in INSTRUCTIONS if rng.random() < 0.6]
    while len(places) < 4:
        places = sorted({*places, rng.choice(list(INSTRUCTIONS))}, key=list(INSTRUCTIONS).index)
    rows = table_rows(cells, edition, TAB)
    if "二.items" in places:
        rows = rows._replace(t2=_before_items(rows.t2, INSTRUCTIONS["二.items"]))
    notes = {p: [INSTRUCTIONS[p]] for p in places if p != "二.items"}
    return prose_page(write_prose(cells, edition, rng), write_tables(rows, TAB), notes)


def _before_items(t2: list[Row], note: str) -> list[Row]:
    """Section 二's rows with ``note`` before every 第二十条 item but the first."""
    out: list[Row] = []
    for row in t2:
        if out and row[0].text.startswith("第二十条"):
            out.append([Marked(note)])
        out.append(row)
    return out


def mirror_page(cells: Cells, rng: random.Random) -> Marked:
    """The page in traditional script, a few characters of its prose and row labels garbled."""
    edition = str(cells["meta.template"])
    prose = write_prose(cells, edition, rng)
    prose = replace(prose, intro=garble(prose.intro, rng, 1), problems=garble(prose.problems, rng, 1),
                    overview=tuple(garble(p, rng, 1) if rng.random() < 0.5 else p for p in prose.overview))
    page = prose_page(prose, write_tables(table_rows(cells, edition, TAB), TAB)).converted(to_traditional)
    labels = [s for s in page.spans if s.role == Role.LABEL]
    text = list(page.text)
    for span in rng.sample(labels, min(len(labels), rng.randint(3, 5))):
        at = [i for i in range(span.start, span.end) if _cjk(text[i])]
        if at:
            text[rng.choice(at)] = rng.choice(MOJIBAKE)
    return Marked("".join(text), page.spans)


def garble(text: str, rng: random.Random, n: int) -> str:
    """``text`` with ``n`` of its CJK characters replaced by mojibake, one for one."""
    chars = list(text)
    for i in rng.sample([i for i, ch in enumerate(chars) if _cjk(ch)], n):
        chars[i] = rng.choice(MOJIBAKE)
    return "".join(chars)


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"
