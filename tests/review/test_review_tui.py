"""The terminal reviewer, driven by scripted lines: seeds 001 and 004 reviewed to their goldens."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path

from conftest import load_golden, same
from review_fixtures import SEED_000, SEED_001, SEED_004, answer_for, corrupted, seed, seeds
from rich.console import Console

from extractor.review import ReviewStore, promote, reviewed_records, sync_records
from extractor.review.tui import Session, parse_command, run_terminal
from extractor.review_items import queued_cells, review_items
from extractor.scoring.goldens import load_golden as read_golden_file
from extractor.scoring.lint import check_golden

_SHOWN = re.compile(r"review ((?:meta|t\d)\.[a-z_]+(?:\.[a-z_]+)?)")
_DOC = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=160, color_system=None), out


def _reviewer_typing(out: io.StringIO, answer: Callable[[str, str], str],
                     log: list[tuple[str, str]]) -> Callable[[str], str]:
    """A scripted reviewer: reads the last cell shown on the console and types its answer."""

    def read(prompt: str) -> str:
        screen = out.getvalue()
        cell = _SHOWN.findall(screen)[-1]
        document = _DOC.findall(screen)[-1]
        line = answer(document, cell)
        log.append((cell, line))
        return line

    return read


def test_review_seeds_001_and_004_in_the_terminal_to_their_goldens(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    sync_records(db, seeds(), 0.8)
    typed: list[tuple[str, str]] = []
    with ReviewStore(db) as store:
        for document in (SEED_001, SEED_004):
            sha = store.find_document(document)
            console, out = _console()
            done = run_terminal(store, Session("alice", sha), console,
                                _reviewer_typing(out, answer_for, typed))
            assert done.pending == 0 and done.done == done.total > 0
            assert "nothing left to review" in out.getvalue()
            assert f"{done.total} of {done.total} decided" in out.getvalue()
        flagged = {(r.document, c) for r in seeds() for c in queued_cells(r, 0.8)
                   if r.document in (SEED_001, SEED_004)}
        assert len(typed) == len(flagged)
        rows = store.db.execute("SELECT d.reviewer, d.action, count(*) FROM decisions d "
                                "GROUP BY 1, 2").fetchall()
        assert {(r[0], r[1]) for r in rows} <= {("alice", "correct"), ("alice", "unknown")}
        records = {r.document: r for r in reviewed_records(store)}
        for document in (SEED_001, SEED_004):
            golden = load_golden(document)
            record = records[document]
            assert record.status == "ok"
            for cell_id, cell in record.cells.items():
                assert same(cell.value, golden[cell_id]), (document, cell_id)
                if (document, cell_id) in flagged:
                    assert cell.method.value == "review" and cell.flags == []
                    assert cell.note and cell.note.startswith("reviewed by alice")
        # 003 was not reviewed: its flagged cells keep their flags
        assert records["003_c676913514f69321.txt"].status == "needs_review"
        # both documents are fully reviewed: they become goldens equal to the hand-made ones
        for document in (SEED_001, SEED_004):
            path = promote(store, document, tmp_path / "goldens")
            golden = read_golden_file(path)
            assert check_golden(golden, str(path)) == []
            assert all(same(golden.cells[c], v) for c, v in load_golden(document).items())
            assert golden.cells.keys() == load_golden(document).keys()
            assert "review" in golden.notes and "alice" in golden.notes


def test_terminal_correction_of_a_wrong_number_clears_its_row(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    sync_records(db, [corrupted(seed(SEED_000), "t3.new.natural_person", 81)], 0.8)
    script = iter(["c 1.5", "c -3", "c", "18", "q"])
    console, out = _console()
    with ReviewStore(db) as store:
        done = run_terminal(store, Session("bob"), console, lambda prompt: next(script))
    screen = out.getvalue()
    assert "review t3.new.natural_person" in screen and "FAILS" in screen
    assert "whole number" in screen and "negative" in screen
    assert "left the queue" in screen and "t3.new.total" in screen
    assert done.total == done.done and done.decided == 1 and done.resolved > 0
    con = sqlite3.connect(db)
    rows = con.execute("SELECT cell, action, value, reviewer FROM decisions").fetchall()
    assert rows == [("t3.new.natural_person", "correct", "18", "bob")]
    states = dict(con.execute("SELECT cell, state FROM items").fetchall())
    assert states["t3.new.total"] == "resolved"
    con.close()


def test_skip_undo_and_quit_in_the_terminal(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    sync_records(db, [seed(SEED_001), seed(SEED_004)], 0.8)
    script = iter(["?", "nonsense", "a", "s", "z", "z", "a", "q"])
    console, out = _console()
    with ReviewStore(db) as store:
        done = run_terminal(store, Session("carol"), console, lambda prompt: next(script))
        assert done.skipped == 0
        actions = store.db.execute("SELECT action, undone FROM decisions ORDER BY id").fetchall()
        acts = [key for key, _ in groupby(tuple(a) for a in actions)]  # one answer, one run of rows
        assert acts == [("accept", 1), ("skip", 1), ("accept", 0)]
        assert done.decided == [tuple(a) for a in actions].count(("accept", 0)) >= 1
        assert store.db.execute("SELECT count(*) FROM items WHERE claimed_by IS NOT NULL"
                                ).fetchone()[0] == 0
    screen = out.getvalue()
    assert "accept the proposed value" in screen and "not understood" in screen
    assert "undid skip" in screen and "undid accept" in screen


def test_end_of_input_quits_and_releases_the_claim(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    sync_records(db, [seed(SEED_001)], 0.8)

    def no_more(prompt: str) -> str:
        raise EOFError

    console, out = _console()
    with ReviewStore(db) as store:
        run_terminal(store, Session("dave"), console, no_more)
        assert store.db.execute("SELECT count(*) FROM items WHERE claimed_by IS NOT NULL"
                                ).fetchone()[0] == 0
    assert "stopped" in out.getvalue()


def test_commands_are_parsed_from_a_line() -> None:
    assert parse_command("a").action == "accept"
    assert parse_command("c 18") == parse_command("18")
    assert parse_command("c 18").value == "18"
    assert parse_command("C").action == "correct" and parse_command("C").value is None
    assert parse_command("u").action == "unknown"
    assert parse_command("a b").action == ""
    assert parse_command("3.65 万元").action == ""


def test_a_pdf_cell_shows_its_page(tmp_path: Path) -> None:
    record = seed(SEED_001)
    cell = record.cells["t3.new.natural_person"]
    assert cell.evidence is not None
    record.cells["t3.new.natural_person"] = cell.model_copy(update={
        "evidence": cell.evidence.model_copy(update={"page": 3, "bbox": (10.0, 20.0, 30.0, 40.0)})})
    db = tmp_path / "review.db"
    sync_records(db, [record], 0.8)
    script = iter(["s", "q"])
    console, out = _console()
    with ReviewStore(db) as store:
        item = next(i for i in store.queue() if i.cell == "t3.new.natural_person")
        assert store.claim(item.id, "judy")
        run_terminal(store, Session("judy"), console, lambda prompt: next(script))
    assert "page 3 · source around offset" in out.getvalue()


def test_an_ambiguous_row_is_one_answer_in_the_terminal(tmp_path: Path) -> None:
    """A digit picks a reading of the row, ``c CELL=VALUE`` types cells of an item; the counter and the
    item's readings are shown."""
    db = tmp_path / "review.db"
    record = seed(SEED_001)
    golden = load_golden(SEED_001)
    sync_records(db, [record], 0.8)
    item = next(i for i in review_items(record, queued_cells(record, 0.8)) if i.key == "ambiguous:t3.new")
    right = next(n for n, ch in enumerate(item.choices, 1) if all(same(ch[c], golden[c]) for c in ch))
    with ReviewStore(db) as store:
        sha = store.find_document(SEED_001)
        head = next(i for i in store.queue() if i.group == "ambiguous:t3.new")
        script = iter([str(right), "q"])
        console, out = _console()
        assert store.claim_next("erin", sha256=sha) is not None  # the meta item first: skip past it
        store.release(store.claim_next("erin", sha256=sha).id, "erin")  # type: ignore[union-attr]
        run_terminal(store, Session("erin", sha), console, _until(head.cell, out, script))
        rows = store.db.execute("SELECT cell, value, act FROM decisions WHERE undone = 0 "
                                "AND action != 'skip'").fetchall()
    screen = out.getvalue()
    assert "reading 1" in screen and "items" in screen and "left" in screen
    decided = {r[0]: r[1] for r in rows if r[0] in item.cells}
    assert set(decided) == set(item.cells) and len({r[2] for r in rows if r[0] in item.cells}) == 1
    assert all(same(json.loads(v), golden[c]) for c, v in decided.items())


def _until(cell: str, out: io.StringIO, script: Iterator[str]) -> Callable[[str], str]:
    """Skip every item until the one holding ``cell`` is shown, then answer from ``script``."""

    def read(prompt: str) -> str:
        shown = _SHOWN.findall(out.getvalue())[-1]
        group_cells = cell.rsplit(".", 1)[0]
        if not shown.startswith(group_cells):
            return "s"
        return next(script)

    return read
