"""The review queue: selection, risk order, sync without losing decisions, claims, decisions."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from review_fixtures import SEED_000, SEED_001, SEED_004, corrupted, moved, seed, seeds

from extractor.records import Cell, Method, Record
from extractor.review import (
    ClaimConflict,
    InvalidDecision,
    ReviewStore,
    decide,
    decide_item,
    parse_correction,
    sync_records,
    undo,
    view,
)
from extractor.review.queue import tier
from extractor.review_items import settled as settled_null


def _rows(db: Path, sql: str, *params: object) -> list[sqlite3.Row]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return list(con.execute(sql, params))
    finally:
        con.close()


def test_sync_queues_every_flagged_or_unsure_cell_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    records = seeds()
    summary = sync_records(db, records, 0.8)
    settled = [c for r in records for c in r.cells.values()
               if settled_null(c, 0.8, cut=any("truncated" in x.flags for x in r.cells.values()))]
    # the rows a whole report leaves out (null, flagged missing_in_source) are known: no decision to make
    assert settled and all(c.value is None and c.flags == ["missing_in_source"] for c in settled)
    expected = sum(1 for r in records for c in r.cells.values() if c.flags or c.confidence < 0.8) - len(settled)
    assert summary.queued == summary.new == expected
    assert str(summary) == f"{expected} cells queued ({expected} new, 0 kept), 0 decided earlier"
    assert len(_rows(db, "SELECT * FROM documents")) == 5
    assert _rows(db, "PRAGMA journal_mode")[0][0] == "wal"
    # a stricter threshold queues unflagged cells too
    more = sync_records(tmp_path / "strict.db", records, 0.999)
    assert more.queued > expected


def test_risk_order_puts_failed_identities_first_and_keeps_tables_together(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    bad = corrupted(seed(SEED_000), "t3.new.natural_person", 81)
    sync_records(db, [seed(SEED_001), bad, seed(SEED_004)], 0.8)
    with ReviewStore(db) as store:
        queue = store.queue()
    assert queue[0].document == SEED_000 and tier(queue[0].extracted) == 0
    # all of a document's cells come together, and within it each table's cells together
    docs = [i.document for i in queue]
    assert docs == sorted(docs, key=lambda d: docs.index(d))
    for document in set(docs):
        tables = [i.table for i in queue if i.document == document]
        assert all(tables[k] == tables[k + 1] or tables[k + 1] not in tables[:k + 1]
                   for k in range(len(tables) - 1)), tables


def test_context_is_read_from_the_source_with_the_number_highlighted(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    bad = corrupted(seed(SEED_000), "t3.new.natural_person", 81)
    sync_records(db, [bad], 0.8)
    with ReviewStore(db) as store:
        item = next(i for i in store.queue() if i.cell == "t3.new.total")
        shown = view(store, item)
    c = shown.context
    assert c.source == "document" and c.evidence and c.number
    assert "本年新收" in c.text[c.evidence[0]:c.evidence[1]]
    assert c.text[c.number[0]:c.number[1]] == str(bad.cells["t3.new.total"].value)
    assert [n.label for n in shown.row_cells][0] == "自然人"
    assert any(n.current for n in shown.row_cells)
    assert "checksum_failed" in shown.flags and "does not add up" in shown.flag_words[0]
    failing = shown.identities[0]
    assert "FAILS" in failing.text and failing.left_sum != failing.right_sum
    assert {t.cell for t in failing.left + failing.right} >= {"t3.new.total"}


def test_context_falls_back_to_the_evidence_when_the_source_is_gone(tmp_path: Path) -> None:
    record = moved(seed(SEED_001), tmp_path / "docs")
    assert record.path is not None
    Path(record.path).unlink()
    db = tmp_path / "review.db"
    sync_records(db, [record], 0.8)
    with ReviewStore(db) as store:
        item = next(i for i in store.queue() if i.cell == "t3.new.natural_person")
    assert item.context["source"] == "evidence"
    assert item.context["text"] == record.cells["t3.new.natural_person"].evidence.text  # type: ignore[union-attr]


def test_resync_keeps_decisions_and_requeues_changed_values(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    record = seed(SEED_001)
    first = sync_records(db, [record], 0.8)
    with ReviewStore(db) as store:
        a = store.claim_next("alice")
        assert a is not None
        decide(store, a.id, "alice", "accept")
        b = store.claim_next("alice")
        assert b is not None
        decide(store, b.id, "alice", "correct", "2021")
    again = sync_records(db, [record], 0.8)
    assert (again.queued, again.new, again.kept, again.decided_earlier) == (first.queued, 0,
                                                                            first.queued, 2)
    changed = record.model_copy(deep=True)
    changed.cells[b.cell] = changed.cells[b.cell].model_copy(update={"value": 2020})
    third = sync_records(db, [changed], 0.8)
    assert third.requeued == 1 and third.decided_earlier == 1
    assert "1 re-queued" in str(third)
    stale = _rows(db, "SELECT stale FROM decisions WHERE cell = ?", b.cell)
    assert [r["stale"] for r in stale] == [1]
    with ReviewStore(db) as store:
        assert store.item(b.id).decision is None and store.item(a.id).decision is not None


def test_two_reviewers_never_hold_the_same_cell_and_claims_expire(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    sync_records(db, [seed(SEED_001), seed(SEED_004)], 0.8)
    clock = [1000.0]
    alice = ReviewStore(db, clock=lambda: clock[0])
    bob = ReviewStore(db, clock=lambda: clock[0])
    a = alice.claim_next("alice", seconds=600)
    b = bob.claim_next("bob", seconds=600)
    assert a is not None and b is not None and a.id != b.id
    assert alice.claim_next("alice").id == a.id  # type: ignore[union-attr]  # a reload: same cell
    with pytest.raises(ClaimConflict, match="being reviewed by alice"):
        decide(bob, a.id, "bob", "accept")
    clock[0] += 300
    assert bob.claim_next("bob").id == b.id  # type: ignore[union-attr]  # renews bob's claim
    clock[0] += 301  # alice walked away: her claim expired, bob's has not
    assert bob.claim_next("bob").id == b.id  # type: ignore[union-attr]
    decide_item(bob, b.id, "bob", "accept")  # his whole review item
    assert bob.claim_next("bob").id == a.id  # type: ignore[union-attr]
    decide_item(bob, a.id, "bob", "accept")
    assert alice.claim_next("alice").id not in (a.id, b.id)  # type: ignore[union-attr]
    alice.close()
    bob.close()


def test_concurrent_claims_hand_out_distinct_cells(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    sync_records(db, [seed(SEED_004)], 0.8)
    with ReviewStore(db) as store:
        queued = [i.id for i in store.queue()]
    got: list[int] = []
    lock = threading.Lock()

    def reviewer(name: str) -> None:
        with ReviewStore(db) as store:
            while (item := store.claim_next(name)) is not None:
                with lock:  # a review item's cells are all this reviewer's
                    got.extend(i.id for i in store.group_of(item))
                decide_item(store, item.id, name, "skip")

    threads = [threading.Thread(target=reviewer, args=(f"r{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == sorted(queued) and len(queued) > 10


def test_a_correction_recheck_drops_cells_whose_identities_now_hold(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    bad = corrupted(seed(SEED_000), "t3.new.natural_person", 81)
    sync_records(db, [bad], 0.8)
    with ReviewStore(db) as store:
        queued = {i.cell for i in store.queue()}
        assert {"t3.new.natural_person", "t3.new.total", "t3.total.natural_person"} <= queued
        target = next(i for i in store.queue() if i.cell == "t3.new.natural_person")
        assert store.claim(target.id, "alice")
        outcome = decide(store, target.id, "alice", "correct", "18")
        assert "t3.new.total" in outcome.resolved and "t3.total.natural_person" in outcome.resolved
        assert {i.cell for i in store.queue()} == {"t3.new.natural_person"}
        row = _rows(db, "SELECT * FROM decisions")[0]
        assert (row["action"], row["value"], row["reviewer"]) == ("correct", "18", "alice")
        assert Cell.model_validate_json(row["original"]).value == 81
        assert row["decided_at"]
        # undo brings them back, and the undone cell is claimed for alice again
        back = undo(store, "alice")
        assert back is not None and "t3.new.total" in back.requeued
        again = store.claim_next("alice")
        assert again is not None and again.id == target.id
        assert _rows(db, "SELECT undone FROM decisions")[0]["undone"] == 1


def test_a_cell_with_another_flag_stays_queued_after_its_identities_hold(tmp_path: Path) -> None:
    record = corrupted(seed(SEED_000), "t3.new.natural_person", 81)
    total = record.cells["t3.new.total"]
    record.cells["t3.new.total"] = total.model_copy(
        update={"flags": [*total.flags, "ambiguous_alignment"]})
    db = tmp_path / "review.db"
    sync_records(db, [record], 0.8)
    with ReviewStore(db) as store:
        target = next(i for i in store.queue() if i.cell == "t3.new.natural_person")
        decide(store, target.id, "alice", "correct", 18)
        assert {i.cell for i in store.queue()} == {"t3.new.natural_person", "t3.new.total"}


@pytest.mark.parametrize(("cell", "typed", "value"), [
    ("t3.new.total", "18", 18), ("t3.new.total", "１８", 18), ("t3.new.total", " 1,234 ", 1234),
    ("t2.fees.amount", "3.65", 3.65), ("t2.fees.amount", "36500元", 3.65), ("t2.fees.amount", "7", 7),
    ("t2.fees.change", "-2", -2), ("meta.year", "2021", 2021), ("meta.agency", "杭州市教育局", "杭州市教育局"),
    ("meta.template", "2019", "2019"),
])
def test_typed_values_are_validated_for_their_cell(cell: str, typed: str, value: object) -> None:
    assert parse_correction(cell, typed) == value
    assert type(parse_correction(cell, typed)) is type(value)


@pytest.mark.parametrize(("cell", "typed", "why"), [
    ("t3.new.total", "1.5", "whole number"), ("t3.new.total", "-1", "negative"),
    ("t3.new.total", "", "unknown"), ("t2.fees.amount", "abc", "万元"),
    ("meta.year", "21", "plausible"), ("meta.template", "2020", "edition"), ("t9.x", "1", "not a cell"),
])
def test_bad_typed_values_say_what_to_type(cell: str, typed: str, why: str) -> None:
    with pytest.raises(InvalidDecision, match=why):
        parse_correction(cell, typed)


def test_failed_records_and_unknown_actions_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    failed = Record(document="empty.txt", status="failed", error="the file is empty")
    assert sync_records(db, [failed], 0.8).queued == 0
    sync_records(db, [seed(SEED_001)], 0.8)
    with ReviewStore(db) as store:
        item = store.claim_next("alice")
        assert item is not None
        with pytest.raises(InvalidDecision, match="unknown action"):
            decide(store, item.id, "alice", "approve")
        with pytest.raises(InvalidDecision, match="reviewer"):
            decide(store, item.id, " ", "accept")
        assert store.item(item.id).decision is None
        assert item.extracted.method is Method.RULE


def test_llm_disagreements_come_first_and_show_both_readings(tmp_path: Path) -> None:
    record = seed(SEED_001)
    cell = record.cells["t2.licensing.decisions"]
    update: dict[str, object] = {"flags": ["llm_disagrees"], "confidence": 0.6,
                                 "note": "rule 551, llm 515"}
    if "alternatives" in Cell.model_fields:
        update["alternatives"] = {"rule": 551, "llm": 515}
    record.cells["t2.licensing.decisions"] = cell.model_copy(update=update)
    db = tmp_path / "review.db"
    sync_records(db, [record], 0.8)
    with ReviewStore(db) as store:
        first = store.claim_next("ivan")
        assert first is not None and first.cell == "t2.licensing.decisions"
        shown = view(store, first)
    assert shown.readings == {"rule": "551", "llm": "515"}
    assert "disagree" in shown.flag_words[0]
