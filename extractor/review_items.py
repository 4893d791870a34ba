"""Review items: a record's queued cells → the decisions a person makes, each settling one or more cells.

Everything the source leaves unread is one item per document (the source stops here, or lacks the rows:
its truncated cells, its rows not in the source, an agency it never names); a table printed blank, the
merged （六） sub-rows of a table, a table found without its heading and an unclear title are one item
each; an ambiguous row is one item whose choices are its equally good readings — rows the table's
arithmetic moves together one item, their readings side by side (``coupled_rows``) —, a failed identity
one item with all its cells; any other queued cell is an item of its own. The review queue stores the
grouping and ``nianbao eval`` measures the review load with it, so both count items the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .identities import check_all
from .records import Alignment, Cell, Flag, Method, Record, Value
from .template import EDITIONS

Kind = Literal["truncated", "missing", "blank", "merged", "heading", "meta", "ambiguous", "identity", "cell"]

_TRUNCATED, _MISSING = Flag.TRUNCATED.value, Flag.MISSING_IN_SOURCE.value
UNREAD = frozenset({_TRUNCATED, _MISSING})
"""Flags of cells the source leaves unread: the text ends before them (or in their row), or lacks their row."""
TABLE_WIDE = {Flag.BLANK_TABLE.value: "blank", Flag.DERIVED_FROM_MERGED_ROW.value: "merged",
              Flag.SECTION_HEADING_MISSING.value: "heading", Flag.META_UNCERTAIN.value: "meta"}
"""Flags that say one thing about a whole table (a table printed blank, its （六） sub-rows merged, found
without its heading, the title unclear): their cells of one table are one item."""
READ = frozenset({Alignment.POSITIONAL, Alignment.COMPACTED, Alignment.SOLVED, Alignment.SPLIT})
"""Placements of a value read from the source, not derived, guessed or absent."""

READING = "reading "
"""The prefix of an ambiguous cell's ``alternatives`` keys (``reading 1`` is the value given)."""


@dataclass(frozen=True)
class ReviewItem:
    """One decision: the cells it settles and, for an ambiguous row, the readings to choose from."""

    key: str
    """Unique within the document: ``truncated``, ``missing:t3``, ``ambiguous:t3.new``, ``identity:t3.new.total``,
    ``cell:…``."""
    kind: Kind
    cells: tuple[str, ...]
    choices: tuple[dict[str, Value], ...] = field(default=())
    """Ambiguous rows: each reading's value of every cell, the given reading first."""


def needs_review(cell: Cell, threshold: float) -> bool:
    """Whether a cell goes to a person: any flag, or a confidence under the threshold."""
    return bool(cell.flags) or cell.confidence < threshold


def queued_cells(record: Record, threshold: float) -> list[str]:
    """The cells that go to a person: every flagged cell but the nulls known to be unread, and the unsure
    ones that no independent evidence confirms."""
    return queued_of(record.cells, record.template, threshold)


def queued_of(cells: Mapping[str, Cell], template: str | None, threshold: float) -> list[str]:
    """``queued_cells`` of a record's cells and edition: a record needs review when any is queued."""
    return list(_queued(cells, template, threshold))


def any_queued(cells: Mapping[str, Cell], template: str | None, threshold: float) -> bool:
    """``bool(queued_of(…))``, the record's status: it stops at the first cell queued."""
    return next(_queued(cells, template, threshold), None) is not None


def _queued(cells: Mapping[str, Cell], template: str | None, threshold: float) -> Iterator[str]:
    """The queued cells in order; the identities are checked only when an unsure, unflagged cell needs them."""
    cut = any(_TRUNCATED in cell.flags for cell in cells.values())
    confirmed: set[str] | None = None
    for c, cell in cells.items():
        if cell.flags and not settled(cell, threshold, cut=cut):
            yield c
        elif cell.confidence < threshold:
            if confirmed is None:
                confirmed = confirmed_of(cells, template)
            if c not in confirmed:
                yield c


