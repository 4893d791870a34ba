"""What the reviewer sees for one queued cell: labels, flags in words, identities, the row, the source.

``view(store, item)`` → ``ItemView``, a plain value that the terminal renders
with rich and the web page receives as JSON (``ItemView.to_json``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from ..identities import IdentityResult
from ..records import Cell, Value
from ..review_items import choices_of
from ..template import cell_specs, cells_for
from .context import Context
from .decisions import decided_values, identities_of
from .store import Item, ReviewStore

FLAG_WORDS = {
    "checksum_failed": "an identity this cell takes part in does not add up",
    "ambiguous_alignment": "cells were dropped in this row and several placements fit the arithmetic",
    "missing_in_source": "the row is not in the source (a truncated table): the value is null",
    "derived_total": "总计 is blank in the source; the value is the sum of the row",
    "derived_from_merged_row": "the report prints （六）其他处理 as one row; this sub-row is derived",
    "extra_values": "the row held more numbers than the table has columns",
    "section_heading_missing": "section 四 was found by its table's shape; its heading is lost",
    "blank_table": "the table is printed with every cell blank, read as 0",
    "meta_uncertain": "the agency or year is not stated in a title",
    "ocr_uncertain": "read from a scan with a low OCR score, and no identity confirms it",
    "not_in_source": "the value was not found in the source near its row label",
    "llm_disagrees": "the rule reading and the LLM reading disagree",
    "llm_skipped": "the LLM fallback was not run for this table",
    "llm_failed": "the LLM fallback failed for this table",
    "llm_unconfirmed": "filled by the LLM from the text, and no identity confirms it",
    "narrative_mismatch": "the report's own sentence states another number (both readings below, the sentence "
                          "in the note)",
    "cross_year_mismatch": "the same agency's report of the year before or after gives another number for "
                           "this carried-over count (the document in the note)",
}

TABLE_NAMES = {
    "meta": "报告信息",
    "t2": "二、主动公开政府信息情况",
    "t3": "三、收到和处理政府信息公开申请情况",
    "t4": "四、政府信息公开行政复议、行政诉讼情况",
}

_READING = re.compile(r"\b(rule|llm|LLM)\b\s*(?:value|read|reads|says|gave)?\s*[:=]?\s*"
                      r"(-?\d+(?:\.\d+)?|null)")


def shown(value: Value) -> str:
    """A value as a reviewer reads it: ``null`` for None."""
    return "null" if value is None else str(value)


def flag_words(flag: str) -> str:
    return FLAG_WORDS.get(flag, flag.replace("_", " "))


def label_of(cell: str) -> str:
    spec = cell_specs().get(cell)
    if spec is None:
        return cell
    if cell.startswith("meta.") or not spec.col_zh:
        return spec.row_zh
    return spec.col_zh.split(" / ")[-1]


@dataclass(frozen=True)
class Term:
    cell: str
    label: str
    value: Value


@dataclass(frozen=True)
class IdentityView:
    """A failing identity with its numbers: ``left`` terms add up to ``left_sum``."""

    name: str
    left: list[Term]
    right: list[Term]
    left_sum: float | None
    right_sum: float | None
    text: str


@dataclass(frozen=True)
class Neighbour:
    """Another cell of the same table row."""

    cell: str
    label: str
    value: Value
    flagged: bool
    decided: bool
    current: bool


GROUP_WORDS = {
    "truncated": "the source stops here (and lacks what is listed): confirm that these cells are not in it "
                 "(null), or type the values",
    "missing": "these rows are not in the source: confirm that they are unknown (null), or type the values",
    "merged": "the （六） row is printed as one: its sub-rows are derived from it; accept, or type the values",
    "heading": "the table was found by its shape, its heading missing: accept, or correct the values",
    "blank": "the table is printed with every cell blank, read as 0: accept, or type the values",
    "meta": "the agency or year is not stated in a title: accept, or type them",
    "ambiguous": "several readings fit the arithmetic (rows it ties together are read together): pick the one "
                 "the source shows (1–9), or type the values",
    "identity": "these cells take part in an identity that does not add up: accept them, or correct the "
                "wrong ones",
}


@dataclass(frozen=True)
class Member:
    """A cell that the same decision settles."""

    cell: str
    label: str
    value: Value
    decided: bool
    current: bool


@dataclass(frozen=True)
class GroupView:
    """The review item a cell belongs to: one decision settles all its cells."""

    kind: str
    words: str
    members: list[Member]
    choices: list[dict[str, Value]]
    """Ambiguous rows: each reading's values, the given one first."""


@dataclass(frozen=True)
class Progress:
    total: int
    """Cells in the queue, including those that left it after a correction."""
    decided: int
    skipped: int
    pending: int
    resolved: int
    """Cells whose identities hold after corrections: no decision needed."""

    @property
    def done(self) -> int:
        return self.decided + self.resolved

    def __str__(self) -> str:
        out = f"{self.done} of {self.total} decided"
        if self.skipped:
            out += f", {self.skipped} skipped"
        if self.resolved:
            out += f" ({self.resolved} left the queue: their identities now hold)"
        return out


@dataclass(frozen=True)
class ItemView:
    item_id: int
    document: str
    sha256: str
    path: str | None
    cell: str
    table: str
    table_name: str
    row: str
    column: str
    unit: str
    type: str
    value: Value
    """The proposed value."""
    method: str
    confidence: float
    flags: list[str]
    flag_words: list[str]
    note: str | None
    readings: dict[str, str]
    """The rule and LLM values when they disagree (from the note)."""
    identities: list[IdentityView]
    row_cells: list[Neighbour]
    context: Context
    decision: dict[str, Any] | None
    """The cell's current decision (a skip, when revisiting skipped cells)."""
    progress: Progress
    group: GroupView | None = None
    """When one decision settles several cells: all of them, and the readings to choose from."""
    page_image: bool = False
    """Whether the PDF page region can be shown (``/review/items/{id}/page.png``)."""

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["progress"]["done"] = self.progress.done
        out["progress"]["text"] = str(self.progress)
        return out


