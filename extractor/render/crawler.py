"""``crawler_flat``: the page.txt a web crawler saves — a metadata header, page chrome, and the article on one line.

The crawler took the article's text the way ``element.get_text()`` does: every
paragraph and every table cell joined with nothing between them, so a table
row's numbers run together (``一、本年新收政府信息公开申请数量640020470`` is
64,0,0,2,0,4,70) and the next row's item number follows the digits. Where the
source HTML had white space between two rows the crawler kept one space, so
rows are joined by nothing or by a space; section 四's fifteen numbers are one
run, or space-separated where the page had white space between its cells.
``stray_spaces`` adds the spaces careless pages carry inside digit runs
(``500000 5``) and labels (``三、本 年度办理结果``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from .labels import SECTION_HEADINGS, T3_NOTE
from .prose import Prose
from .spans import Marked, Role, join, marked, piece
from .tables import Table
from .text_rows import td_row

CHROME_TOP = "当前位置：首页 > 政务公开 > 政府信息公开年度报告"
CHROME_TOOLS = "[字号：大 中 小] 打印本页 关闭窗口"
CHROME_SHARE = "分享到：微信 微博 QQ空间"


@dataclass(frozen=True)
class Flattening:
    """How one page's HTML turned into text: drawn once per document."""

    row_space: float
    """The chance two adjacent rows (or paragraphs) are joined by a space rather than by nothing."""
    t4_spaced: bool
    """Section 四's values are separated by spaces (the page had white space between its cells)."""
    stray_spaces: bool


def draw_flattening(rng: random.Random, stray_spaces: bool) -> Flattening:
    return Flattening(row_space=rng.choice((0.0, 0.0, 1.0, 0.5)), t4_spaced=rng.random() < 0.5,
                      stray_spaces=stray_spaces)


def crawler_page(prose: Prose, tables: dict[str, Table | None], agency: object, rng: random.Random,
                 how: Flattening) -> Marked:
    """The page.txt: header lines, chrome lines, and the article (title to signature) as one line."""
    title = piece(prose.title, "title", Role.TITLE)
    parts: list[Marked | str] = [title, prose.intro + prose.contact, SECTION_HEADINGS[0], *prose.overview,
                                 SECTION_HEADINGS[1]]
    t2, t3, t4 = tables["t2"], tables["t3"], tables["t4"]
    if t2 is not None:
        parts.append(flatten(t2, rng, how))
    parts.append(SECTION_HEADINGS[2])
    if t3 is not None:
        parts.append(flatten(t3, rng, how))
    if t4 is not None:
        parts += [SECTION_HEADINGS[3], flatten(t4, rng, how), SECTION_HEADINGS[4], prose.problems,
                  SECTION_HEADINGS[5], prose.other, *prose.signature]
    article = _join(parts, rng, how)
    source = str(agency) if agency else rng.choice(("本网", "办公室", "政务公开办"))
    header: list[Marked | str] = [marked("标题: ") + title, f"发布时间: {prose.published}", f"来源: {source}",
              f"原文链接: {prose.url}", "==== 正文 ===="]
    top = [CHROME_TOP, CHROME_TOOLS] if rng.random() < 0.5 else [CHROME_TOP]
    bottom = [CHROME_SHARE] if len(top) == 2 else [CHROME_TOOLS, CHROME_SHARE]
    return join("\n", [*header, *top, article, *bottom]) + "\n"


def _join(parts: Sequence[Marked | str], rng: random.Random, how: Flattening) -> Marked:
    out = marked(parts[0])
    for part in parts[1:]:
        out = out + (" " if rng.random() < how.row_space else "") + part
    return out


def flatten(table: Table, rng: random.Random, how: Flattening) -> Marked:
    """The table's text, row by row, each row's cell texts joined with nothing between them."""
    rows = []
    for row in table.rows:
        pieces = td_row(row)
        labels = join("", [_stray(p, rng, how, 0.15) for p, td in zip(pieces, row, strict=True) if not td.cell])
        values = [p for p, td in zip(pieces, row, strict=True) if td.cell]
        sep = " " if table.name == "t4" and how.t4_spaced else ""
        run = join(sep, values)
        if sep == "" and values:
            run = _stray(run, rng, how, 0.3)
        rows.append(labels + run)
    return _join(rows, rng, how)


def _stray(text: Marked, rng: random.Random, how: Flattening, chance: float) -> Marked:
    """``text`` with one space put somewhere inside it (never at an end), now and then."""
    if not how.stray_spaces or len(text) < 2 or text.text == T3_NOTE or rng.random() >= chance:
        return text
    return text.insert(rng.randint(1, len(text) - 1), " ")


def corner_note(rng: random.Random) -> str:
    """Table 三's top-left cell: the template's note, or left empty as many pages leave it."""
    return T3_NOTE if rng.random() < 0.7 else ""