def settled(cell: Cell, threshold: float, *, cut: bool) -> bool:
    """A null that the source surely leaves unread, nothing else doubting it: the text ends before its row,
    or (in a text that is not cut off, where an unmatched row could be the one it ends in) the source has
    no such row. A person has nothing to decide; the cell stays flagged."""
    if cell.value is not None or cell.confidence < threshold:
        return False
    return cell.flags == [_TRUNCATED] or (not cut and cell.flags == [_MISSING])


def confirmed_cells(record: Record) -> set[str]:
    """Unflagged read cells that an identity confirms: one holds with every one of its cells read and
    unflagged (none derived), and none they take part in fails."""
    return confirmed_of(record.cells, record.template)


def confirmed_of(record_cells: Mapping[str, Cell], template: str | None) -> set[str]:
    """``confirmed_cells`` of a record's cells and edition."""
    if template not in EDITIONS:
        return set()
    read = {c for c, cell in record_cells.items()
            if cell.method is Method.RULE and cell.alignment in READ and cell.value is not None and not cell.flags}
    confirmed: set[str] = set()
    failing: set[str] = set()
    for result in check_all(str(template), {c: cell.value for c, cell in record_cells.items()}):
        cells = set(result.identity.cells)
        if result.holds is False:
            failing |= cells
        elif result.holds and cells <= read:
            confirmed |= cells
    return confirmed - failing


def review_items(record: Record, queued: Iterable[str]) -> list[ReviewItem]:
    """The queued cells of a record as items, in the order of the record's cells."""
    order = {c: i for i, c in enumerate(record.cells)}
    todo = sorted(set(queued) & set(record.cells), key=order.__getitem__)
    items: list[ReviewItem] = []
    taken: set[str] = set()

    unread = [c for c in todo if _unread(c, record.cells[c])]
    if len(unread) > 1:
        cut = any(Flag.TRUNCATED.value in record.cells[c].flags for c in unread)
        unread_kind: Kind = "truncated" if cut else "missing"
        items.append(ReviewItem(unread_kind, unread_kind, tuple(unread)))
        taken.update(unread)

    wide: dict[tuple[str, str], list[str]] = {}
    for c in todo:
        kind = next((k for f, k in TABLE_WIDE.items() if f in record.cells[c].flags), None)
        if c not in taken and kind is not None:
            wide.setdefault((kind, c.split(".", 1)[0]), []).append(c)
    for (kind, table), cells in wide.items():
        if len(cells) > 1:
            items.append(ReviewItem(f"{kind}:{table}", kind, tuple(cells)))  # type: ignore[arg-type]
            taken.update(cells)

    rows: dict[str, list[str]] = {}
    for c in todo:
        cell = record.cells[c]
        # a row the LLM filled unconfirmed is one decision too (a pick keeps the other readings)
        if c not in taken and {Flag.AMBIGUOUS_ALIGNMENT.value, Flag.LLM_UNCONFIRMED.value} & set(cell.flags):
            rows.setdefault(_reading_group(c, cell), []).append(c)
    for coupled in coupled_rows(record, rows):
        joined = tuple(c for row in coupled for c in rows[row])
        items.append(ReviewItem(f"ambiguous:{coupled[0]}", "ambiguous", joined,
                                choices_of({c: record.cells[c] for c in joined})))
        taken.update(joined)

    for group in _failing_groups(record, [c for c in todo if c not in taken]):
        items.append(ReviewItem(f"identity:{group[0]}", "identity", group))
        taken.update(group)

    items += [ReviewItem(f"cell:{c}", "cell", (c,)) for c in todo if c not in taken]
    return items


