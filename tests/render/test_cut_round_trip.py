"""Round trip through cut-off documents: every golden in every cuttable text layout, cut at many places, extracts
back to what the kept text still conveys, or flagged and in the review queue. Expected to fail until the parser
reads the end of a text as the end of what it knows (never as blank zeros); never weaken it to pass."""

from __future__ import annotations

import random

import pytest
from conftest import SEEDS, load_golden, same, silent_errors
from corpus import CUT_SYNTHETIC, web_golden

from extractor.pipeline import extract_bytes
from extractor.render.cut import CUT_LAYOUTS, cut_points, cuttable, sample_cuts
from extractor.review_items import queued_cells
from extractor.scoring.review_load import REVIEW_THRESHOLD

CUTS_PER_DOCUMENT = 20
"""Cut points tried per golden and layout: one of each class the document has, then random others."""


def _failures(golden: dict[str, object], layout: str, name: str) -> list[str]:
    document = cuttable(golden, layout)
    out = []
    for point in sample_cuts(cut_points(document.doc), random.Random(f"{name}-{layout}"), CUTS_PER_DOCUMENT):
        cut = document.cut(point.at)
        record = extract_bytes(cut.data, f"{name}-{layout}-at{point.at}.txt")
        if record.status == "failed":
            if any(v is not None for v in cut.expected.values()):  # a failure loses what the text still says
                out.append(f"at {point.at} ({point.kind}: {point.where}): failed: {record.error}")
            continue
        silent = silent_errors(record, cut.expected)
        if silent:
            out.append(f"at {point.at} ({point.kind}: {point.where}): {len(silent)} silent, e.g. {silent[:3]}")
        # flagged is not enough: a wrong cell that no review item shows is as good as silent to a user
        queued = set(queued_cells(record, REVIEW_THRESHOLD))
        unseen = [(c, record.cells[c].value, v) for c, v in cut.expected.items()
                  if c in record.cells and not same(record.cells[c].value, v) and c not in queued]
        if unseen:
            out.append(f"at {point.at} ({point.kind}: {point.where}): {len(unseen)} wrong, not queued, "
                       f"e.g. {unseen[:3]}")
    return out


@pytest.mark.parametrize(("doc", "layout"), [(doc, name) for doc in SEEDS for name in CUT_LAYOUTS])
def test_cut_round_trip_has_no_silent_error(doc: str, layout: str) -> None:
    failures = _failures(load_golden(doc), layout, doc[:3])
    assert not failures, f"{len(failures)} of {CUTS_PER_DOCUMENT} cuts:\n" + "\n".join(failures)


@pytest.mark.parametrize(("seed", "edition", "large", "layout"),
                         [(*case, name) for case in CUT_SYNTHETIC for name in CUT_LAYOUTS])
def test_generated_cut_round_trip_has_no_silent_error(seed: int, edition: str, large: bool, layout: str) -> None:
    failures = _failures(web_golden(seed, edition, large), layout, f"gen{seed}")
    assert not failures, f"{len(failures)} of {CUTS_PER_DOCUMENT} cuts:\n" + "\n".join(failures)
