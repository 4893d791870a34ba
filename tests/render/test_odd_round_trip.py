"""Round trip through the odd layouts: every golden (of an edition the layout takes) rendered as an odd real page
extracts back to what the page conveys, or flagged. Expected to fail until the parser reads these pages; never
weaken it to pass."""

from __future__ import annotations

import pytest
from conftest import SEEDS, load_golden, silent_errors
from corpus import CUT_SYNTHETIC, web_golden

from extractor.pipeline import extract_bytes
from extractor.render.odd import ODD_LAYOUTS, expected_odd_cells, render_odd


def _round_trip(golden: dict[str, object], layout: str, name: str) -> None:
    spec = ODD_LAYOUTS[layout]
    record = extract_bytes(render_odd(golden, spec), f"{name}-{layout}{spec.suffix}")
    assert record.status != "failed", record.error
    assert silent_errors(record, expected_odd_cells(golden, spec)) == []


def _takes(golden: dict[str, object], layout: str) -> bool:
    return str(golden["meta.template"]) in ODD_LAYOUTS[layout].editions


@pytest.mark.parametrize(("doc", "layout"),
                         [(doc, name) for doc in SEEDS for name in ODD_LAYOUTS if _takes(load_golden(doc), name)])
def test_round_trip_has_no_silent_error(doc: str, layout: str) -> None:
    _round_trip(load_golden(doc), layout, doc[:3])


@pytest.mark.parametrize(("seed", "edition", "large", "layout"),
                         [(*case, name) for case in CUT_SYNTHETIC for name in ODD_LAYOUTS
                          if case[1] in ODD_LAYOUTS[name].editions])
def test_generated_round_trip_has_no_silent_error(seed: int, edition: str, large: bool, layout: str) -> None:
    _round_trip(web_golden(seed, edition, large), layout, f"gen{seed}")
