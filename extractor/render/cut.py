"""``cut``: a report cut off at any character, as web pages and crawler dumps end mid-table.

``render_cut(cells, layout, at)`` renders a golden in a text layout and keeps
its first ``at`` characters (``cuttable`` renders once for many cuts); the
expected cells follow the schema's rule that
the end of the text is never a blank cell, read off the spans the layout
recorded while writing (``spans.py``):

- a value is known once its whole text lies before the cut (a reader who sees
  ``64`` at the end cannot tell it from ``640``, so it must flag it);
- a blank cell (empty, or whitespace such as the NBSP of the ``lines``
  layout) is known, as 0, once the separator that ends it — the tab, the
  pipe, the line break after it — lies before the cut; a blank the layout
  leaves out altogether once its row has ended (``Role.DROPPED``);
- every other cell is null: the rest of the row, every later row and table;
- meta cells stay known while the title lies before the cut.

``cut_points`` lists the places worth cutting a document at — inside and
right after row labels, after k of a row's values (k = 0 … 7), inside a
number, between rows, inside sections 二 and 四, before table 三 — each with
the class it belongs to, so tests can run many cuts per golden and layout.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple, TypeVar

from .layouts import LAYOUTS, expected_cells, marked_report
from .odd import ODD_LAYOUTS, expected_odd_cells, marked_odd
from .spans import Marked, Role, Span
from .tables import Cells
from .web import WEB_LAYOUTS, expected_web_cells, marked_web

L = TypeVar("L")
R = TypeVar("R")

NEVER = 1 << 62
"""The close of a cell nothing in the text ends: no cut makes it known."""


class CutDocument(NamedTuple):
    data: bytes
    """The document's first ``at`` characters, encoded as its layout encodes it."""
    expected: dict[str, object]
    """What a perfect reader can know from them: the layout's expected cells, null past the cut."""


@dataclass(frozen=True)
class Source:
    """A cuttable layout: its marked text, its expected cells uncut, and its encoding."""

    text: Callable[[Cells], Marked]
    expected: Callable[[Cells], dict[str, object]]
    encoding: str = "utf-8"


def _sources() -> dict[str, Source]:
    out: dict[str, Source] = {}
    for name, layout in LAYOUTS.items():
        if layout.kind != "html":
            out[name] = Source(partial(_flip(marked_report), layout), partial(_flip(expected_cells), layout),
                               layout.encoding)
    for name, web in WEB_LAYOUTS.items():
        if web.has_spans:
            out[name] = Source(partial(_flip(marked_web), web), partial(_flip(expected_web_cells), web))
    for name, odd in ODD_LAYOUTS.items():
        if odd.cuttable:
            out[name] = Source(partial(_flip(marked_odd), odd), partial(_flip(expected_odd_cells), odd))
    return out


def _flip(f: Callable[[Cells, L], R]) -> Callable[[L, Cells], R]:
    """``f(cells, layout)`` as ``g(layout, cells)``, so ``partial`` can bind the layout."""
    return lambda layout, cells: f(cells, layout)


SOURCES = _sources()
CUT_LAYOUTS = tuple(SOURCES)
"""Every layout ``render_cut`` cuts: the text layouts whose writer records cell spans. The HTML layouts and
the Markdown ones (text a third-party converter makes from HTML, which would have to be read back to find
the cells) are not among them."""


def marked_document(cells: Cells, layout: str) -> Marked:
    """The whole document of ``layout`` with its spans."""
    return _source(layout).text(cells)


@dataclass(frozen=True)
class Cuttable:
    """One golden's document in one layout, ready to be cut anywhere (rendered once for many cuts)."""

    doc: Marked
    expected: dict[str, object]
    """The uncut document's expected cells."""
    encoding: str
    closes: dict[str, int]
    """Span id → where the text has said all it says about it (``cell_closes``)."""

    def cut(self, at: int) -> CutDocument:
        """The document's first ``at`` characters, and what they convey."""
        title = self.closes.get("title", NEVER) <= at
        expected: dict[str, object] = {}
        for cell, value in self.expected.items():
            known = title if cell.startswith("meta.") else self.closes.get(cell, NEVER) <= at
            expected[cell] = value if known else None
        return CutDocument(self.doc.text[:at].encode(self.encoding), expected)


def cuttable(cells: Cells, layout: str) -> Cuttable:
    """``cells`` rendered in ``layout``, to be cut; raises ValueError for a layout that cannot be cut."""
    source = _source(layout)
    doc = source.text(cells)
    return Cuttable(doc, source.expected(cells), source.encoding, cell_closes(doc))


def render_cut(cells: Cells, layout: str, at: int) -> CutDocument:
    """The document of ``cells`` in ``layout`` cut off after its first ``at`` characters, and its expected cells."""
    return cuttable(cells, layout).cut(at)


def close_of(text: str, span: Span) -> int:
    """The offset from which the text has said all it says about ``span``: cut there or later and it is known."""
    if span.role == Role.DROPPED:
        return 1 + next((i for i in range(span.end, len(text)) if not text[i].isspace()), NEVER - 1)
    if span.role != Role.VALUE or text[span.start:span.end].strip():
        return span.end
    return 1 + next((i for i in range(span.end, len(text)) if text[i] in "\t|\n"), NEVER - 1)


def cell_closes(doc: Marked) -> dict[str, int]:
    """Span id → the earliest close among its spans (a page holding the report twice prints each cell twice)."""
    out: dict[str, int] = {}
    for span in doc.spans:
        out[span.id] = min(out.get(span.id, NEVER), close_of(doc.text, span))
    return out


