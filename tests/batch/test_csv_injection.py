"""Every CSV writer escapes text a spreadsheet would run as a formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from extractor.batch.writers import (
    LONG_COLUMNS,
    csv_rows_text,
    long_rows,
    spreadsheet_safe,
    wide_header,
    wide_rows,
    write_csv_long,
    write_csv_wide,
)
from extractor.records import Cell, Method, Record
from extractor.review import write_reviewed_csv

PAYLOAD = "=cmd|' /C calc'!A0"
NAME = f"{PAYLOAD}.txt"


def _record() -> Record:
    cells = {
        "meta.agency": Cell(value="@SUM(1+1)*cmd|' /C calc'!A0", confidence=0.9, method=Method.RULE),
        "t2.fees.amount": Cell(value=-0.5, confidence=0.9, method=Method.RULE),
        "t3.new.total": Cell(value=-3, confidence=0.5, method=Method.REVIEW, note="+HYPERLINK(\"http://x\")"),
        "meta.year": Cell(value=2021, confidence=1.0, method=Method.RULE),
    }
    return Record(document=NAME, sha256="ab" * 32, status="needs_review", error="-2+3+cmd|' /C calc'!A0",
                  template="2021", cells=cells)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _file(write: Callable[[list[Record], Path], int]) -> Callable[[Path], list[dict[str, str]]]:
    def written(tmp_path: Path) -> list[dict[str, str]]:
        path = tmp_path / "out.csv"
        write([_record()], path)
        return _rows(path.read_text("utf-8"))
    return written


def _streamed_long(tmp_path: Path) -> list[dict[str, str]]:
    return _rows("".join(csv_rows_text(LONG_COLUMNS, long_rows([_record()]))))


def _streamed_wide(tmp_path: Path) -> list[dict[str, str]]:
    return _rows("".join(csv_rows_text(wide_header(), wide_rows([_record()]))))


LONG_WRITERS = {"write_csv_long": _file(write_csv_long), "csv_rows_text long": _streamed_long,
                "write_reviewed_csv": _file(write_reviewed_csv)}


@pytest.mark.parametrize("name", list(LONG_WRITERS))
def test_long_writers_escape_text_and_keep_numbers(name: str, tmp_path: Path) -> None:
    rows = {r["cell"]: r for r in LONG_WRITERS[name](tmp_path)}
    assert {r["document"] for r in rows.values()} == {f"'{NAME}"}
    assert rows["meta.agency"]["value"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert rows["t2.fees.amount"]["value"] == "-0.5"
    assert rows["t3.new.total"]["value"] == "-3"
    assert rows["meta.year"]["value"] == "2021"
    assert rows["t3.new.total"]["confidence"] == "0.5"
    if "note" in rows["t3.new.total"]:
        assert rows["t3.new.total"]["note"] == "'+HYPERLINK(\"http://x\")"


@pytest.mark.parametrize("name", ["write_csv_wide", "csv_rows_text wide"])
def test_wide_writers_escape_text_and_keep_numbers(name: str, tmp_path: Path) -> None:
    writer = _file(write_csv_wide) if name == "write_csv_wide" else _streamed_wide
    [row] = writer(tmp_path)
    assert row["document"] == f"'{NAME}"
    assert row["error"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["meta.agency"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert (row["t2.fees.amount"], row["t3.new.total"], row["meta.year"]) == ("-0.5", "-3", "2021")


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-", "-x", "@a", "\tx", "\rx", "-3-3", "--3", "-1e"])
def test_formula_starts_are_escaped(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["-3", "-0.5", "+4", "-.5", "-1e-05", "3", "", "年报", "a=b", " =x"])
def test_numbers_and_plain_text_are_kept(text: str) -> None:
    assert spreadsheet_safe(text) == text
