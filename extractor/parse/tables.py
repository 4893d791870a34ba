"""Tables: the sections found → each table's grid and cells, and the drafts of the whole record.

``read_tables`` reads sections 二, 三 and 四 (a 四 without a heading is
found after table 三 by its run of numbers); ``not_a_report`` says why a
document without any table value is not one; ``assemble`` orders the drafts
of the edition's cells, a table absent from the source giving null cells.
"""

from __future__ import annotations

from ..errors import InputError, NoTables, NotAReport
from ..records import Alignment, Flag
from ..stages import stage
from ..template import cells_for
from .cells import t2_cells, t3_cells, t4_cells
from .cut import ends_with
from .draft import Draft, Unread
from .extraction import Extraction
from .grids import section_to_grid


def read_tables(ex: Extraction) -> None:
    sections = ex.structure.sections
    text = ex.text.text
    for n in (2, 3, 4):
        if n in sections:
            with stage("grids"):
                ex.grids[n] = section_to_grid(ex.text, sections[n])
            ex.spans[n] = (sections[n].start, sections[n].end)
            rows = ex.grids[n].rows
            if rows and ends_with(rows[-1], text):
                ex.ends_in = n
    with stage("cells"):
        _read_cells(ex, text)


def _read_cells(ex: Extraction, text: str) -> None:
    sections = ex.structure.sections
    if 2 in ex.grids:
        ex.tables["t2"] = t2_cells(ex.grids[2], ex.edition, text)
    if 3 in ex.grids:
        ex.tables["t3"] = t3_cells(ex.grids[3], ex.edition, text)
    if 4 in ex.grids:
        ex.tables["t4"] = t4_cells(ex.grids[4].rows, layout=ex.grids[4].layout, text=text)
    elif "t3" in ex.tables and ex.tables["t3"].leftover:
        leftover = ex.tables["t3"].leftover
        ex.tables["t4"] = t4_cells(leftover, inferred=True)
        first = leftover[0]
        start = min(c.start for c in (*first.labels, *first.values))
        ex.spans[4] = (start, sections[3].end)
        ex.spans[3] = (sections[3].start, start)
        ex.notes.append("section 四 has no heading; its table was found after table 三")


def not_a_report(ex: Extraction, titled: bool) -> InputError | None:
    """Why the document is not a report on the template, or None when some table holds a value — or
    when a report's title stands at its head and its text stops mid-way, before any table's value
    (a page cut off): what it says (agency, year) is kept and every table cell is null, ``truncated``."""
    if any(d.alignment is not Alignment.ABSENT for t in ex.tables.values() for d in t.cells.values()):
        return None
    if titled and _stops_mid_way(ex.text.text):
        ex.ends_in = max(ex.structure.sections, default=1)
        ex.notes.append("the text stops before any table holds a value (the page is cut off): every table "
                        "cell is null")
        return None
    if not ex.structure.sections:
        return NotAReport("not a 政府信息公开工作年度报告: none of the template's section headings or tables "
                          "was found", stage="sections")
    return NoTables("the report's sections were found but none of its tables (二, 三, 四) holds any value",
                    stage="cells")


def _stops_mid_way(text: str) -> bool:
    """The last line ends without a sentence's end (。？！；…): cut, not closed."""
    last = text.rstrip().rsplit("\n", 1)[-1].strip()
    return bool(last) and last[-1] not in "。？！?!；;…”\"’）)】"


def assemble(ex: Extraction, meta: dict[str, Draft], certain: bool, why: str) -> dict[str, Draft]:
    """Every cell of the edition, in ``cells.csv`` order: meta, then the tables' drafts."""
    drafts: dict[str, Draft] = dict(meta)
    template = Draft(value=ex.edition, alignment=Alignment.META, note=why)
    if not certain:
        template.flags.add(Flag.META_UNCERTAIN)
    drafts["meta.template"] = template
    for t in ex.tables.values():
        drafts.update(t.cells)
        ex.notes += t.notes
    ordered: dict[str, Draft] = {}
    for c in cells_for(ex.edition):
        if c in drafts:
            ordered[c] = drafts[c]
        elif ex.ends_in is not None and _SECTION[c[:2]] > ex.ends_in:  # the text ends before this table
            d = Draft(value=None, alignment=Alignment.ABSENT, unread=Unread.PAST_END,
                      note=f"the text ends in section {'一二三四'[ex.ends_in - 1]}, before this table (cut off)")
            d.flags.add(Flag.TRUNCATED)
            ordered[c] = d
        else:  # a whole table is absent
            d = Draft(value=None, alignment=Alignment.ABSENT, unread=Unread.ABSENT,
                      note="the table is not in the source")
            d.flags.add(Flag.MISSING_IN_SOURCE)
            ordered[c] = d
    return ordered


_SECTION = {"t2": 2, "t3": 3, "t4": 4}
