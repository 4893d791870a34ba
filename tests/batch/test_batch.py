"""Batches: parallel equals serial, resume after a torn write, CSV outputs, a worker that dies."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from corpus import comparable, make_corpus

from extractor.batch import run_batch
from extractor.batch.pool import RulePool, Task, extract_chunk
from extractor.batch.writers import Finished, read_records, repair_tail
from extractor.cli import main
from extractor.config import Settings
from extractor.template import cell_specs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_corpus(tmp_path_factory.mktemp("corpus"), 40)


@pytest.fixture(scope="module")
def serial(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serial") / "serial.jsonl"
    run_batch(corpus, out, Settings())
    return out


def test_workers_give_the_same_records_in_the_same_order(corpus: list[Path], serial: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "parallel.jsonl"
    summary = run_batch(corpus, out, Settings(), workers=2)
    assert summary.workers == 2
    assert comparable(out) == comparable(serial)
    assert summary.documents == len(corpus)


def test_a_resumed_batch_cuts_the_torn_line_and_finishes_the_rest(corpus: list[Path], serial: Path,
                                                                   tmp_path: Path) -> None:
    data = serial.read_bytes()
    out = tmp_path / "killed.jsonl"
    out.write_bytes(data[: len(data) // 2])  # killed mid-line
    complete = out.read_bytes().count(b"\n")
    summary = run_batch(corpus, out, Settings(), workers=2, resume=True)
    assert summary.skipped == complete
    assert summary.extracted == len(corpus) - complete
    assert summary.documents == len(corpus)
    assert comparable(out) == comparable(serial)
    again = run_batch(corpus, out, Settings(), resume=True)
    assert (again.skipped, again.extracted) == (len(corpus), 0)
    assert comparable(out) == comparable(serial)


def test_resume_redoes_a_changed_file_and_an_old_pipeline_version(tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "in", 4)
    out = tmp_path / "r.jsonl"
    run_batch(paths, out, Settings())
    lines = out.read_text("utf-8").splitlines()
    old = json.loads(lines[1])
    old["pipeline_version"] = "0"
    lines[1] = json.dumps(old, ensure_ascii=False)
    out.write_text("\n".join(lines) + "\n", "utf-8")
    paths[2].write_bytes(paths[3].read_bytes())  # the file changed since its record
    summary = run_batch(paths, out, Settings(), resume=True)
    assert (summary.skipped, summary.extracted, summary.dropped) == (2, 2, 2)
    records = read_records(out)
    assert sorted(r.path or "" for r in records) == sorted(str(p) for p in paths)  # one record each
    assert {r.sha256 for r in records if r.path == str(paths[2])} == {records[-1].sha256}


def test_duplicate_files_each_get_their_record(tmp_path: Path) -> None:
    [path] = make_corpus(tmp_path / "in", 1)
    twin = path.with_name("twin copy.txt")
    twin.write_bytes(path.read_bytes())
    out = tmp_path / "r.jsonl"
    run_batch([path, twin], out, Settings(), resume=True)
    summary = run_batch([path, twin], out, Settings(), resume=True)
    assert summary.skipped == 2
    records = read_records(out)
    assert [r.document for r in records] == [path.name, "twin copy.txt"]
    assert records[0].sha256 == records[1].sha256


def test_repair_tail_keeps_whole_lines(tmp_path: Path) -> None:
    f = tmp_path / "x.jsonl"
    f.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert repair_tail(f) == 6
    assert f.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert repair_tail(f) == 0
    f.write_bytes(b'{"torn')
    repair_tail(f)
    assert f.read_bytes() == b""


def test_cli_writes_csv_that_pandas_reads_and_resumes(corpus: list[Path], tmp_path: Path) -> None:
    out, long_csv, wide_csv = tmp_path / "r.jsonl", tmp_path / "long.csv", tmp_path / "wide.csv"
    args = ["extract", *map(str, corpus[:6]), "-o", str(out), "--csv-long", str(long_csv),
            "--csv-wide", str(wide_csv), "--workers", "1"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(main, args)
    assert "6 done earlier, 0 extracted now" in again.output
    records = read_records(out)
    long = pd.read_csv(long_csv)
    assert list(long.columns) == ["document", "sha256", "cell", "value", "confidence", "method", "flags"]
    assert len(long) == sum(len(r.cells) for r in records)
    wide = pd.read_csv(wide_csv)
    assert list(wide.columns[:5]) == ["document", "sha256", "status", "template", "error"]
    assert list(wide.columns[5:]) == list(cell_specs())
    assert len(wide) == 6
    first_record = records[0]
    row = wide[wide.document == first_record.document].iloc[0]
    for cell_id, cell in first_record.cells.items():
        if isinstance(cell.value, int) and not isinstance(cell.value, bool):
            assert row[cell_id] == cell.value, cell_id
    exported = tmp_path / "exported.csv"
    result = CliRunner().invoke(main, ["export", str(out), "--csv-wide", str(exported)])
    assert result.exit_code == 0, result.output
    assert exported.read_bytes() == wide_csv.read_bytes()


def dies_on_crash(tasks: list[Task], settings: Settings) -> list[Finished]:
    """A worker that dies (as a segfault would) on a document named ``crash``."""
    if any("crash" in path for path, _ in tasks):
        os._exit(1)
    return extract_chunk(tasks, settings)


def test_a_worker_that_dies_fails_only_its_document(corpus: list[Path], tmp_path: Path) -> None:
    crash = tmp_path / "crash.txt"
    crash.write_bytes(corpus[0].read_bytes())
    paths = [*corpus[:10], crash, *corpus[10:20]]
    with RulePool(Settings(), 2, chunk=3, worker=dies_on_crash) as pool:
        done = list(pool.map(paths))
    assert [d.document for d in done] == [p.name for p in paths]
    assert [d.document for d in done if d.status == "failed"] == ["crash.txt"]
    assert "worker process reading this document died" in (done[10].error or "")
