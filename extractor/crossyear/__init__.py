"""Checks and views across one agency's reports of several years: records of a batch → the cross-year
identity applied in place (``chain``, ``rewrite``), a year-over-year table (``compare``) and chart (``plot``)."""

from __future__ import annotations

from pathlib import Path

from .agency import agency_of, load_groups, normalise_agency
from .chain import CrossYearResult, apply, check_series, entry_from, plan
from .compare import Comparison, agencies, compare
from .rewrite import rewrite_records, scan_records

__all__ = ["Comparison", "CrossYearResult", "agencies", "agency_of", "check_file", "check_series", "compare",
           "load_groups", "normalise_agency", "plan", "rewrite_records", "scan_records"]


def check_file(path: Path, groups: dict[str, str] | None = None, review_threshold: float = 0.8) -> CrossYearResult:
    """Run the cross-year check over a results file and update its records in place (atomically), reading
    it twice and holding one record at a time."""
    entries = list(scan_records(path, lambda data: entry_from(data, groups)))
    result = plan(entries)
    marked = {i for i, e in enumerate(entries) if e.marked}
    rewrite_records(path, lambda i, r: apply(r, result.links.get(i), entries, review_threshold),
                    set(result.links) | marked)
    return result
