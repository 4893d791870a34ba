"""The hard-layout gap set: documents whose rule-path records have gaps the text can close, with goldens.

    python eval/gap_set.py OUT            # OUT/docs/*.txt and OUT/*.json
    nianbao eval --docs OUT/docs --goldens OUT --config rule --config rule-qwen-1_5b

Synthetic goldens (``random_golden``, large counts, both editions) rendered in
the renderer's hard layouts, plus the bundled goldens as they are:

- ``labels_mangled``: the tab layout with two rows of table 三 whose labels are
  smudged to □ (as a bad scan or font prints them);
- ``label_missing``, ``labels_missing``: one or two rows of 三 printed without their label;
- ``pipe_squeezed``: pipe rows with squeezed empty cells (a row that reads several ways);
- ``glued_labels``: rows whose numbers run into their label;
- ``tab_truncated``: a page cut off (its cells are not gaps the text can close).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.render import LAYOUTS, expected_cells, render  # noqa: E402
from extractor.render.odd import ODD_LAYOUTS, expected_odd_cells, render_odd  # noqa: E402
from extractor.render.synth import random_golden  # noqa: E402

_NUMBER = re.compile(r"\d[\d,.]*")


def _t3_lines(text: str) -> list[int]:
    """Indices of table 三's rows in a tab report: a label, then seven numbers."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("三、收到"))
    end = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开"))
    return [i for i in range(start, end)
            if len(parts := lines[i].split("\t")) == 8 and all(_NUMBER.fullmatch(p.strip()) for p in parts[1:])
            and any(p.strip() != "0" for p in parts[1:])]


def smudge_labels(text: str, rng: random.Random, n: int, blank: bool = False) -> str:
    """``n`` rows of 三 with their label's characters turned to □ (or the label dropped)."""
    lines = text.split("\n")
    for i in rng.sample(_t3_lines(text), n):
        label, rest = lines[i].split("\t", 1)
        lines[i] = ("" if blank else re.sub(r"[\u4e00-\u9fff]", "□", label)) + "\t" + rest
    return "\n".join(lines)


def build(out: Path, seed: int = 20) -> list[str]:
    """Write the set; its document names."""
    (out / "docs").mkdir(parents=True, exist_ok=True)
    names: list[str] = []

    def put(name: str, data: bytes, cells: dict[str, object], notes: str) -> None:
        (out / "docs" / name).write_bytes(data)
        golden = {"document": name, "cells": cells, "notes": notes}
        (out / f"{Path(name).stem}.json").write_text(json.dumps(golden, ensure_ascii=False, indent=1), "utf-8")
        names.append(name)

    rng = random.Random(seed)
    tab = LAYOUTS["tab"]
    for i, edition in enumerate(("2021", "2019", "2021")):
        cells = random_golden(random.Random(seed * 1000 + i), edition, large=True)
        text = render(cells, tab).decode("utf-8")
        put(f"gap{i}_labels_mangled.txt", smudge_labels(text, rng, 2).encode(), expected_cells(cells, tab),
            "two rows of 三 with smudged labels")
    cells = random_golden(random.Random(seed * 1000 + 3), "2021", large=True)
    put("gap3_label_missing.txt", smudge_labels(render(cells, tab).decode(), rng, 1, blank=True).encode(),
        expected_cells(cells, tab), "one row of 三 without its label")
    cells = random_golden(random.Random(seed * 1000 + 4), "2019", large=True)
    put("gap4_labels_missing.txt", smudge_labels(render(cells, tab).decode(), rng, 2, blank=True).encode(),
        expected_cells(cells, tab), "two rows of 三 without their labels")
    for j, layout in enumerate(("pipe_squeezed", "glued_labels"), 5):
        cells = random_golden(random.Random(seed * 1000 + j), ("2021", "2019")[j % 2], large=True)
        odd = ODD_LAYOUTS[layout]
        put(f"gap{j}_{layout}.txt", render_odd(cells, odd), expected_odd_cells(cells, odd), layout)
    cells = random_golden(random.Random(seed * 1000 + 7), "2021", large=True)
    cut = LAYOUTS["tab_truncated"]
    put("gap7_tab_truncated.txt", render(cells, cut), expected_cells(cells, cut), "a page cut off")
    for golden in sorted((ROOT / "goldens").glob("*.json")):
        if golden.name == "schema.json":
            continue
        data = json.loads(golden.read_text("utf-8"))
        shutil.copy(ROOT / "goldens" / "docs" / data["document"], out / "docs" / data["document"])
        shutil.copy(golden, out / golden.name)
        names.append(data["document"])
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    for name in build(args.out, args.seed):
        print(name)


if __name__ == "__main__":
    main()
