"""Narrative and cross-year disagreements in the review queue: reviewed first, both sources side by side."""

from __future__ import annotations

import random
from pathlib import Path

from conftest import DOCS

from extractor.corruptions import coherent_corruptions
from extractor.crossyear import check_series
from extractor.pipeline import extract_bytes
from extractor.render.series import agency_series, render_stated
from extractor.review import ReviewStore, sync_records, view
from extractor.review.queue import tier


def test_a_narrative_mismatch_shows_the_sentence_and_both_readings(tmp_path: Path) -> None:
    text = (DOCS / "000_c177902358b96c63.txt").read_text("utf-8").replace("行政複議申請1起", "行政複議申請4起")
    record = extract_bytes(text.encode("utf-8"), "000-review-4.txt")
    db = tmp_path / "review.db"
    sync_records(db, [record], 0.8)
    with ReviewStore(db) as store:
        item = next(i for i in store.queue() if i.cell == "t4.review.total")
        shown = view(store, item)
    assert tier(item.extracted) == 0
    assert shown.readings == {"table": "1", "narrative": "4"}
    assert "narrative_mismatch" in shown.flags and "sentence" in shown.flag_words[0]
    assert shown.note is not None and "行政复议申请4起" in shown.note


def test_a_cross_year_mismatch_names_the_other_report(tmp_path: Path) -> None:
    rng = random.Random(2)
    series = agency_series(rng, "示例市交通运输局", 2021, 2)
    moved = next(c for c in coherent_corruptions(series[1], "2021") if c.name.startswith("t3.carried_over"))
    records = [extract_bytes(render_stated(t, s, rng), f"{s['meta.year']}.txt")
               for t, s in zip([series[0], moved.cells], series, strict=True)]
    db = tmp_path / "review.db"
    sync_records(db, check_series(records).records, 0.8)
    with ReviewStore(db) as store:
        item = next(i for i in store.queue() if i.cell == "t3.carried_over.natural_person")
        shown = view(store, item)
    assert "cross_year_mismatch" in shown.flags
    assert shown.readings == {"this report": str(moved.cells["t3.carried_over.natural_person"]),
                              "2021.txt (2021)": str(series[0]["t3.carried_forward.natural_person"])}
    assert shown.note is not None and "2021.txt (2021) gives 结转下年度继续办理 自然人" in shown.note
