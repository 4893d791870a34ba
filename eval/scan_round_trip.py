"""Round trip of scanned reports: goldens → office PDF → scanner realism → OCR → cells, scored per degradation.

    python eval/scan_round_trip.py                          # the 5 goldens × every scan of render/scan.py
    python eval/scan_round_trip.py --scan realism --synth 10   # + 10 synthetic goldens (needs LibreOffice)
    python eval/scan_round_trip.py --keep tests/bench/scans    # keep the image-only PDFs and page PNGs

The goldens' PDFs are the committed fixtures (``tests/fixtures/pdf_<seed>.pdf``, rendered by
LibreOffice from the national template); synthetic goldens are rendered afresh. Each scan is
saved as an image-only PDF and read as any PDF is, without the time limit (a measurement, not a
batch). Printed per scan: cells right, silent errors (wrong and unflagged: must be 0; a failed
record's cells are wrong but seen), cells flagged, OCR pages per second, and the share of the
time spent in OCR. The tests run a small fixed set; this script measures the large one.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.config import Settings  # noqa: E402
from extractor.pipeline import extract_bytes  # noqa: E402
from extractor.read import ocr  # noqa: E402
from extractor.render.office import OFFICE_LAYOUTS, render_office  # noqa: E402
from extractor.render.scan import SCANS, images_to_pdf, scan_pages  # noqa: E402
from extractor.render.synth import random_golden  # noqa: E402
from extractor.scoring.match import values_equal  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def cases(synth: int, seed: int) -> list[tuple[str, dict[str, object], bytes]]:
    """(name, cells, office PDF) for each golden, then ``synth`` synthetic ones."""
    out = []
    for path in sorted((ROOT / "goldens").glob("[0-9]*.json")):
        cells = json.loads(path.read_text("utf-8"))["cells"]
        fixture = FIXTURES / f"pdf_{path.name[:3]}.pdf"
        pdf = fixture.read_bytes() if fixture.exists() else render_office(cells, OFFICE_LAYOUTS["pdf"])
        out.append((path.name[:3], cells, pdf))
    for i in range(synth):
        cells = random_golden(random.Random(seed * 100_003 + i), ("2019", "2021")[i % 2], large=i % 2 == 1)
        out.append((f"synth{i:03d}", cells, render_office(cells, OFFICE_LAYOUTS["pdf"])))
    return out


class OcrClock:
    """Time spent reading page images, measured around the engine call."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.pages = 0
        self._read = ocr.read_image

    def __enter__(self) -> OcrClock:
        def timed(image):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return self._read(image)
            finally:
                self.seconds += time.perf_counter() - started
                self.pages += 1
        ocr.read_image = timed
        return self

    def __exit__(self, *exc: object) -> None:
        ocr.read_image = self._read


def measure(scan: str, docs: list[tuple[str, dict[str, object], bytes]], keep: Path | None) -> Counter[str]:
    count: Counter[str] = Counter()
    for k, (name, cells, pdf) in enumerate(docs):
        pages = scan_pages(pdf, SCANS[scan], seed=k)
        data = images_to_pdf(pages, SCANS[scan].dpi)
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"scan_{scan}_{name}.pdf").write_bytes(data)
            for i, page in enumerate(pages, 1):
                page.save(keep / f"scan_{scan}_{name}_p{i}.png")
        started = time.perf_counter()
        with OcrClock() as clock:
            record = extract_bytes(data, f"scan_{scan}_{name}.pdf", Settings(doc_timeout=0))
        count["seconds"] += time.perf_counter() - started
        count["ocr_seconds"] += clock.seconds
        count["pages"] += clock.pages
        count["documents"] += 1
        count["failed"] += record.status == "failed"
        if record.status == "failed":
            print(f"  failed: {scan} {name}: {record.error}")
        for cell, value in cells.items():
            got = record.cells.get(cell)
            right = got is not None and values_equal(cell, got.value, value)
            flagged = record.status == "failed" or (got is not None and bool(got.flags))  # a failure is seen
            count["cells"] += 1
            count["right"] += right
            count["flagged"] += flagged
            if not right and not flagged:
                count["silent"] += 1
                print(f"  silent: {scan} {name} {cell} got {got.value if got else 'missing'} want {value}")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scan", action="append", choices=sorted(SCANS), help="scans to measure (default all)")
    parser.add_argument("--synth", type=int, default=0, help="synthetic goldens too (rendered by LibreOffice)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the scans (PDF and page PNGs) here")
    args = parser.parse_args()
    docs = cases(args.synth, args.seed)
    print(f"{'scan':<12} {'docs':>5} {'cells':>6} {'right':>8} {'silent':>6} {'flagged':>8} {'pages/s':>8} "
          f"{'OCR share':>9}")
    for scan in args.scan or list(SCANS):
        c = measure(scan, docs, args.keep)
        print(f"{scan:<12} {c['documents']:>5} {c['cells']:>6} {c['right'] / max(c['cells'], 1):>8.2%} "
              f"{c['silent']:>6} {c['flagged'] / max(c['cells'], 1):>8.1%} "
              f"{c['pages'] / max(c['seconds'], 1e-9):>8.3f} {c['ocr_seconds'] / max(c['seconds'], 1e-9):>9.0%}",
              flush=True)


if __name__ == "__main__":
    main()
