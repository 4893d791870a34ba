"""Decisions: a reviewer's answer for one cell, or for a review item's cells, → stored decisions,
and the identities re-checked.

``accept`` keeps the extracted value, ``correct`` types a new one (validated
for the cell's type), ``unknown`` sets it to null, ``skip`` leaves it for later.
On a review item (``decide_item``) one answer settles every cell: accept them all,
``choose`` a reading of an ambiguous row, or type ``values`` for some and accept the rest.
After each decision or undo, the cells flagged only ``checksum_failed`` leave
the queue when every identity they take part in holds with the decided values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..identities import IdentityResult, check_all
from ..records import Flag, Value
from ..review_items import choices_of
from ..template import EDITIONS, cell_specs, may_be_negative
from .store import CLAIM_SECONDS, ClaimConflict, Decision, InvalidDecision, Item, ReviewStore

_WIDE = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
_INT = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class DecisionResult:
    """What a decision or an undo did."""

    decision: Decision
    """The (first) decision made or undone."""
    cells: list[str] = field(default_factory=list)
    """Every cell the action decided or undid."""
    resolved: list[str] = field(default_factory=list)
    """Cells that left the queue: their identities now hold."""
    requeued: list[str] = field(default_factory=list)
    """Cells that came back: an identity fails again."""


def same_value(a: Value, b: Value) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1e-9
    return a == b


def parse_correction(cell: str, typed: object) -> Value:
    """A typed answer → the cell's value: an int for counts, a number for 万元, str/int for meta.

    Raises ``InvalidDecision`` saying what to type.
    """
    spec = cell_specs().get(cell)
    if spec is None:
        raise InvalidDecision(f"{cell} is not a cell of the template")
    if typed is None or isinstance(typed, bool):
        raise InvalidDecision("type a value, or mark the cell unknown")
    text = str(typed).strip().translate(_WIDE).replace(",", "").replace(" ", "")
    if not text:
        raise InvalidDecision("type a value, or mark the cell unknown (u)")
    if spec.type == "str":
        if cell == "meta.template" and text not in EDITIONS:
            raise InvalidDecision(f"meta.template is the edition: one of {', '.join(EDITIONS)}")
        return str(typed).strip()
    if spec.type == "decimal":
        scale = 1.0
        if text.endswith("万元"):
            text = text[:-2]
        elif text.endswith("元"):
            text, scale = text[:-1], 1e-4
        if not _NUMBER.fullmatch(text):
            raise InvalidDecision(f"{cell} is an amount in 万元: type a number such as 3.65 "
                              f"(or 36500元), not {typed!r}")
        if scale == 1.0 and _INT.fullmatch(text):
            return int(text)
        return round(float(text) * scale, 6)
    if not _INT.fullmatch(text):
        what = "a year such as 2021" if cell == "meta.year" else "a whole number such as 18"
        raise InvalidDecision(f"{cell} is a count: type {what}, not {typed!r}")
    number = int(text)
    if number < 0 and not may_be_negative(cell):
        raise InvalidDecision(f"{cell} is a count and cannot be negative")
    if cell == "meta.year" and not 1990 <= number <= 2100:
        raise InvalidDecision(f"meta.year {number} is not a plausible report year")
    return number


def decide(store: ReviewStore, item_id: int, reviewer: str, action: str,
           typed: object = None) -> DecisionResult:
    """Store one decision atomically and re-check the document's identities."""
    if not reviewer.strip():
        raise InvalidDecision("a decision needs a reviewer name (--reviewer)")
    with store.transaction():
        item = store.item(item_id)
        other = store.held_by_other(item, reviewer)
        if other is not None:
            raise ClaimConflict(f"{item.cell} of {item.document} is being reviewed by {other}")
        if item.state == "gone":
            raise ClaimConflict(f"{item.cell} of {item.document} is no longer flagged")
        value: Value
        if action == "accept":
            value = item.extracted.value
        elif action == "correct":
            value = parse_correction(item.cell, typed)
        else:
            value = None
        decision = store.add_decision(item, action, value, reviewer)
        resolved, requeued = recheck(store, item.sha256)
    return DecisionResult(decision, [item.cell], resolved, requeued)


ITEM_ACTIONS = ("accept", "choose", "values", "skip")


