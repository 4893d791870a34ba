"""Checks and views across one agency's reports of several years: records of a batch → the cross-year
identity applied in place (``chain``, ``rewrite``), a year-over-year table (``compare``) and chart (``plot``)."""

from __future__ import annotations

from pathlib import Path

from ..records import Record
from .agency import agency_of, load_groups, normalise_agency
from .chain import CrossYearResult, check_series
from .compare import Comparison, agencies, compare
from .rewrite import rewrite_records

__all__ = ["Comparison", "CrossYearResult", "agencies", "agency_of", "check_file", "check_series", "compare",
           "load_groups", "normalise_agency", "rewrite_records"]


def check_file(path: Path, groups: dict[str, str] | None = None, review_threshold: float = 0.8) -> CrossYearResult:
    """Run the cross-year check over a results file and update its records in place (atomically)."""
    outcome: list[CrossYearResult] = []

    def change(records: list[Record]) -> list[Record]:
        outcome.append(check_series(records, groups, review_threshold))
        return outcome[0].records

    rewrite_records(path, change)
    return outcome[0]
