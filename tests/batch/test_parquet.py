"""Parquet output: the long table by year and the wide table hold the records' values, finished parts are
readable while a run goes on, a resumed run and ``nianbao export`` write the same tables as one run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from corpus import make_corpus

from extractor.batch import parquet as parquet_module
from extractor.batch import run_batch
from extractor.batch.parquet import ParquetWriter
from extractor.batch.writers import iter_lines
from extractor.cli import main
from extractor.config import Settings


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    paths = make_corpus(folder, 12)
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    return [*paths, empty]


def records(jsonl: Path) -> list[dict[str, object]]:
    return [data for _, data in iter_lines(jsonl) if data is not None]


def test_values_are_float64_text_apart_and_years_are_partitions(corpus: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    run_batch(corpus, out, Settings(), parquet=tmp_path / "pq")
    long = pd.read_parquet(tmp_path / "pq" / "long")
    wide = pd.read_parquet(tmp_path / "pq" / "wide").set_index("document")
    assert long["value"].dtype == "float64" and wide["t3.new.total"].dtype == "float64"
    for record in records(out):
        name = str(record["document"])
        cells: dict[str, dict[str, object]] = record["cells"]  # type: ignore[assignment]
        assert wide.loc[name, "status"] == record["status"]
        if record["status"] == "failed":
            assert name not in set(long["document"]) and pd.isna(wide.loc[name, "year"])
            continue
        rows = long[long["document"] == name].set_index("cell")
        assert sorted(rows.index) == sorted(cells)
        year = cells["meta.year"]["value"]
        assert set(rows["year"].astype(int)) == {year} and wide.loc[name, "year"] == year
        assert rows.loc["meta.agency", "text"] == cells["meta.agency"]["value"] == rows.loc["t3.new.total", "agency"]
        assert pd.isna(rows.loc["meta.agency", "value"]) and wide.loc[name, "meta.agency"] == rows.loc[
            "meta.agency", "text"]
        for cid, cell in cells.items():
            if isinstance(cell["value"], int | float):
                assert rows.loc[cid, "value"] == cell["value"] and pd.isna(rows.loc[cid, "text"])
                assert wide.loc[name, cid] == cell["value"]
            assert list(rows.loc[cid, "flags"]) == cell["flags"] and rows.loc[cid, "method"] == cell["method"]


def test_finished_parts_are_readable_while_a_run_goes_on(corpus: list[Path], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet_module, "ROW_GROUP_DOCS", 2)
    monkeypatch.setattr(parquet_module, "GROUPS_PER_PART", 2)
    out = tmp_path / "r.jsonl"
    run_batch(corpus, out, Settings())
    done = records(out)
    tables = ParquetWriter(tmp_path / "pq")
    for data in done[:11]:
        tables.add(data)
    wide = tmp_path / "pq" / "wide"
    assert sorted(p.name for p in wide.iterdir()) == [".part-00002.parquet.tmp", "part-00000.parquet",
                                                      "part-00001.parquet"]
    assert len(pd.read_parquet(wide)) == 8  # the finished parts; the one being written (2 rows in) is hidden
    assert pq.ParquetFile(wide / "part-00000.parquet").metadata.num_row_groups == 2
    for data in done[11:]:
        tables.add(data)
    tables.close()
    assert sorted(pd.read_parquet(wide)["document"]) == sorted(str(d["document"]) for d in done)
    assert not [p for p in (tmp_path / "pq").rglob(".*")]


def test_a_resumed_run_and_export_write_the_tables_of_one_run(corpus: list[Path], tmp_path: Path) -> None:
    whole = tmp_path / "whole.jsonl"
    run_batch(corpus, whole, Settings(), parquet=tmp_path / "whole")
    out = tmp_path / "resumed.jsonl"
    run_batch(corpus[:5], out, Settings(), parquet=tmp_path / "resumed")
    run_batch(corpus, out, Settings(), parquet=tmp_path / "resumed", resume=True)
    result = CliRunner().invoke(main, ["export", str(whole), "--parquet", str(tmp_path / "exported")])
    assert result.exit_code == 0, result.output
    want = pd.read_parquet(tmp_path / "whole" / "long").drop(columns="year")
    for folder in ("resumed", "exported"):
        got = pd.read_parquet(tmp_path / folder / "long").drop(columns="year")
        assert sorted(map(json.dumps, got.astype(str).values.tolist())) == sorted(
            map(json.dumps, want.astype(str).values.tolist()))
        wide = pd.read_parquet(tmp_path / folder / "wide")
        assert sorted(wide["document"]) == sorted(p.name for p in corpus)


def test_extract_writes_the_parquet_of_the_records_after_the_cross_year_check(tmp_path: Path) -> None:
    import random

    from extractor.render.series import agency_series, render_stated

    rng = random.Random(3)
    folder = tmp_path / "series"
    folder.mkdir()
    for cells in agency_series(random.Random(11), "示例市交通运输局", 2021, 3):
        (folder / f"report-{cells['meta.year']}.txt").write_bytes(render_stated(cells, cells, rng))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(folder), "-o", str(out), "--parquet", str(tmp_path / "pq")])
    assert result.exit_code == 0, result.output
    confidences = {(r["document"], k): c["confidence"] for r in records(out) for k, c in r["cells"].items()}
    assert any("cross-year" in (c.get("note") or "") for r in records(out) for c in r["cells"].values())
    long = pd.read_parquet(tmp_path / "pq" / "long")
    assert {(d, c): v for d, c, v in zip(long["document"], long["cell"], long["confidence"], strict=True)} \
        == confidences, "the Parquet tables hold the checked records, as the JSONL does"
