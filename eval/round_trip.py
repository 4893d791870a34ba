"""Round-trip accuracy per layout: synthetic goldens rendered, extracted, scored; figures printed.

    python eval/round_trip.py                       # 200 goldens (both editions, half large) × every layout
    python eval/round_trip.py --goldens 1000 --layout crawler_flat --layout crawler_flat_spaces

For each layout: cells scored, the share right, silent errors (wrong and not
flagged: must be 0), cells flagged, and the share of cells whose value was
left open by the layout (``open_web_cells``: e.g. a flattened digit run that
splits several ways under its row's own sums) — with how many of those the
table's arithmetic still got right. The tests run a small fixed set; this
script measures a large one.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.pipeline import extract_bytes  # noqa: E402
from extractor.render import (  # noqa: E402
    LAYOUTS,
    WEB_LAYOUTS,
    expected_cells,
    expected_web_cells,
    open_web_cells,
    render,
    render_web,
)
from extractor.render.synth import random_golden  # noqa: E402
from extractor.scoring.match import values_equal  # noqa: E402


def goldens(n: int, seed: int) -> list[dict[str, object]]:
    return [random_golden(random.Random(seed * 100_003 + i), ("2019", "2021")[i % 2], large=i % 4 >= 2)
            for i in range(n)]


def measure(layout: str, cases: list[dict[str, object]]) -> Counter[str]:
    count: Counter[str] = Counter()
    for i, golden in enumerate(cases):
        if layout in WEB_LAYOUTS:
            spec = WEB_LAYOUTS[layout]
            data, want = render_web(golden, spec), expected_web_cells(golden, spec)
            unsure, suffix = open_web_cells(golden, spec), spec.suffix
        else:
            text = LAYOUTS[layout]
            data, want, unsure, suffix = render(golden, text), expected_cells(golden, text), set(), text.suffix
        record = extract_bytes(data, f"g{i}-{layout}{suffix}")
        count["documents"] += 1
        count["failed"] += record.status == "failed"
        for cell, value in want.items():
            got = record.cells.get(cell)
            right = got is not None and values_equal(cell, got.value, value)
            flagged = got is not None and bool(got.flags)
            count["cells"] += 1
            count["right"] += right
            count["flagged"] += flagged
            count["silent"] += not right and not flagged and record.status != "failed"
            count["open"] += cell in unsure
            count["open_right"] += cell in unsure and right
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--goldens", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--layout", action="append", default=None,
                        help="a layout to measure (repeat); default: every text, HTML and web layout")
    args = parser.parse_args()
    cases = goldens(args.goldens, args.seed)
    layouts = args.layout or [*LAYOUTS, *WEB_LAYOUTS]
    print(f"{len(cases)} synthetic goldens (both editions, half with multi-digit counts)")
    print(f"{'layout':24} {'cells':>7} {'right':>8} {'silent':>6} {'flagged':>8} {'open':>7} {'open right':>10}")
    for layout in layouts:
        c = measure(layout, cases)
        open_right = f"{c['open_right'] / c['open']:.1%}" if c["open"] else "—"
        print(f"{layout:24} {c['cells']:>7} {c['right'] / c['cells']:>8.2%} {c['silent']:>6} "
              f"{c['flagged'] / c['cells']:>8.2%} {c['open'] / c['cells']:>7.2%} {open_right:>10}"
              + (f"  ({c['failed']} failed)" if c["failed"] else ""))


if __name__ == "__main__":
    main()
