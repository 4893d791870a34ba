"""Records → Parquet for analysis: a long table partitioned by year and a wide table, written in parts.

``DIR/long/year=2021/part-00000.parquet`` holds one row per document and
cell; ``DIR/wide/part-00000.parquet`` one row per document. Rows are
buffered up to a row group, a part gets a few row groups, so memory stays
flat however large the batch. A part is written under a hidden name
(``.part-00000.parquet.tmp``) and renamed into place when complete: pandas,
pyarrow, DuckDB, Polars and Spark read the finished parts of a run still in
progress and never see a half-written one.

Values: ``value`` is float64 (counts are exact integers, amounts in 万元;
null where the cell is null or holds text) and ``text`` holds a cell's text
(the agency, the template), null otherwise. A document without a year goes
to ``year=__HIVE_DEFAULT_PARTITION__``, which hive readers read as null.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..template import cell_specs

ROW_GROUP_ROWS = 32_768
"""Long rows (document × cell) buffered per year before they are written as one row group."""
ROW_GROUP_DOCS = 2_048
"""Wide rows (documents) per row group."""
GROUPS_PER_PART = 4
"""Row groups per part file: a part appears to readers once it holds this many (or the run ends)."""
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"

LONG_SCHEMA = pa.schema([
    ("document", pa.string()), ("sha256", pa.string()), ("cell", pa.string()), ("value", pa.float64()),
    ("text", pa.string()), ("confidence", pa.float64()), ("method", pa.string()),
    ("flags", pa.list_(pa.string())), ("template", pa.string()), ("agency", pa.string()),
])
"""The long table's columns; ``year`` is the partition (the folder name), as hive partitioning has it."""
WIDE_LEADING = [("document", pa.string()), ("sha256", pa.string()), ("status", pa.string()),
                ("template", pa.string()), ("agency", pa.string()), ("year", pa.int32()), ("error", pa.string())]


def wide_schema() -> pa.Schema:
    """Leading columns, then one per cell of ``cells.csv``: float64, or string for a text cell."""
    cells = [(cid, pa.string() if spec.type == "str" else pa.float64()) for cid, spec in cell_specs().items()]
    return pa.schema([*WIDE_LEADING, *cells])


class _PartWriter:
    """One folder of parts: rows buffered into row groups, parts renamed into place when complete."""

    def __init__(self, folder: Path, schema: pa.Schema, group_rows: int):
        self.folder = folder
        self.schema = schema
        self.group_rows = group_rows
        self.columns: dict[str, list[Any]] = {name: [] for name in schema.names}
        self.rows = 0
        self.part = 0
        self.groups = 0
        self._writer: pq.ParquetWriter | None = None

    def add(self, row: dict[str, Any]) -> None:
        for name, column in self.columns.items():
            column.append(row.get(name))
        self.rows += 1
        if self.rows >= self.group_rows:
            self._write_group()

    def _write_group(self) -> None:
        if not self.rows:
            return
        if self._writer is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self._tmp(), self.schema)
        self._writer.write_table(pa.table(self.columns, schema=self.schema), row_group_size=self.rows)
        self.columns = {name: [] for name in self.schema.names}
        self.rows = 0
        self.groups += 1
        if self.groups >= GROUPS_PER_PART:
            self._finish_part()

    def _tmp(self) -> Path:
        return self.folder / f".part-{self.part:05d}.parquet.tmp"

    def _finish_part(self) -> None:
        if self._writer is None:
            return
        self._writer.close()
        self._writer = None
        os.replace(self._tmp(), self.folder / f"part-{self.part:05d}.parquet")
        self.part += 1
        self.groups = 0

    def close(self) -> None:
        self._write_group()
        self._finish_part()


class ParquetWriter:
    """Writes record dicts (a JSONL line parsed) to ``folder``/long and ``folder``/wide, replacing the parts
    of an earlier run."""

    def __init__(self, folder: Path):
        self.folder = folder
        _clear(folder)
        self._years: dict[str, _PartWriter] = {}
        self._wide = _PartWriter(folder / "wide", wide_schema(), ROW_GROUP_DOCS)
        self._text_cells = {cid for cid, spec in cell_specs().items() if spec.type == "str"}
        self.documents = 0

    def add(self, record: dict[str, Any]) -> None:
        cells: dict[str, dict[str, Any]] = record.get("cells") or {}
        agency = _text(cells.get("meta.agency", {}).get("value"))
        year = _year(cells.get("meta.year", {}).get("value"))
        shared = {"document": record.get("document"), "sha256": record.get("sha256"),
                  "template": record.get("template"), "agency": agency}
        long = self._long(year)
        wide: dict[str, Any] = {**shared, "status": record.get("status"), "year": year,
                                "error": record.get("error")}
        for cid, cell in cells.items():
            value = cell.get("value")
            number = _number(value)
            long.add({**shared, "cell": cid, "value": number, "text": _text(value),
                      "confidence": cell.get("confidence"), "method": cell.get("method"),
                      "flags": cell.get("flags") or []})
            wide[cid] = _text(value) if cid in self._text_cells else number
        self._wide.add(wide)
        self.documents += 1

    def _long(self, year: int | None) -> _PartWriter:
        key = NULL_PARTITION if year is None else str(year)
        if key not in self._years:
            self._years[key] = _PartWriter(self.folder / "long" / f"year={key}", LONG_SCHEMA, ROW_GROUP_ROWS)
        return self._years[key]

    def close(self) -> None:
        """Write what is buffered and complete every part (also after an interrupted batch)."""
        for part in (*self._years.values(), self._wide):
            part.close()

    def __enter__(self) -> ParquetWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def parquet_from_results(results: Path, folder: Path) -> int:
    """Write the records of a results file as the long and wide tables under ``folder``; the documents."""
    from .writers import iter_lines

    with ParquetWriter(folder) as tables:
        for _, data in iter_lines(results):
            if data is not None:
                tables.add(data)
    return tables.documents


def _clear(folder: Path) -> None:
    """Remove the parts an earlier run wrote, and nothing else: the folder may hold other files."""
    for pattern in ("long/year=*/part-*.parquet", "long/year=*/.part-*.parquet.tmp", "wide/part-*.parquet",
                    "wide/.part-*.parquet.tmp"):
        for part in folder.glob(pattern):
            part.unlink()
    for year in folder.glob("long/year=*"):
        if year.is_dir() and not any(year.iterdir()):
            year.rmdir()


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _year(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1900 < value < 3000 else None
