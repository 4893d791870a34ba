"""Decisions: a reviewer's answer for one cell → a stored decision, and the identities re-checked.

``accept`` keeps the extracted value, ``correct`` types a new one (validated
for the cell's type), ``unknown`` sets it to null, ``skip`` leaves it for later.
After each decision or undo, the cells flagged only ``checksum_failed`` leave
the queue when every identity they take part in holds with the decided values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..identities import IdentityResult, check_all
from ..records import Flag, Value
from ..template import EDITIONS, cell_specs, may_be_negative
from .store import CLAIM_SECONDS, ClaimConflict, Decision, InvalidDecision, Item, ReviewStore

_WIDE = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
_INT = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class DecisionResult:
    """What a decision or an undo did."""

    decision: Decision
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
    return DecisionResult(decision, resolved, requeued)


def undo(store: ReviewStore, reviewer: str, seconds: float = CLAIM_SECONDS) -> DecisionResult | None:
    """Undo the reviewer's last decision; its cell is claimed for them again. None: nothing to undo."""
    with store.transaction():
        decision = store.last_decision(reviewer)
        if decision is None:
            return None
        store.mark_undone(decision)
        resolved, requeued = recheck(store, decision.sha256)
        store.claim(decision.item_id, reviewer, seconds)
    return DecisionResult(decision, resolved, requeued)


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
