"""Review items: what one decision settles (a truncated table, an ambiguous row, a failed identity), stored
with the queue, decided in one act and undone together; the table grid of an HTML source."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DOCS, load_golden, same
from review_fixtures import SEED_000, SEED_001, SEED_004, corrupted, seed

from extractor.identities import check_all
from extractor.records import Record
from extractor.review import Decision, InvalidDecision, ReviewStore, decide_item, sync_records, undo
from extractor.review.context import table_grid
from extractor.review_items import needs_review, review_items


def _queued(record: Record) -> list[str]:
    return [c for c, x in record.cells.items() if needs_review(x, 0.8)]


def test_ambiguous_rows_the_arithmetic_couples_are_one_item_whose_choices_hold_the_golden_reading() -> None:
    record = seed(SEED_001)
    golden = load_golden(SEED_001)
    items = review_items(record, _queued(record))
    # blanks dropped: each row's lone number fits any column, but the column sums put 新收, 部分公开 and 总计
    # in the same one: one answer settles the three rows
    [item] = [i for i in items if i.kind == "ambiguous"]
    assert item.key == "ambiguous:t3.new" and len(item.cells) == 18 and len(item.choices) > 1
    assert {c.rsplit(".", 1)[0] for c in item.cells} == {"t3.new", "t3.partial", "t3.total"}
    assert item.choices[0] == {c: record.cells[c].value for c in item.cells}  # the given reading first
    assert any(all(same(choice[c], golden[c]) for c in item.cells) for choice in item.choices)
    for choice in item.choices:  # every choice keeps the table's arithmetic
        values = {c: x.value for c, x in record.cells.items()} | choice
        assert not [r for r in check_all("2021", values) if r.holds is False]
    # 20 queued cells, 2 decisions: the agency and year not stated in a title are one
    assert sum(len(i.cells) for i in items) == 20 and len(items) == 2
    assert [i.cells for i in items if i.kind == "meta"] == [("meta.agency", "meta.year")]


def test_rows_whose_readings_do_not_line_up_stay_apart() -> None:
    from extractor.review_items import coupled_rows

    record = seed(SEED_001)
    rows = {row: [c for c in record.cells if c.startswith(row + ".") and record.cells[c].alternatives]
            for row in ("t3.new", "t3.partial", "t3.total")}
    assert coupled_rows(record, rows) == [["t3.new", "t3.partial", "t3.total"]]
    assert coupled_rows(record, {"t3.new": rows["t3.new"]}) == [["t3.new"]]  # one row: nothing to join
    # 总计's readings in another order: reading i of the three rows no longer keeps the column sums, so the
    # joint choices would be wrong ones: three decisions instead
    rotated = record.model_copy(deep=True)
    for c in rows["t3.total"]:
        alt = rotated.cells[c].alternatives or {}
        rest = [alt[f"reading {i}"] for i in range(2, len(alt) + 1)]
        rotated.cells[c].alternatives = {"reading 1": alt["reading 1"]} | {
            f"reading {i}": v for i, v in enumerate(rest[1:] + rest[:1], 2)}
    assert coupled_rows(rotated, rows) == [["t3.new"], ["t3.partial"], ["t3.total"]]


def test_a_failed_identity_is_one_item_and_other_cells_stand_alone() -> None:
    record = corrupted(seed(SEED_000), "t3.new.natural_person", 81)
    items = review_items(record, _queued(record))
    [identity] = [i for i in items if i.kind == "identity"]
    assert {"t3.new.natural_person", "t3.new.total", "t3.total.natural_person"} <= set(identity.cells)
    assert all(len(i.cells) == 1 for i in items if i.kind == "cell")


def test_a_cut_table_is_one_item(tmp_path: Path) -> None:
    from extractor.pipeline import extract_file

    text = (DOCS / SEED_000).read_text("utf-8")
    source = tmp_path / "cut.txt"
    source.write_text(text[:text.find("部分公開", text.find("三、收到和處理")) + 40], "utf-8")
    record = extract_file(source)
    items = review_items(record, _queued(record))
    [cut] = [i for i in items if i.kind == "truncated"]
    assert set(cut.cells) == {c for c, x in record.cells.items() if "truncated" in x.flags}
    assert len(items) <= 3


def test_choosing_a_reading_decides_the_row_in_one_act_and_undo_takes_it_back(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    record = seed(SEED_001)
    golden = load_golden(SEED_001)
    sync_records(db, [record], 0.8)
    with ReviewStore(db) as store:
        head = next(i for i in store.queue() if i.group == "ambiguous:t3.new")
        assert store.claim_next("ann", sha256=head.sha256) is not None
        with pytest.raises(InvalidDecision, match="from 1 to"):
            decide_item(store, head.id, "ann", "choose", choice=9)
        readings = review_items(record, _queued(record))
        choices = next(i for i in readings if i.key == "ambiguous:t3.new").choices
        right = next(n for n, ch in enumerate(choices, 1) if all(same(ch[c], golden[c]) for c in ch))
        done = decide_item(store, head.id, "ann", "choose", choice=right)
        assert len(done.cells) == 18  # the three coupled rows
        con = sqlite3.connect(db)
        rows = con.execute("SELECT cell, value, act FROM decisions WHERE undone = 0").fetchall()
        assert len({act for _, _, act in rows}) == 1 and len(rows) == 18
        assert all(same(json.loads(v), golden[c]) for c, v, _ in rows)
        back = undo(store, "ann")
        assert back is not None and sorted(back.cells) == sorted(done.cells)
        assert con.execute("SELECT count(*) FROM decisions WHERE undone = 0").fetchone()[0] == 0
        con.close()


def test_typed_values_correct_those_cells_and_accept_the_rest(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    sync_records(db, [corrupted(seed(SEED_000), "t3.new.natural_person", 81)], 0.8)
    with ReviewStore(db) as store:
        head = store.claim_next("bo")
        assert head is not None and head.kind == "identity"
        with pytest.raises(InvalidDecision, match="not in this item"):
            decide_item(store, head.id, "bo", "values", values={"t4.review.pending": "1"})
        done = decide_item(store, head.id, "bo", "values", values={"t3.new.natural_person": "18"})
        decided: dict[str, Decision] = {i.cell: i.decision for i in store.items_of(head.sha256)
                                        if i.decision is not None}
    assert (decided["t3.new.natural_person"].action, decided["t3.new.natural_person"].value) == ("correct", 18)
    assert {d.action for c, d in decided.items() if c != "t3.new.natural_person"} == {"accept"}
    assert len(done.cells) == len(decided)


def test_an_html_table_cell_is_found_in_its_grid() -> None:
    text = "标题\n项目\t数量\t总计\n一、新收\t3\t5\n二、结转\t0\t0\n正文"
    grid = table_grid(text, text.index("5"))
    assert grid is not None
    assert grid.rows[grid.row] == ["一、新收", "3", "5"] and grid.column == 2 and len(grid.rows) == 3
    assert table_grid(text, 0) is None


def test_pace_counts_items_per_reviewer_per_hour_and_the_time_left(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from extractor.cli import main
    from extractor.review.pace import paces, queue_left

    db = tmp_path / "review.db"
    sync_records(db, [seed(SEED_001), seed(SEED_004)], 0.8)
    with ReviewStore(db) as store:
        total = queue_left(store).cells
        decided = 0
        for _ in range(2):
            head = store.claim_next("cy")
            assert head is not None
            decided += len(store.group_of(head))  # an item's cells: one answer settles them all
            decide_item(store, head.id, "cy", "accept")
        store.db.execute("UPDATE decisions SET decided_at = CASE WHEN act = (SELECT min(act) FROM decisions) "
                         "THEN '2026-01-01T10:00:00+00:00' ELSE '2026-01-01T10:30:00+00:00' END")
        [pace] = paces(store)
        left = queue_left(store)
    assert (pace.reviewer, pace.items, pace.hours, pace.items_per_hour) == ("cy", 2, 0.5, 4.0)
    assert pace.cells == decided > 2
    assert (left.items, left.cells, left.hours) == (2, total - decided, 0.5)
    result = CliRunner().invoke(main, ["review", "status", str(db)])
    assert result.exit_code == 0 and f"2 items left ({total - decided} cells), about 0.5 h" in result.output


def test_an_html_item_carries_its_table_as_a_grid_with_the_cell_marked(tmp_path: Path) -> None:
    from extractor.pipeline import extract_file
    from extractor.render import LAYOUTS, render

    golden = load_golden(SEED_000)
    source = tmp_path / "report.html"
    source.write_bytes(render(golden, LAYOUTS["html"]))
    record = corrupted(extract_file(source), "t3.new.natural_person", 81)
    db = tmp_path / "review.db"
    sync_records(db, [record], 0.8)
    with ReviewStore(db) as store:
        item = next(i for i in store.queue() if i.cell == "t3.new.natural_person")
    grid = item.context["grid"]
    row = grid["rows"][grid["row"]]
    assert str(golden["t3.new.natural_person"]) == row[grid["column"]]
    assert any("本年新收" in cell for cell in row)


def test_an_unsure_cell_an_identity_of_read_cells_confirms_stays_out_of_the_queue() -> None:
    from extractor.records import Method
    from extractor.review_items import queued_cells

    record = seed(SEED_000)
    assert "t3.new.commercial" not in queued_cells(record, 0.8)
    unsure = record.model_copy(deep=True)
    unsure.cells["t3.new.commercial"] = unsure.cells["t3.new.commercial"].model_copy(update={"confidence": 0.5})
    assert "t3.new.commercial" not in queued_cells(unsure, 0.8)  # 总计 = the applicants' sum, all read
    # with the row's total derived, no identity of read cells is left to confirm it
    unsure.cells["t3.new.total"] = unsure.cells["t3.new.total"].model_copy(update={"method": Method.DERIVED})
    unsure.cells["t3.total.commercial"] = unsure.cells["t3.total.commercial"].model_copy(
        update={"method": Method.DERIVED})
    assert "t3.new.commercial" in queued_cells(unsure, 0.8)
