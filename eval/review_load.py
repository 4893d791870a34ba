"""Review load on every labelled set: the bundled goldens, their rendered layouts, and pages cut off.

    python eval/review_load.py               # the three sets, printed
    python eval/review_load.py --random 10   # more generated goldens in the rendered and cut sets

Each set is extracted with the rule path and scored as ``nianbao eval`` scores it; printed per set: flag
recall, silent errors, cells and review items queued per document, the share of queued cells that are
wrong (the precision of a queue of cells) and of review items that hold an error (the precision of a
queue of decisions), the share of wrong cells that are queued, and the reliability table of the review
items.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.pipeline import extract_file  # noqa: E402
from extractor.records import Record  # noqa: E402
from extractor.render import (  # noqa: E402
    CUT_LAYOUTS,
    LAYOUTS,
    WEB_LAYOUTS,
    cut_points,
    cuttable,
    expected_cells,
    expected_web_cells,
    render,
    render_web,
)
from extractor.render.synth import random_golden  # noqa: E402
from extractor.scoring import evaluate_records, load_goldens  # noqa: E402
from extractor.scoring.goldens import Golden  # noqa: E402
from extractor.scoring.metrics import EvalResult  # noqa: E402

Case = tuple[str, bytes, dict[str, object]]
"""A document name, its bytes and its expected cells."""


def golden_cells(n_random: int, seed: int) -> list[tuple[str, dict[str, object]]]:
    rng = random.Random(seed)
    bundled = [(name, dict(g.cells)) for name, g in sorted(load_goldens(ROOT / "goldens").items())]
    made = [(f"random{i:02d}", random_golden(rng, ("2019", "2021")[i % 2], large=i % 3 == 0))
            for i in range(n_random)]
    return [(Path(name).stem, cells) for name, cells in bundled + made]


def rendered_cases(goldens: list[tuple[str, dict[str, object]]]) -> list[Case]:
    cases: list[Case] = []
    for stem, cells in goldens:
        for name, layout in LAYOUTS.items():
            cases.append((f"{stem}-{name}{layout.suffix}", render(cells, layout), expected_cells(cells, layout)))
        for name, web in WEB_LAYOUTS.items():
            cases.append((f"{stem}-{name}{web.suffix}", render_web(cells, web), expected_web_cells(cells, web)))
    return cases


def cut_cases(goldens: list[tuple[str, dict[str, object]]], per_layout: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    cases: list[Case] = []
    for stem, cells in goldens:
        for name in sorted(CUT_LAYOUTS):
            try:
                document = cuttable(cells, name)
            except ValueError:
                continue
            points = cut_points(document.doc, rng)
            for point in rng.sample(points, min(per_layout, len(points))):
                cut = document.cut(point.at)
                cases.append((f"{stem}-{name}-cut{point.at}.txt", cut.data, cut.expected))
    return cases


def score(cases: list[Case], folder: Path) -> EvalResult:
    folder.mkdir(parents=True, exist_ok=True)
    records: list[Record] = []
    goldens: dict[str, Golden] = {}
    for name, data, expected in cases:
        path = folder / name
        path.write_bytes(data)
        records.append(extract_file(path))
        goldens[name] = Golden.model_construct(document=name, cells=expected, notes="")
    return evaluate_records("rule", records, goldens)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=4, help="generated goldens added to the bundled five")
    parser.add_argument("--cuts", type=int, default=2, help="cut points per golden and layout")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    goldens = golden_cells(args.random, args.seed)
    bundled = [(name, (ROOT / "goldens" / "docs" / name).read_bytes(), dict(g.cells))
               for name, g in sorted(load_goldens(ROOT / "goldens").items())]
    sets = {"bundled goldens": bundled, "rendered layouts": rendered_cases(goldens),
            "cut pages": cut_cases(goldens, args.cuts, args.seed)}
    print(f"{'set':18} {'docs':>5} {'flag rec.':>9} {'silent':>6} {'cells/doc':>9} {'items/doc':>9} "
          f"{'cells wrong':>11} {'items wrong':>11} {'queue rec.':>10}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, cases in sets.items():
            r = score(cases, Path(tmp) / label.replace(" ", "_"))
            results[label] = r
            load = r.review
            assert load is not None
            cell_precision = load.cells_with_error / load.cells if load.cells else None
            print(f"{label:18} {load.documents:>5} {_pct(r.overall.flag_recall):>9} {r.overall.silent_errors:>6} "
                  f"{load.cells_per_document or 0:>9.2f} {load.items_per_document or 0:>9.2f} "
                  f"{_pct(cell_precision):>11} {_pct(load.item_precision):>11} {_pct(load.queue_recall):>10}")
    for label, r in results.items():
        assert r.review is not None
        print(f"\n{label}: review items by confidence")
        for b in r.review.reliability:
            print(f"  [{b.low:.1f}, {b.high:.1f})  items {b.items:>5}  wrong {b.wrong:>5}  "
                  f"predicted {_pct(b.predicted_error):>6}  observed {_pct(b.observed_error):>6}")


if __name__ == "__main__":
    main()