def progress(store: ReviewStore, sha256: str | None = None) -> Progress:
    row = store.db.execute(
        "SELECT count(*) AS total, "
        "coalesce(sum(i.state = 'queued' AND d.action IS NOT NULL AND d.action != 'skip'), 0) AS decided, "
        "coalesce(sum(i.state = 'queued' AND d.action = 'skip'), 0) AS skipped, "
        "coalesce(sum(i.state = 'queued' AND d.id IS NULL), 0) AS pending, "
        "coalesce(sum(i.state = 'resolved'), 0) AS resolved "
        "FROM items i LEFT JOIN decisions d ON d.id = i.decision_id "
        "WHERE i.state IN ('queued', 'resolved') AND (? IS NULL OR i.sha256 = ?)",
        (sha256, sha256)).fetchone()
    return Progress(row["total"], row["decided"], row["skipped"], row["pending"], row["resolved"])


def view(store: ReviewStore, item: Item, sha256_filter: str | None = None) -> ItemView:
    """Everything the reviewer needs to decide one cell."""
    record = store.record(item.sha256)
    items = store.items_of(item.sha256)
    values = decided_values(store, item.sha256, items)
    spec = cell_specs().get(item.cell)
    cell = item.extracted
    failing = [r for r in identities_of(item.cell, record.template, values) if r.holds is False]
    return ItemView(
        item_id=item.id, document=item.document, sha256=item.sha256, path=record.path,
        cell=item.cell, table=item.table, table_name=TABLE_NAMES.get(item.table, item.table),
        row=spec.row_zh if spec else item.cell, column=spec.col_zh if spec else "",
        unit=spec.unit if spec else "", type=spec.type if spec else "",
        value=cell.value, method=cell.method.value, confidence=cell.confidence,
        flags=list(cell.flags), flag_words=[flag_words(f) for f in cell.flags], note=cell.note,
        readings=readings(cell),
        identities=[_identity(r, values) for r in failing],
        row_cells=_row(item, items, record.template, values),
        context=Context.from_json(item.context),
        decision=None if item.decision is None else {
            "action": item.decision.action, "value": item.decision.value,
            "reviewer": item.decision.reviewer, "decided_at": item.decision.decided_at},
        progress=progress(store, sha256_filter),
        group=_group(store, item),
        page_image=bool(record.format == "pdf" and record.path and cell.evidence is not None
                        and cell.evidence.page and cell.evidence.bbox))


def _group(store: ReviewStore, item: Item) -> GroupView | None:
    if not item.group:
        return None
    members = store.group_of(item)
    one_row = len({m.cell.rsplit(".", 1)[0] for m in members}) == 1  # its columns tell the cells apart
    return GroupView(
        kind=item.kind, words=GROUP_WORDS.get(item.kind, ""),
        members=[Member(cell=m.cell, label=label_of(m.cell) if one_row else _long_label(m.cell),
                        value=m.extracted.value,
                        decided=m.decision is not None and m.decision.settles, current=m.id == item.id)
                 for m in members],
        choices=list(choices_of({m.cell: m.extracted for m in members})))


def _long_label(cell: str) -> str:
    spec = cell_specs().get(cell)
    return cell if spec is None else f"{spec.row_zh} / {label_of(cell)}"


def readings(cell: Cell) -> dict[str, str]:
    """``{"rule": "81", "llm": "18"}`` when the readings disagree: the cell's alternatives, or its note."""
    alternatives = getattr(cell, "alternatives", None)  # absent from records of older pipelines
    if isinstance(alternatives, dict) and len(alternatives) > 1:
        return {str(k): "null" if v is None else str(v) for k, v in alternatives.items()}
    if "llm_disagrees" not in cell.flags:
        return {}
    found: dict[str, str] = {}
    for m in _READING.finditer(cell.note or ""):
        found.setdefault(m.group(1).lower(), m.group(2))
    return found if len(found) > 1 else {}


def _identity(result: IdentityResult, values: dict[str, Value]) -> IdentityView:
    i = result.identity
    rows = {c.rsplit(".", 1)[0] for c in i.cells}
    columns = {c.rsplit(".", 1)[1] for c in i.cells}

    def label(c: str) -> str:
        spec = cell_specs()[c]
        if len(rows) == 1:  # one row: its columns tell the terms apart
            return label_of(c)
        if len(columns) == 1:  # one column: its rows do
            return spec.row_zh
        return f"{spec.row_zh} / {label_of(c)}"

    def terms(cells: tuple[str, ...]) -> list[Term]:
        return [Term(c, label(c), values.get(c)) for c in cells]

    return IdentityView(i.name, terms(i.left), terms(i.right), result.left_sum, result.right_sum,
                        result.describe())


def _row(item: Item, items: list[Item], edition: str | None,
         values: dict[str, Value]) -> list[Neighbour]:
    prefix = item.cell.rsplit(".", 1)[0] + "." if item.table != "meta" else "meta."
    queued = {i.cell for i in items if i.state == "queued"}
    settled = {i.cell for i in items if i.decision is not None and i.decision.settles}
    order = cells_for(edition) if edition else tuple(values)
    return [Neighbour(cell=c, label=label_of(c), value=values.get(c), flagged=c in queued,
                      decided=c in settled, current=c == item.cell)
            for c in order if c.startswith(prefix) and c in values]
