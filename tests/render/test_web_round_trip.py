"""Round trip through the web layouts: every golden rendered as real pages and crawlers give it extracts back
to itself, or flagged. Expected to fail until the parser reads these layouts; never weaken it to pass."""

from __future__ import annotations

import pytest
from conftest import SEEDS, load_golden, same, silent_errors
from corpus import WEB_SYNTHETIC, web_golden

from extractor.pipeline import extract_bytes
from extractor.render import WEB_LAYOUTS, expected_web_cells, open_web_cells, render_web


def _round_trip(golden: dict[str, object], layout: str, name: str) -> None:
    spec = WEB_LAYOUTS[layout]
    record = extract_bytes(render_web(golden, spec), f"{name}-{layout}{spec.suffix}")
    assert record.status != "failed", record.error
    want = expected_web_cells(golden, spec)
    assert silent_errors(record, want) == []
    unsure = open_web_cells(golden, spec)
    wrong = [cid for cid, v in want.items() if cid not in unsure and not same(record.cells[cid].value, v)]
    assert wrong == [], "a web layout loses nothing: every value it prints unambiguously must round-trip exactly"


@pytest.mark.parametrize(("doc", "layout"), [(doc, name) for doc in SEEDS for name in WEB_LAYOUTS])
def test_round_trip_has_no_silent_error(doc: str, layout: str) -> None:
    _round_trip(load_golden(doc), layout, doc[:3])


@pytest.mark.parametrize(("seed", "edition", "large", "layout"),
                         [(*case, name) for case in WEB_SYNTHETIC for name in WEB_LAYOUTS])
def test_generated_round_trip_has_no_silent_error(seed: int, edition: str, large: bool, layout: str) -> None:
    _round_trip(web_golden(seed, edition, large), layout, f"gen{seed}")