def coupled_rows(record: Record, rows: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """The ambiguous rows, joined where one answer settles them together (each alone otherwise).

    Rows are coupled when a reading of one alone breaks an identity that holds as given and that holds
    cells of the other: the table's arithmetic makes them move together — in a table that drops its blank
    cells, each row's lone number may stand in any column, but the column sums put them all in the same
    one. They are joined only when their readings line up: reading *i* of every row, taken together, keeps
    every identity that holds as given, so the joint choices are the rows' own readings, side by side.
    """
    choices = {row: choices_of({c: record.cells[c] for c in cells}) for row, cells in rows.items()}
    open_rows = [row for row in rows if len(choices[row]) > 1]
    if len(open_rows) < 2 or record.template not in EDITIONS:
        return [[row] for row in rows]
    template = str(record.template)
    given = {c: cell.value for c, cell in record.cells.items()}
    held = [r.holds is True for r in check_all(template, given)]
    owner = {c: row for row in open_rows for c in rows[row]}
    joined = _Joined()

    def broken(values: Mapping[str, Value]) -> list[tuple[str, ...]]:
        return [r.identity.cells for r, h in zip(check_all(template, {**given, **values}), held, strict=True)
                if h and r.holds is not True]

    for row in open_rows:
        for reading in choices[row][1:]:
            for cells in broken(reading):
                for other in {owner[c] for c in cells if c in owner} - {row}:
                    joined.join(row, other)
    out: list[list[str]] = []
    for group in joined.groups(rows):
        n = {len(choices[row]) for row in group}
        if len(group) > 1 and (len(n) > 1 or any(
                broken({c: v for row in group for c, v in choices[row][i].items()}) for i in range(n.pop()))):
            out += [[row] for row in group]  # their readings do not line up: one decision each
        else:
            out.append(group)
    return out


def item_of(items: Iterable[ReviewItem]) -> dict[str, ReviewItem]:
    """Cell id → the item that settles it."""
    return {c: item for item in items for c in item.cells}


def _unread(cell_id: str, cell: Cell) -> bool:
    """Whether the source leaves the cell unread: truncated or its row absent (nothing else wrong with it),
    or an agency or year it never states."""
    flags = set(cell.flags)
    if flags & UNREAD:
        return not flags - UNREAD - {Flag.DAMAGED_TEXT.value}
    return cell_id.startswith("meta.") and cell.value is None and flags == {Flag.META_UNCERTAIN.value}


def _reading_group(cell_id: str, cell: Cell) -> str:
    """The row whose readings the cell shares (section 四 is read as one row)."""
    if cell_id.startswith("t4."):
        return "t4"
    return cell_id.rsplit(".", 1)[0]


def choices_of(cells: Mapping[str, Cell]) -> tuple[dict[str, Value], ...]:
    """Each reading's values; a cell that does not differ keeps its value in every reading."""
    names = sorted({k for cell in cells.values() for k in (cell.alternatives or {}) if k.startswith(READING)},
                   key=lambda k: int(k[len(READING):]))
    if len(names) < 2:
        return ()
    return tuple({c: (cell.alternatives or {}).get(name, cell.value) for c, cell in cells.items()}
                 for name in names)


def _failing_groups(record: Record, candidates: list[str]) -> list[tuple[str, ...]]:
    """The candidates flagged ``checksum_failed``, joined when a failing identity holds two of them."""
    flagged = [c for c in candidates if Flag.CHECKSUM_FAILED.value in record.cells[c].flags]
    if len(flagged) < 2 or record.template not in EDITIONS:
        return []
    joined = _Joined()
    values = {c: cell.value for c, cell in record.cells.items()}
    for result in check_all(str(record.template), values):
        if result.holds is not False:
            continue
        members = [c for c in result.identity.cells if c in flagged]
        for other in members[1:]:
            joined.join(members[0], other)
    return [tuple(cells) for cells in joined.groups(flagged) if len(cells) > 1]


class _Joined:
    """Which things one decision settles together: joined pairs, grouped (union–find)."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def _root(self, x: str) -> str:
        parent = self._parent
        while parent.setdefault(x, x) != x:
            parent[x] = parent.setdefault(parent[x], parent[x])
            x = parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        self._parent[self._root(b)] = self._root(a)

    def groups(self, order: Iterable[str]) -> list[list[str]]:
        """Every one of ``order`` in its group, groups and members in that order."""
        out: dict[str, list[str]] = {}
        for x in order:
            out.setdefault(self._root(x), []).append(x)
        return list(out.values())
