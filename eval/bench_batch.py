"""Benchmark of a batch through the real CLI: documents/s, peak memory, and kill -9 + resume.

    python eval/bench_batch.py                      # 10,000 documents, --workers 2
    python eval/bench_batch.py --docs 2000 --workers 4 --keep /tmp/batch
    python eval/bench_batch.py --scaling            # also one process on the same corpus: the speed-up

Generates the corpus (random goldens rendered in the text and HTML layouts),
runs ``nianbao extract --workers N`` on it in a subprocess once without a
break, then again into a second file killed with SIGKILL (the whole process
group, workers too) when half the records are written, and resumed by the
same command. It prints documents per second, the peak memory of the process
tree (sampled with psutil when installed; the largest single process from
``getrusage(RUSAGE_CHILDREN)`` always), and checks that the resumed output
equals the unbroken one record for record, ignoring ``seconds``. With
``--scaling`` it first runs the same corpus in one process (``--workers 1``)
and prints the speed-up of N workers over it, and that both wrote the same
records.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.render import LAYOUTS, render  # noqa: E402
from extractor.render.synth import random_golden  # noqa: E402

NIANBAO = str(Path(sys.executable).with_name("nianbao"))


def build_corpus(folder: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    layouts = list(LAYOUTS.values())
    for i in range(n):
        layout = layouts[i % len(layouts)]
        sub = folder / f"{i // 1000:03d}"  # a thousand a folder, as scraped corpora come
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:06d}_{layout.name}{layout.suffix}").write_bytes(render(random_golden(rng), layout))


@dataclass
class Run:
    seconds: float
    tree_peak_mib: float | None
    """Peak of the summed RSS of the CLI and its workers (psutil sampling), if psutil is installed."""
    returncode: int
    lines: int


def lines_of(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as fh:
        return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))


class LineCounter:
    """Complete lines of a growing file, reading only what was appended since the last look."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0
        self.lines = lines_of(path)
        self.offset = path.stat().st_size if path.exists() else 0

    def count(self) -> int:
        if self.path.exists():
            with self.path.open("rb") as fh:
                fh.seek(self.offset)
                data = fh.read()
            self.offset += len(data)
            self.lines += data.count(b"\n")
        return self.lines


def run_cli(args: list[str], out: Path, kill_at: int | None = None) -> Run:
    """Run ``nianbao extract``; with ``kill_at``, SIGKILL its process group once that many lines are out."""
    try:
        import psutil
    except ImportError:
        psutil = None  # type: ignore[assignment]
    started = time.perf_counter()
    # stderr goes to a file, not a pipe: a pipe nobody reads while polling fills up (the progress
    # bar and the summary of 10,000 documents) and the CLI blocks writing to it, for ever
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen([NIANBAO, "extract", *args, "-o", str(out)], stdout=subprocess.DEVNULL,
                            stderr=err, start_new_session=True)
    peak = 0.0
    counter = LineCounter(out)
    while proc.poll() is None:
        if psutil is not None:
            try:
                parent = psutil.Process(proc.pid)
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
            except psutil.Error:
                pass
        if kill_at is not None and counter.count() >= kill_at:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        time.sleep(0.1)
    err.seek(0)
    stderr = err.read().decode("utf-8", "replace")
    err.close()
    if proc.returncode not in (0, 1, -signal.SIGKILL):
        print(stderr[-3000:], file=sys.stderr)
    return Run(time.perf_counter() - started, peak if psutil is not None else None, proc.returncode,
               lines_of(out))


def same_records(a: Path, b: Path) -> tuple[bool, int]:
    """Whether two JSONL files hold the same records in the same order, ignoring ``seconds``."""
    n = 0
    with a.open(encoding="utf-8") as fa, b.open(encoding="utf-8") as fb:
        for la, lb in zip(fa, fb, strict=False):
            ra, rb = json.loads(la), json.loads(lb)
            ra.pop("seconds", None)
            rb.pop("seconds", None)
            if ra != rb:
                return False, n
            n += 1
        return fa.readline() == "" and fb.readline() == "", n


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # each figure out as it comes
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--scaling", action="store_true",
                        help="first run one process on the same corpus and print the speed-up of --workers N")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="nianbao-bench-batch-"))
    corpus, full, resumed = work / "corpus", work / "full.jsonl", work / "resumed.jsonl"
    t0 = time.perf_counter()
    if not corpus.exists():
        build_corpus(corpus, args.docs, args.seed)
    print(f"corpus: {args.docs} documents in {time.perf_counter() - t0:.1f} s → {corpus}")
    common = [str(corpus), "--workers", str(args.workers), "--llm", "none"]
    full.unlink(missing_ok=True)
    resumed.unlink(missing_ok=True)

    whole = run_cli([*common, "--no-resume"], full)
    print(f"unbroken run, --workers {args.workers}: {whole.lines} records in {whole.seconds:.1f} s "
          f"= {whole.lines / whole.seconds:.0f} documents/s (exit {whole.returncode})")
    if whole.tree_peak_mib is not None:
        print(f"  peak memory of the process tree (CLI + workers, summed RSS): {whole.tree_peak_mib:.0f} MiB")
    if args.scaling:
        single_out = work / "single.jsonl"
        single_out.unlink(missing_ok=True)
        single = run_cli([str(corpus), "--workers", "1", "--llm", "none", "--no-resume"], single_out)
        same, _ = same_records(single_out, full)
        print(f"one process: {single.lines} records in {single.seconds:.1f} s "
              f"= {single.lines / single.seconds:.0f} documents/s (exit {single.returncode}); "
              f"--workers {args.workers} is {single.seconds / whole.seconds:.2f}× one process; "
              f"same records: {'yes' if same else 'NO'}")

    killed = run_cli(common, resumed, kill_at=args.docs // 2)
    print(f"killed with SIGKILL after {killed.seconds:.1f} s with {killed.lines} complete records "
          f"({resumed.stat().st_size} bytes on disk)")
    rest = run_cli(common, resumed)
    print(f"resumed: {rest.lines - killed.lines} more records in {rest.seconds:.1f} s "
          f"= {(rest.lines - killed.lines) / rest.seconds:.0f} documents/s (exit {rest.returncode})")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"largest single process of all runs (getrusage RUSAGE_CHILDREN max RSS): {largest:.0f} MiB")
    equal, n = same_records(full, resumed)
    print(f"resumed output equals the unbroken run: {'yes' if equal else 'NO'} ({n} records compared)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if equal else 1)


if __name__ == "__main__":
    main()
