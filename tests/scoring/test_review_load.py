"""Review load in the eval: review items and cells per document, the share of items holding an error, and
the reliability table of item confidence."""

from __future__ import annotations

from conftest import GOLDENS
from review_fixtures import SEED_000, SEED_001, corrupted, seed

from extractor.scoring import evaluate_records, load_goldens


def test_review_load_counts_decisions_and_the_items_that_find_an_error() -> None:
    goldens = load_goldens(GOLDENS)
    clean = evaluate_records("rule", [seed(SEED_001)], goldens).review
    assert clean is not None
    assert (clean.documents, clean.items, clean.cells, clean.items_with_error) == (1, 2, 20, 0)
    assert clean.item_precision == 0.0 and clean.cells_with_error == 0
    bad = evaluate_records("rule", [corrupted(seed(SEED_000), "t3.new.natural_person", 81), seed(SEED_001)],
                           goldens).review
    assert bad is not None and bad.documents == 2
    # the corrupted number and the cells of its failing identities are one item, and it holds the error
    assert bad.items_with_error == 1 and bad.cells_with_error == 1
    assert bad.items_per_document == bad.items / 2
    assert sum(b.items for b in bad.reliability) == bad.items
    [low] = [b for b in bad.reliability if b.low <= 0.3 < b.high]
    assert low.wrong == 1 and low.observed_error == low.wrong / low.items