def decide_item(store: ReviewStore, item_id: int, reviewer: str, action: str, *,
                choice: int | None = None, values: Mapping[str, object] | None = None) -> DecisionResult:
    """Settle every undecided cell of the review item holding ``item_id`` in one act (undone together).

    ``accept``: the values as given; ``choose``: reading ``choice`` (1-based) of an ambiguous row;
    ``values``: the typed cells corrected (``""`` or null in ``values`` means unknown), the others accepted;
    ``skip``: all left for later.
    """
    if not reviewer.strip():
        raise InvalidDecision("a decision needs a reviewer name (--reviewer)")
    if action not in ITEM_ACTIONS:
        raise InvalidDecision(f"unknown action {action!r}; one of {', '.join(ITEM_ACTIONS)}")
    with store.transaction():
        head = store.item(item_id)
        members = [i for i in store.group_of(head) if i.decision is None or not i.decision.settles]
        for member in members:
            other = store.held_by_other(member, reviewer)
            if other is not None:
                raise ClaimConflict(f"{member.cell} of {member.document} is being reviewed by {other}")
        if head.state == "gone" or not members:
            raise ClaimConflict(f"{head.cell} of {head.document} is no longer in the queue")
        answers = _answers(members, action, choice, values or {})
        act: int | None = None
        first: Decision | None = None
        for member in members:
            how, value = answers[member.cell]
            made = store.add_decision(member, how, value, reviewer, act)
            act = act or made.id
            first = first or made
        resolved, requeued = recheck(store, head.sha256)
    assert first is not None
    return DecisionResult(first, [m.cell for m in members], resolved, requeued)


def _answers(members: list[Item], action: str, choice: int | None,
             typed: Mapping[str, object]) -> dict[str, tuple[str, Value]]:
    """Cell → (action, value) for each member."""
    if action == "skip":
        return {m.cell: ("skip", None) for m in members}
    if action == "accept":
        return {m.cell: ("accept", m.extracted.value) for m in members}
    if action == "choose":
        readings = choices_of({m.cell: m.extracted for m in members})
        if not readings:
            raise InvalidDecision("this item has no readings to choose from: accept or type the values")
        if choice is None or not 1 <= choice <= len(readings):
            raise InvalidDecision(f"choose a reading from 1 to {len(readings)}")
        reading = readings[choice - 1]
        return {m.cell: ("accept", m.extracted.value) if same_value(reading[m.cell], m.extracted.value)
                else ("correct", reading[m.cell]) for m in members}
    unknown = set(typed) - {m.cell for m in members}
    if unknown:
        raise InvalidDecision(f"{', '.join(sorted(unknown))} not in this item")
    out: dict[str, tuple[str, Value]] = {}
    for m in members:
        if m.cell not in typed:
            out[m.cell] = ("accept", m.extracted.value)
        elif typed[m.cell] is None or str(typed[m.cell]).strip() in ("", "null"):
            out[m.cell] = ("unknown", None)
        else:
            out[m.cell] = ("correct", parse_correction(m.cell, typed[m.cell]))
    return out


def undo(store: ReviewStore, reviewer: str, seconds: float = CLAIM_SECONDS) -> DecisionResult | None:
    """Undo the reviewer's last decision; its cell is claimed for them again. None: nothing to undo."""
    with store.transaction():
        decision = store.last_decision(reviewer)
        if decision is None:
            return None
        touched = store.mark_undone(decision)
        resolved, requeued = recheck(store, decision.sha256)
        for item_id in touched:
            store.claim(item_id, reviewer, seconds)
        cells = [store.item(i).cell for i in touched]
    return DecisionResult(decision, cells, resolved, requeued)


def decided_values(store: ReviewStore, sha256: str,
                   items: list[Item] | None = None) -> dict[str, Value]:
    """The document's values with every settled decision applied."""
    record = store.record(sha256)
    values: dict[str, Value] = {c: cell.value for c, cell in record.cells.items()}
    for item in items if items is not None else store.items_of(sha256):
        if item.decision is not None and item.decision.settles:
            values[item.cell] = item.decision.value
    return values


def identities_of(cell: str, edition: str | None,
                  values: dict[str, Value]) -> list[IdentityResult]:
    """Every identity the cell takes part in, evaluated on the given values."""
    if edition not in EDITIONS:
        return []
    assert edition is not None
    return [r for r in check_all(edition, values) if cell in r.identity.cells]


def recheck(store: ReviewStore, sha256: str) -> tuple[list[str], list[str]]:
    """Drop checksum-only cells whose identities all hold now; bring back those that fail again."""
    items = store.items_of(sha256)
    only_checksum = [i for i in items if i.state in ("queued", "resolved")
                     and i.extracted.flags == [Flag.CHECKSUM_FAILED.value]
                     and (i.decision is None or not i.decision.settles)]
    if not only_checksum:
        return [], []
    edition = store.record(sha256).template
    values = decided_values(store, sha256, items)
    resolved: list[str] = []
    requeued: list[str] = []
    for item in only_checksum:
        results = identities_of(item.cell, edition, values)
        holds = bool(results) and all(r.holds is True for r in results)
        state = "resolved" if holds else "queued"
        if state != item.state:
            store.set_state(item.id, state)
            (resolved if holds else requeued).append(item.cell)
    return resolved, requeued
