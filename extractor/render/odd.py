"""``ODD_LAYOUTS``: text pages that break a reader's assumptions, kept apart while the parser learns them.

All are text (``.txt``), so each records where its cells lie (``spans.py``):

- ``lines_blank``: one cell a line, zeros blank, a blank cell an empty line.
- ``t2_lines_pipe``, ``t2_lines_pipe_alone``, ``t2_lines_pipe_traditional``:
  section 二 one cell a line with a trailing pipe, or the pipe on its own line,
  or in traditional script (``section_two.py``).
- ``mixed_edition_t2_headers``, ``mixed_edition_2019_template``,
  ``mixed_edition_merged_other``: 2021 reports that keep parts of the 2019
  template (``editions.py``).
- ``mirror_mojibake``, ``spam_agency``, ``instructions_left``: pages around
  ordinary tables (``odd_pages.py``).
- ``extra_rows``, ``pipe_squeezed``, ``glued_labels``: tables with rows the
  template lacks, pipe rows with squeezed empty cells, and rows whose numbers
  run into their label (``odd_tables.py``).

``expected_odd_cells`` says what a perfect reader can know from each;
``open_odd_cells`` the cells it may only get right or flag. Each document
draws its variations from a generator seeded by the golden and the layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..template import EDITIONS
from .editions import (
    expected_merged_other,
    expected_t2_headers,
    merged_other_lines,
    on_2019_template,
    t2_under_2019_headers,
)
from .layouts import (
    LAYOUTS,
    Layout,
    TextTables,
    expected_cells,
    finish_text,
    marked_report,
    narrative,
    report_lines,
    table_rows,
    text_tables,
    to_traditional,
    write_rows,
    write_tables,
)
from .odd_pages import instructions_page, mirror_page, spam_page
from .odd_tables import glued_report, open_glued, open_squeezed, squeezed_report, with_extra_rows
from .section_two import t2_cell_lines
from .spans import Marked
from .tables import AS_IS, Cells, layout_rng, t2_table, t3_lines
from .text_rows import t2_rows, t3_header, t3_rows

TAB = LAYOUTS["tab"]
LINES_BLANK = Layout("lines_blank", "lines_blank", blank_zeros=True)


@dataclass(frozen=True)
class OddLayout:
    name: str
    kind: str
    editions: tuple[str, ...] = EDITIONS
    """The golden editions it renders (a 2021 report keeping 2019 parts needs a 2021 golden)."""
    cuttable: bool = False
    """``render_cut`` cuts it: every value it conveys has a span and its expected cells are the golden's."""
    pipe_alone: bool = False
    traditional: bool = False
    suffix: str = ".txt"


ODD_LAYOUTS: dict[str, OddLayout] = {
    layout.name: layout
    for layout in (
        OddLayout("lines_blank", "lines_blank", cuttable=True),
        OddLayout("t2_lines_pipe", "t2_lines_pipe", cuttable=True),
        OddLayout("t2_lines_pipe_alone", "t2_lines_pipe", cuttable=True, pipe_alone=True),
        OddLayout("t2_lines_pipe_traditional", "t2_lines_pipe", cuttable=True, traditional=True),
        OddLayout("mixed_edition_t2_headers", "mixed_t2_headers", editions=("2021",)),
        OddLayout("mixed_edition_2019_template", "on_2019_template"),
        OddLayout("mixed_edition_merged_other", "merged_other", editions=("2021",)),
        OddLayout("mirror_mojibake", "mirror"),
        OddLayout("spam_agency", "spam"),
        OddLayout("instructions_left", "instructions"),
        OddLayout("extra_rows", "extra_rows"),
        OddLayout("pipe_squeezed", "squeezed"),
        OddLayout("glued_labels", "glued"),
    )
}


def render_odd(cells: Cells, layout: OddLayout) -> bytes:
    """The UTF-8 bytes of the report holding ``cells`` in ``layout``."""
    return marked_odd(cells, layout).text.encode("utf-8")


def marked_odd(cells: Cells, layout: OddLayout) -> Marked:
    """The layout's document with the span of every cell it prints."""
    edition = str(cells["meta.template"])
    if edition not in layout.editions:
        raise ValueError(f"{layout.name} renders {'/'.join(layout.editions)}-edition goldens, not {edition}")
    rng = layout_rng(cells, layout.name)
    if layout.kind == "lines_blank":
        return marked_report(cells, LINES_BLANK)
    if layout.kind == "t2_lines_pipe":
        t2 = t2_cell_lines(cells, edition, rng, pipe_alone=layout.pipe_alone)
        page = _tab_report(cells, text_tables(cells, edition, TAB)._replace(t2=t2))
        return page.converted(to_traditional) if layout.traditional else page
    if layout.kind == "mixed_t2_headers":
        t2 = write_rows(t2_rows(t2_table(cells, edition, AS_IS, t2_under_2019_headers())), TAB)
        return _tab_report(cells, text_tables(cells, edition, TAB)._replace(t2=t2))
    if layout.kind == "on_2019_template":
        return marked_report(on_2019_template(cells, rng), TAB)
    if layout.kind == "merged_other":
        lines = merged_other_lines(t3_lines(cells, edition, AS_IS), cells)
        t3 = write_rows([*t3_header(), *t3_rows(lines)], TAB)
        return _tab_report(cells, text_tables(cells, edition, TAB)._replace(t3=t3))
    if layout.kind == "mirror":
        return mirror_page(cells, rng)
    if layout.kind == "spam":
        return spam_page(cells, rng)[0]
    if layout.kind == "instructions":
        return instructions_page(cells, rng)
    if layout.kind == "extra_rows":
        return _tab_report(cells, write_tables(with_extra_rows(table_rows(cells, edition, TAB), rng), TAB))
    if layout.kind == "squeezed":
        return squeezed_report(cells, rng)
    if layout.kind == "glued":
        return glued_report(cells, rng)
    raise ValueError(f"unknown odd layout kind {layout.kind!r}")


def expected_odd_cells(cells: Cells, layout: OddLayout) -> dict[str, object]:
    """The golden as this layout conveys it (see each module for why)."""
    if layout.kind == "lines_blank":
        return expected_cells(cells, LINES_BLANK)
    if layout.kind == "mixed_t2_headers":
        return expected_t2_headers(cells)
    if layout.kind == "on_2019_template":
        return on_2019_template(cells, layout_rng(cells, layout.name))
    if layout.kind == "merged_other":
        return expected_merged_other(cells)
    if layout.kind == "spam":
        return {**cells, "meta.agency": spam_page(cells, layout_rng(cells, layout.name))[1]}
    return dict(cells)


def open_odd_cells(cells: Cells, layout: OddLayout) -> set[str]:
    """The cells a reader may only get right or flag: those a squeezed row's placement or a glued row's
    digits leave open."""
    if layout.kind == "glued":
        return open_glued(cells, layout_rng(cells, layout.name))
    return open_squeezed(cells) if layout.kind == "squeezed" else set()


def _tab_report(cells: Cells, tables: TextTables) -> Marked:
    title, one = narrative(cells)
    return finish_text(report_lines(title, one, tables), TAB)
