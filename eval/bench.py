"""Benchmark of the rule path: documents per second, p50/p99 per document, a per-stage breakdown and peak
memory, printed.

    python eval/bench.py                 # 1,000 documents: the seeds + generated reports
    python eval/bench.py --docs 5000 --keep /tmp/corpus
    python eval/bench.py --pdf 200 --docx 200    # more PDF and DOCX documents (default 50 each)
    python eval/bench.py --docs 0 --pdf 0 --docx 0 --ocr 10   # 10 scanned reports only (the [ocr] extra)
    python eval/bench.py --cpu           # CPU seconds, not wall-clock: for a machine busy with other work

Documents are written to a folder first (the seeds repeated, and synthetic
goldens rendered in every text, HTML and web layout — crawler dumps, CMS and
Word HTML, Markdown, pages without headings; the committed PDF and DOCX
fixtures of the seeds repeated), then extracted one after another in this
process, as `nianbao extract` does on one core, timed per group (seed text,
text and HTML layouts, crawler text, Markdown, pages cut off mid-table, PDF,
DOCX). PDF speed is also given in pages per second. The breakdown sums each
stage over all documents (load, normalise, sections, grids, cells — the
solver's share —, checks, record, and output: the JSON line written), so the
next regression shows where it is. ``--ocr N`` adds N scanned reports (the seed PDFs through the
scanner realism of ``render/scan.py``, as image-only PDFs) and prints their pages per second and
the share of their time spent in OCR and in parsing.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.config import Settings  # noqa: E402
from extractor.pipeline import extract_file, settle_heap  # noqa: E402
from extractor.render import CUT_LAYOUTS, LAYOUTS, WEB_LAYOUTS, render, render_web  # noqa: E402
from extractor.render.cut import cut_points, cuttable  # noqa: E402
from extractor.render.scan import SCANS, images_to_pdf, scan_pages  # noqa: E402
from extractor.render.synth import random_golden  # noqa: E402
from extractor.stages import record_stages  # noqa: E402

sys.path.insert(0, str(ROOT / "eval"))
from scan_round_trip import OcrClock  # noqa: E402


def build_corpus(folder: Path, n: int, seed: int, web: bool = True) -> dict[Path, str]:
    """``n`` documents and the group each is timed in: seeds, text/HTML layouts, web layouts."""
    rng = random.Random(seed)
    seeds = sorted((ROOT / "goldens" / "docs").glob("*.txt"))
    layouts: list[tuple[str, str, Callable[[dict[str, object]], bytes]]] = [
        (name, spec.suffix, lambda g, spec=spec: render(g, spec)) for name, spec in LAYOUTS.items()]
    if web:
        layouts += [(name, spec.suffix, lambda g, spec=spec: render_web(g, spec))
                    for name, spec in WEB_LAYOUTS.items()]
    corpus: dict[Path, str] = {}
    cut_layouts = sorted(CUT_LAYOUTS)
    for i in range(n):
        if i % 16 == 5:  # a page cut off at a random place worth cutting at
            document = cuttable(random_golden(rng), cut_layouts[i % len(cut_layouts)])
            point = rng.choice(cut_points(document.doc, rng))
            path = folder / f"{i:06d}_cut.txt"
            path.write_bytes(document.cut(point.at).data)
            corpus[path] = "cut"
        elif i % 4 == 0:
            src = seeds[(i // 4) % len(seeds)]
            path = folder / f"{i:06d}_{src.name}"
            shutil.copyfile(src, path)
            corpus[path] = "seed text"
        else:
            name, suffix, make = layouts[i % len(layouts)]
            path = folder / f"{i:06d}_{name}{suffix}"
            path.write_bytes(make(random_golden(rng, large=i % 8 == 3)))
            corpus[path] = _group(name, suffix)
    return corpus


def _group(layout: str, suffix: str) -> str:
    if layout.startswith("crawler"):
        return "crawler text"
    if layout.startswith("markdown"):
        return "markdown"
    return "html" if suffix == ".html" else "text"


FIXTURES = ROOT / "tests" / "fixtures"


def office_corpus(folder: Path, suffix: str, n: int) -> list[Path]:
    """``n`` copies of the committed fixtures that are reports (not the deliberately broken ones)."""
    sources = sorted(p for p in FIXTURES.glob(f"*{suffix}") if p.stem[-3:].isdigit() and not p.name.startswith("scan_"))
    paths: list[Path] = []
    for i in range(n if sources else 0):
        src = sources[i % len(sources)]
        path = folder / f"office_{i:06d}_{src.name}"
        shutil.copyfile(src, path)
        paths.append(path)
    return paths


def scanned_corpus(folder: Path, n: int) -> list[Path]:
    """``n`` image-only PDFs: the seed PDFs scanned with every fault of ``realism``."""
    sources = sorted(FIXTURES.glob("pdf_00[0-9].pdf"))
    paths: list[Path] = []
    for i in range(n if sources else 0):
        src = sources[i % len(sources)]
        path = folder / f"scan_{i:06d}_{src.name}"
        path.write_bytes(images_to_pdf(scan_pages(src.read_bytes(), SCANS["realism"], seed=i), SCANS["realism"].dpi))
        paths.append(path)
    return paths


def pdf_pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pdf", type=int, default=50, help="PDF documents (copies of the fixtures)")
    parser.add_argument("--docx", type=int, default=50, help="DOCX documents (copies of the fixtures)")
    parser.add_argument("--ocr", type=int, default=0, help="scanned PDF documents, read by OCR (default 0)")
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    parser.add_argument("--no-web", action="store_true",
                        help="leave out the web layouts (crawler text, CMS/Word HTML, Markdown): the corpus "
                             "of earlier benchmarks")
    parser.add_argument("--cpu", action="store_true",
                        help="time in CPU seconds of this process (time.process_time), not wall-clock: "
                             "figures that hold on a machine busy with other work")
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    folder = args.keep or Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    corpus = build_corpus(folder, args.docs, args.seed, web=not args.no_web)
    corpus |= {p: "pdf" for p in office_corpus(folder, ".pdf", args.pdf)}
    corpus |= {p: "docx" for p in office_corpus(folder, ".docx", args.docx)}
    corpus |= {p: "ocr" for p in scanned_corpus(folder, args.ocr)}
    paths = list(corpus)
    pages = {p: pdf_pages(p) for p in paths if p.suffix == ".pdf"}
    settings = Settings(doc_timeout=0)  # measured, not guarded: a busy machine must not fail a scan
    extract_file(paths[0], settings)  # warm up: opencc dictionaries, regex caches
    settle_heap()  # as a batch does
    by_format: dict[str, list[float]] = defaultdict(list)
    pages_read = 0
    ocr = OcrClock()
    statuses: dict[str, int] = defaultdict(int)
    stages = record_stages(clock)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = clock()
    for path in paths:
        t0 = clock()
        if corpus[path] == "ocr":
            with ocr:
                record = extract_file(path, settings)
        else:
            record = extract_file(path, settings)
            pages_read += pages.get(path, 0)
        t1 = clock()
        record.model_dump_json()
        stages["output"] = stages.get("output", 0.0) + clock() - t1
        by_format[corpus[path]].append(clock() - t0)
        statuses[record.status] += 1
    elapsed = clock() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"rule path, one process: {len(paths)} documents in {elapsed:.2f} {'CPU ' if args.cpu else ''}s "
          f"= {len(paths) / elapsed:.3g} documents/s")
    for fmt, times in sorted(by_format.items()):
        print(f"  {fmt:12s} {len(times):6d} documents  {len(times) / sum(times):7.3g} documents/s  "
              f"{sum(times) / len(times) * 1000:6.2f} ms a document  "
              f"p50 {percentile(times, 50) * 1000:6.1f} ms  p99 {percentile(times, 99) * 1000:6.1f} ms  "
              f"slowest {max(times) * 1000:.1f} ms"
              + (f"  {pages_read / sum(times):5.1f} pages/s ({pages_read} pages)" if fmt == "pdf" else "")
              + (f"  {ocr.pages / sum(times):5.2f} pages/s ({ocr.pages} pages): OCR {ocr.seconds / sum(times):.0%}"
                 f" of the time, reading and parsing {1 - ocr.seconds / sum(times):.0%}" if fmt == "ocr" else ""))
    print(f"  statuses: {dict(statuses)}")
    print("per stage, summed over the documents:")
    for name in ("load", "normalise", "sections", "grids", "cells", "checks", "record", "output"):
        spent = stages.get(name, 0.0)
        print(f"  {name:10s} {spent:7.2f} s  {spent / elapsed:5.1%}  {spent / len(paths) * 1000:6.2f} ms a document")
    print(f"peak memory (max RSS): {peak / 1024:.0f} MiB (before the run: {rss_before / 1024:.0f} MiB)")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
