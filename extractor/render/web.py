"""The web layouts: a golden → the report as real pages and crawlers hand it over.

``crawler_flat`` (a crawler's page.txt, the article on one line, table rows
flattened into runs of digits) and ``crawler_flat_spaces`` (the same with
stray spaces), ``html_fragment`` (a CMS's ``<p>``s with no ``<body>``),
``word_html`` (Word/WPS/TRS markup), ``markdown_html2text`` and
``markdown_markdownify`` (a page converted by those libraries), and
``no_headings`` / ``html_no_headings`` (the tables with no section headings).
Each document draws its variations (spacing, spans, typos, which page is
converted) from a generator seeded by the golden and the layout's name, so
a golden renders to the same bytes every time and different goldens vary.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..template import T4_CELLS
from . import cms, crawler, township, word_html
from .layouts import LAYOUTS, render
from .markdown import to_markdown
from .prose import Prose, write_prose
from .runs import open_cells, table_runs
from .spans import Marked
from .tables import AS_IS, Cells, Table, layout_rng, t2_table, t3_lines, t3_table, t4_table, t4_values


@dataclass(frozen=True)
class WebLayout:
    name: str
    kind: str
    """``crawler``, ``fragment``, ``word``, ``markdown``, ``no_headings`` or ``html_no_headings``."""
    suffix: str
    stray_spaces: bool = False
    """``crawler`` only: spaces inside digit runs and labels."""
    converter: str = ""
    """``markdown`` only: ``html2text`` or ``markdownify``."""

    @property
    def has_spans(self) -> bool:
        """nianbao writes this layout's text itself, so it knows where each cell lies (``spans.py``)."""
        return self.kind in ("crawler", "no_headings")

    @property
    def runs_digits(self) -> bool:
        """A row's values are printed with nothing between them (see ``runs``)."""
        return self.kind == "crawler"


WEB_LAYOUTS: dict[str, WebLayout] = {
    layout.name: layout
    for layout in (
        WebLayout("crawler_flat", "crawler", ".txt"),
        WebLayout("crawler_flat_spaces", "crawler", ".txt", stray_spaces=True),
        WebLayout("html_fragment", "fragment", ".html"),
        WebLayout("word_html", "word", ".html"),
        WebLayout("markdown_html2text", "markdown", ".md", converter="html2text"),
        WebLayout("markdown_markdownify", "markdown", ".md", converter="markdownify"),
        WebLayout("no_headings", "no_headings", ".txt"),
        WebLayout("html_no_headings", "html_no_headings", ".html"),
    )
}


def render_web(cells: Cells, layout: WebLayout) -> bytes:
    """The UTF-8 bytes of the report holding ``cells`` in ``layout``."""
    return _text(cells, layout).text.encode("utf-8")


def marked_web(cells: Cells, layout: WebLayout) -> Marked:
    """A web layout's document with the span of every cell it prints; only the layouts nianbao writes as text
    (``has_spans``) know them — an HTML page or a converter's Markdown does not."""
    if not layout.has_spans:
        raise ValueError(f"{layout.name} is not written as text by nianbao: its cells have no spans")
    return _text(cells, layout)


def expected_web_cells(cells: Cells, layout: WebLayout) -> dict[str, object]:
    """The golden as this layout conveys it: every web layout prints every value the golden holds.

    Nothing is nulled, but a crawler layout does not print every value
    *unambiguously*: a row's digits run together, and where the row's
    arithmetic admits several splits a perfect reader cannot tell which was
    printed. ``open_web_cells`` names those cells; a reader must get them
    right or flag them.
    """
    return dict(cells)


def open_web_cells(cells: Cells, layout: WebLayout) -> set[str]:
    """The cells whose printed run of digits splits in more than one way that its row's arithmetic allows.

    Reckoned as if every run were unseparated (a crawler page separates
    section 四's values by spaces in some documents): a superset, never less.
    """
    if not layout.runs_digits:
        return set()
    out: set[str] = set()
    for table in _tables(cells, str(cells["meta.template"]), note="").values():
        if table is not None:
            for run in table_runs(table):
                out |= open_cells(run)
    return out


def _tables(cells: Cells, edition: str, note: str) -> dict[str, Table | None]:
    """The three tables as the page draws them (``note`` in table 三's corner); section 四 is absent where
    the golden has none of it."""
    has_t4 = any(cells.get(c) is not None for c in T4_CELLS)
    return {"t2": t2_table(cells, edition, AS_IS),
            "t3": t3_table(t3_lines(cells, edition, AS_IS), note=note),
            "t4": t4_table(t4_values(cells, AS_IS)) if has_t4 else None}


def _text(cells: Cells, layout: WebLayout) -> Marked:
    rng = layout_rng(cells, layout.name)
    edition = str(cells["meta.template"])
    prose: Prose = write_prose(cells, edition, rng)
    tables = _tables(cells, edition, crawler.corner_note(rng))
    if layout.kind == "crawler":
        how = crawler.draw_flattening(rng, layout.stray_spaces)
        return crawler.crawler_page(prose, tables, cells.get("meta.agency"), rng, how)
    if layout.kind == "fragment":
        return Marked(cms.fragment(prose, tables, rng))
    if layout.kind == "word":
        return Marked(word_html.word_document(prose, tables, rng))
    if layout.kind == "markdown":
        page = (render(cells, LAYOUTS["html"]).decode("utf-8") if rng.random() < 0.5
                else word_html.word_document(prose, tables, rng))
        return Marked(to_markdown(page, layout.converter))
    if layout.kind == "no_headings":
        return township.text_page(cells, edition, prose, rng, with_t4=tables["t4"] is not None)
    if layout.kind == "html_no_headings":
        return Marked(township.html_page(cells, prose, tables, rng))
    raise ValueError(f"unknown web layout kind {layout.kind!r}")