def _source(layout: str) -> Source:
    try:
        return SOURCES[layout]
    except KeyError:
        raise ValueError(f"{layout!r} cannot be cut: expected one of {', '.join(CUT_LAYOUTS)}") from None


# ---------------------------------------------------------------- where to cut


@dataclass(frozen=True)
class CutPoint:
    at: int
    kind: str
    """The class of the place: ``t2``, ``before_t3``, ``mid_label``, ``after_label``, ``after_values_<k>``,
    ``mid_number``, ``between_rows``, ``t4``, ``near`` (a boundary ± 1) or ``random``."""
    where: str
    """What lies just before the cut, for a failing test's message."""


KINDS = ("t2", "before_t3", "mid_label", "after_label", *(f"after_values_{k}" for k in range(8)), "mid_number",
         "between_rows", "t4", "near", "random")


def cut_points(doc: Marked, rng: random.Random | None = None, extra: int = 3) -> list[CutPoint]:
    """Places worth cutting ``doc`` at, each once (its first class wins), in text order.

    Every cell boundary and close, ± 1 character (``near``), the classes of ``KINDS``, and ``extra`` random
    places after section 二 begins.
    """
    text = doc.text
    closes = {id(s): close_of(text, s) for s in doc.spans}
    points: dict[int, CutPoint] = {}

    def add(at: int, kind: str, where: str) -> None:
        if 0 < at <= len(text) and at not in points:
            points[at] = CutPoint(at, kind, where)

    rows: dict[str, list[Span]] = {}
    labels: dict[str, Span] = {}
    seen: set[str] = set()
    for span in doc.spans:  # the first print of each: a page may hold the report twice
        if span.id in seen:
            continue
        seen.add(span.id)
        if span.role == Role.LABEL:
            labels[span.id] = span
        elif span.role != Role.TITLE:
            rows.setdefault(span.id.rsplit(".", 1)[0], []).append(span)
    t3_keys = [k for k in rows if k.startswith("t3.")]
    for i, key in enumerate(t3_keys):
        cells = rows[key]
        label = labels.get(key)
        if label is not None:
            add(label.start + max(1, (label.end - label.start) // 2), "mid_label", f"inside the label of {key}")
            add(label.end, "after_label", f"right after the label of {key}")
        ends = sorted({closes[id(s)] for s in cells})
        if cells:
            add(min(s.start for s in cells), "after_values_0", f"{key}: its label and separator, no value")
        for end in ends:
            k = sum(closes[id(s)] <= end for s in cells)
            add(end, f"after_values_{min(k, 7)}", f"{key}: after {k} of its {len(cells)} cells")
        if i + 1 < len(t3_keys) and t3_keys[i + 1] in labels:
            add(labels[t3_keys[i + 1]].start, "between_rows", f"between {key} and {t3_keys[i + 1]}")
    for span in (s for cells in rows.values() for s in cells):
        if span.end - span.start >= 2 and text[span.start:span.end].strip():
            add(span.start + 1, "mid_number", f"inside {span.id} ({text[span.start:span.end]!r})")
    for table in ("t2", "t4"):
        for key in (k for k in rows if k.startswith(table + ".")):
            for span in rows[key]:
                add(closes[id(span)], table, f"after {span.id}")
                if span.end - span.start >= 2:
                    add(span.start + 1, table, f"inside {span.id}")
            if key in labels:
                add(labels[key].start + 1, table, f"inside the label of {key}")
    t2 = [closes[id(s)] for k, spans in rows.items() if k.startswith("t2.") for s in spans]
    t3 = [s.start for k in t3_keys for s in (labels.get(k), *rows[k]) if s is not None]
    if t2 and t3:
        add(max(t2) + 1, "before_t3", "after section 二's last cell")
        add(min(t3) - 1, "before_t3", "just before table 三's first row")
    for span in doc.spans:
        for at in (span.start - 1, span.start, span.start + 1, span.end - 1, span.end, span.end + 1,
                   closes[id(span)] - 1, closes[id(span)] + 1):
            add(at, "near", f"near {span.id}")
    rng = rng or random.Random(len(text))
    first = min((s.start for s in doc.spans if s.id.startswith("t2.")), default=0)
    for _ in range(extra):
        add(rng.randint(first, len(text)), "random", "a random place")
    return sorted(points.values(), key=lambda p: p.at)


def sample_cuts(points: list[CutPoint], rng: random.Random, n: int) -> list[CutPoint]:
    """``n`` of ``points`` (or all, if fewer): one of each class present first, then any others."""
    by_kind: dict[str, list[CutPoint]] = {}
    for point in points:
        by_kind.setdefault(point.kind, []).append(point)
    chosen = {p.at: p for p in (rng.choice(group) for group in by_kind.values())}
    rest = [p for p in points if p.at not in chosen]
    for point in rng.sample(rest, max(0, min(len(rest), n - len(chosen)))):
        chosen[point.at] = point
    return sorted(chosen.values(), key=lambda p: p.at)


def fixed_cut(doc: Marked) -> int:
    """The cut the ``cut_<layout>`` names of ``nianbao render`` make: after two of the seven values of the
    middle printed row of table 三 (half the text where there is none)."""
    rows: dict[str, list[int]] = {}
    for span in doc.spans:
        if span.role in (Role.VALUE, Role.DROPPED) and span.id.startswith("t3."):
            rows.setdefault(span.id.rsplit(".", 1)[0], []).append(close_of(doc.text, span))
    if not rows:
        return len(doc.text) // 2
    middle = list(rows.values())[len(rows) // 2]
    return sorted(middle)[1]
