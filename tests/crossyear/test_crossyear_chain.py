"""The cross-year check: a rendered agency series, clean and corrupted, through the rule path and ``check_series``;
the file rewritten in place, idempotent; agencies told apart and joined by a mapping."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from extractor.corruptions import coherent_corruptions
from extractor.crossyear import check_file, check_series, load_groups
from extractor.crossyear.chain import PAIRS
from extractor.errors import ConfigError
from extractor.pipeline import extract_bytes
from extractor.records import Record
from extractor.render.series import agency_series, render_stated

AGENCY = "示例市交通运输局"


def extracted(series: list[dict[str, object]], truth: list[dict[str, object]] | None = None,
              seed: int = 0) -> list[Record]:
    rng = random.Random(seed)
    return [extract_bytes(render_stated(t, s, rng), f"report-{s['meta.year']}.txt")
            for t, s in zip(series, truth or series, strict=True)]


def witness_flags(records: list[Record]) -> dict[tuple[str, str], list[str]]:
    return {(r.document, k): c.flags for r in records for k, c in r.cells.items()
            if {"narrative_mismatch", "cross_year_mismatch"} & set(c.flags)}


@pytest.fixture(scope="module")
def series() -> list[dict[str, object]]:
    return agency_series(random.Random(11), AGENCY, 2021, 5, large=True)


def test_the_series_chains_its_carried_counts_and_not_its_in_force_counts(series: list[dict[str, object]]) -> None:
    for last, this in zip(series, series[1:], strict=False):
        assert all(this[now] == last[before] for now, before in PAIRS)
        assert this["t2.normative.in_force"] != (_i(last["t2.normative.in_force"]) + _i(this["t2.normative.issued"])
                                                 - _i(this["t2.normative.repealed"]))


def test_a_clean_series_raises_no_flag_and_gains_confidence(series: list[dict[str, object]]) -> None:
    records = extracted(series)
    result = check_series(records)
    assert witness_flags(result.records) == {}
    assert result.agencies == 1 and result.compared == 4 * len(PAIRS) and result.agreed == result.compared
    assert all(r.status == "ok" for r in result.records)
    later = result.records[1].cells["t3.carried_over.total"]
    assert later.confidence > records[1].cells["t3.carried_over.total"].confidence
    assert "report-2021.txt (2021)" in (later.note or "")
    assert "compared with report-2021.txt (2021), report-2023.txt (2023)" in result.records[1].notes[-1]
    # 现行有效 does not chain across the years, and it is not a flag
    assert not any(c.flags for r in result.records for k, c in r.cells.items() if k.startswith("t2."))


def test_a_carried_count_moved_into_new_is_caught_by_both_witnesses(series: list[dict[str, object]]) -> None:
    year = 2
    moved = next(c for c in coherent_corruptions(series[year], "2021")
                 if c.name.startswith("t3.carried_over.natural_person +1"))
    tables = [*series[:year], moved.cells, *series[year + 1:]]
    result = check_series(extracted(tables, series))
    flags = witness_flags(result.records)
    this, last = "report-2023.txt", "report-2022.txt"
    assert "cross_year_mismatch" in flags[(this, "t3.carried_over.natural_person")]
    assert "cross_year_mismatch" in flags[(last, "t3.carried_forward.natural_person")]
    assert "narrative_mismatch" in flags[(this, "t3.carried_over.total")]
    assert "narrative_mismatch" in flags[(this, "t3.new.total")]
    assert not any(k.startswith("t2.") for _, k in flags)
    cell = result.records[year].cells["t3.carried_over.natural_person"]
    assert cell.value == moved.cells["t3.carried_over.natural_person"]  # the table is kept
    assert cell.alternatives == {"this report": cell.value,
                                 "report-2022.txt (2022)": series[1]["t3.carried_forward.natural_person"]}
    assert "report-2022.txt (2022)" in (cell.note or "")
    assert not any("checksum_failed" in c.flags for c in result.records[year].cells.values())  # identities hold


def test_the_check_is_idempotent_and_takes_back_what_it_added(series: list[dict[str, object]]) -> None:
    records = extracted(series[:3])
    broken = records[1].model_copy(deep=True)
    broken.cells["t3.carried_over.total"] = broken.cells["t3.carried_over.total"].model_copy(update={"value": 999})
    records[1] = broken
    once = check_series(records).records
    twice = check_series(once).records
    assert once == twice
    assert [r.model_dump() for r in check_series(once[:1]).records] == [records[0].model_dump()]


def test_the_file_is_rewritten_in_place_keeping_lines_that_are_not_records(tmp_path: Path,
                                                                          series: list[dict[str, object]]) -> None:
    path = tmp_path / "results.jsonl"
    records = extracted(series)
    path.write_text("not json\n" + "".join(r.model_dump_json() + "\n" for r in records), "utf-8")
    result = check_file(path)
    assert result.agreed == result.compared > 0
    first = path.read_text("utf-8")
    assert first.startswith("not json\n") and len(first.splitlines()) == 1 + len(records)
    assert not list(tmp_path.glob(".*.tmp"))
    check_file(path)
    assert path.read_text("utf-8") == first


def test_agencies_are_told_apart_and_joined_by_a_mapping(tmp_path: Path, series: list[dict[str, object]]) -> None:
    renamed = [dict(c, **{"meta.agency": "示例市交通局"}) if i >= 2 else c for i, c in enumerate(series)]
    records = extracted(renamed)
    assert check_series(records).compared == 3 * len(PAIRS)  # 2021–22, 2023–24, 2024–25: not 2022–23
    mapping = tmp_path / "groups.json"
    mapping.write_text(json.dumps({"示例市交通局": "transport", AGENCY: "transport"}, ensure_ascii=False), "utf-8")
    assert check_series(records, load_groups(mapping)).compared == 4 * len(PAIRS)
    mapping.write_text("[1, 2]", "utf-8")
    with pytest.raises(ConfigError, match="JSON object"):
        load_groups(mapping)


def test_two_reports_of_one_year_are_not_guessed_between(series: list[dict[str, object]]) -> None:
    records = extracted(series[:2])
    twin = records[1].model_copy(update={"document": "report-2022-copy.txt"})
    result = check_series([*records, twin])
    assert result.compared == 0
    assert "2 reports" in result.notes[0] and "report-2022-copy.txt" in result.notes[0]


def _i(value: object) -> int:
    assert isinstance(value, int)
    return value


def test_a_torn_last_line_stays_torn_for_the_next_batch_to_cut(tmp_path: Path,
                                                               series: list[dict[str, object]]) -> None:
    path = tmp_path / "results.jsonl"
    records = extracted(series[:2])
    torn = records[1].model_dump_json()[:50]
    path.write_text(records[0].model_dump_json() + "\n" + records[1].model_dump_json() + "\n" + torn, "utf-8")
    result = check_file(path)
    assert result.compared == len(PAIRS)
    text = path.read_text("utf-8")
    assert text.endswith("\n" + torn) and len(text.splitlines()) == 3
