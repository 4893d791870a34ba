"""Builders shared by the review tests: the seeds' records and a record with one wrong number."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from conftest import DOCS, load_golden

from extractor.identities import check_all
from extractor.pipeline import extract_file
from extractor.records import Flag, Record, Value

SEED_001 = "001_c9c993418e881905.txt"
SEED_004 = "004_fb0219a4b427aef6.txt"
SEED_000 = "000_c177902358b96c63.txt"


@cache
def _seed(name: str) -> Record:
    return extract_file(DOCS / name)


def seed(name: str) -> Record:
    """A fresh copy of a seed's extraction record (tests may change it)."""
    return _seed(name).model_copy(deep=True)


def seeds() -> list[Record]:
    return [seed(p.name) for p in sorted(DOCS.glob("*.txt"))]


def corrupted(record: Record, cell: str, value: Value) -> Record:
    """The record with one value changed and its failing identities flagged, as checks would."""
    out = record.model_copy(deep=True)
    out.cells[cell] = out.cells[cell].model_copy(update={"value": value})
    values = {c: x.value for c, x in out.cells.items()}
    for result in check_all(out.template or "2021", values):
        if result.holds is False:
            for c in result.identity.cells:
                flags = sorted({*out.cells[c].flags, Flag.CHECKSUM_FAILED.value})
                out.cells[c] = out.cells[c].model_copy(update={
                    "flags": flags, "confidence": min(out.cells[c].confidence, 0.3),
                    "note": result.describe()})
    out.status = "needs_review"
    return out


def answer_for(document: str, cell: str) -> str:
    """What a reviewer types for a cell: the golden value, or u(nknown) for a null."""
    value = load_golden(document)[cell]
    return "u" if value is None else f"c {value}"


def moved(record: Record, folder: Path) -> Record:
    """The record as if its source had been read from ``folder`` (a copy the test may delete)."""
    assert record.path is not None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / Path(record.path).name
    target.write_bytes(Path(record.path).read_bytes())
    return record.model_copy(update={"path": str(target)})
