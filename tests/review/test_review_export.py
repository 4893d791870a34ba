"""Export and promote, and the ``nianbao review`` commands end to end (CliRunner + SQLite rows)."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import click
from click.testing import CliRunner
from conftest import DOCS, load_golden
from review_fixtures import SEED_000, SEED_001, corrupted, seed

from extractor.batch.writers import JsonlWriter, read_records
from extractor.cli import main
from extractor.cli.review import review_group
from extractor.review import ReviewStore, decide, reviewed_record, sync_records
from extractor.scoring.goldens import load_golden as read_golden_file


def _cli() -> click.Group:
    """The main group with ``review`` attached, as the lead attaches it."""
    group = click.Group(commands={"extract": main.commands["extract"], "review": review_group})
    return group


def _decided_000(tmp_path: Path) -> Path:
    db = tmp_path / "review.db"
    sync_records(db, [corrupted(seed(SEED_000), "t3.new.natural_person", 81)], 0.8)
    with ReviewStore(db) as store:
        item = next(i for i in store.queue() if i.cell == "t3.new.natural_person")
        decide(store, item.id, "alice", "correct", "18")
    return db


def test_export_applies_decisions_with_method_review_and_the_old_value_in_the_note(
        tmp_path: Path) -> None:
    db = _decided_000(tmp_path)
    with ReviewStore(db) as store:
        record = reviewed_record(store, store.find_document(SEED_000))
    cell = record.cells["t3.new.natural_person"]
    assert (cell.value, cell.method.value, cell.flags, cell.confidence) == (18, "review", [], 1.0)
    assert cell.note is not None and "reviewed by alice" in cell.note and "was 81" in cell.note
    assert cell.evidence is not None  # the evidence of the extraction is kept
    total = record.cells["t3.new.total"]  # left the queue: identities hold again
    assert total.flags == [] and total.method.value == "rule" and total.confidence >= 0.8
    assert record.status == "ok" and any("reviewed by alice" in n for n in record.notes)
    golden = load_golden(SEED_000)
    assert all(record.cells[c].value == v for c, v in golden.items())


def test_cli_export_writes_jsonl_and_csv(tmp_path: Path) -> None:
    db = _decided_000(tmp_path)
    runner = CliRunner()
    out = tmp_path / "corrected.jsonl"
    result = runner.invoke(_cli(), ["review", "export", str(db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    [record] = read_records(out)
    assert record.cells["t3.new.natural_person"].value == 18
    result = runner.invoke(_cli(), ["review", "export", str(db), "-o", str(tmp_path / "c.txt"),
                                    "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "c.txt").open(encoding="utf-8")))
    row = next(r for r in rows if r["cell"] == "t3.new.natural_person")
    assert (row["value"], row["method"], row["flags"]) == ("18", "review", "")
    assert "was 81" in row["note"] and len(rows) == len(record.cells)


def test_promote_refuses_an_unfinished_document_then_writes_a_valid_golden(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    sync_records(db, [seed(SEED_001)], 0.8)
    runner = CliRunner()
    goldens = tmp_path / "goldens"
    result = runner.invoke(_cli(), ["review", "promote", str(db), SEED_001, "-o", str(goldens)])
    assert result.exit_code == 1 and "not decided yet" in result.output
    with ReviewStore(db) as store:
        while (item := store.claim_next("erin")) is not None:
            value = load_golden(SEED_001)[item.cell]
            decide(store, item.id, "erin", "unknown" if value is None else "correct", value)
    result = runner.invoke(_cli(), ["review", "promote", str(db), SEED_001, "-o", str(goldens)])
    assert result.exit_code == 0, result.output
    golden = read_golden_file(goldens / "001_c9c993418e881905.json")
    assert golden.cells == load_golden(SEED_001)
    assert "erin" in golden.notes
    again = runner.invoke(_cli(), ["review", "promote", str(db), SEED_001, "-o", str(goldens)])
    assert again.exit_code == 1 and "--force" in again.output
    lint = runner.invoke(main, ["golden", "check", str(goldens)])
    assert lint.exit_code == 0, lint.output


def test_extract_with_review_db_then_review_in_the_terminal_command(tmp_path: Path) -> None:
    db = tmp_path / "review.db"
    results = tmp_path / "results.jsonl"
    runner = CliRunner()
    result = runner.invoke(_cli(), ["extract", str(DOCS / SEED_001), "-o", str(results),
                                    "--review-db", str(db)])
    assert result.exit_code == 0, result.output
    assert "cells queued (20 new, 0 kept), 0 decided earlier" in result.output
    result = runner.invoke(_cli(), ["review", str(db), "--reviewer", "frank"], input="a\ns\nq\n")
    assert result.exit_code == 0, result.output
    # the most doubtful first: a: three coupled ambiguous rows (one item, 18 cells) accepted; s: the agency and
    # year (one item) skipped (the decisions written are checked below: the screen's text wraps at any width)
    assert "[a]ccept" in result.output  # the prompt is not eaten as rich markup
    con = sqlite3.connect(db)
    assert con.execute("SELECT reviewer, action FROM decisions ORDER BY id").fetchall() == [
        ("frank", "accept")] * 18 + [("frank", "skip")] * 2
    acted = con.execute("SELECT action, cell FROM decisions").fetchall()
    assert {c.rsplit(".", 1)[0] for a, c in acted if a == "accept"} == {"t3.new", "t3.partial", "t3.total"}
    assert {c for a, c in acted if a == "skip"} == {"meta.agency", "meta.year"}
    con.close()
    # --skipped brings the skipped cell back first; --document limits the queue
    result = runner.invoke(_cli(), ["review", str(db), "--reviewer", "frank", "--skipped",
                                    "--document", SEED_001], input="q\n")
    assert result.exit_code == 0 and "earlier: skip by frank" in result.output
    bad = runner.invoke(_cli(), ["review", str(db), "--document", "nope.txt"])
    assert bad.exit_code == 2 and "no document" in bad.output


def test_cli_sync_and_status(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    with JsonlWriter(results) as out:
        out.write(seed(SEED_001))
    db = tmp_path / "review.db"
    runner = CliRunner()
    result = runner.invoke(_cli(), ["review", "sync", str(db), str(results)])
    assert result.exit_code == 0 and "20 cells queued" in result.output
    result = runner.invoke(_cli(), ["review", "sync", str(db), str(results)])
    assert "(0 new, 20 kept)" in result.output
    result = runner.invoke(_cli(), ["review", "status", str(db)])
    assert result.exit_code == 0 and SEED_001 in result.output and "0 of 20 decided" in result.output
    bare = runner.invoke(_cli(), ["review"])  # no database named: a usage error that shows the help
    assert bare.exit_code == 2 and "nianbao review DB" in bare.output
    helped = runner.invoke(_cli(), ["review", "--help"])
    assert "nianbao review DB --web" in helped.output and "export" in helped.output
    assert json.loads(results.read_text("utf-8").splitlines()[0])["document"] == SEED_001
