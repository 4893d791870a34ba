"""The ``nianbao`` command: a thin click group over the library.

Exit codes: 0 every document was read (flags or not); 1 a document failed or a
gate did not pass; 2 bad usage or configuration.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .batch import BatchSummary, discover, run_batch
from .config import Settings
from .errors import NianbaoError
from .records import Record

HELP = """Extract the numbers of 政府信息公开工作年度报告 with confidence, flags and evidence.

\b
Getting started:
  nianbao extract goldens/docs -o results.jsonl   read reports, write one record per document
  nianbao debug goldens/docs/003_c676913514f69321.txt   show every stage for one document
  nianbao eval                                   score the rule path against the goldens
  nianbao golden check goldens                   lint golden files

Every option can also be set as NIANBAO_<OPTION> (e.g. NIANBAO_REVIEW_THRESHOLD).
"""

err = Console(stderr=True)


@click.group(help=HELP, context_settings={"auto_envvar_prefix": "NIANBAO",
                                          "help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def main(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("results.jsonl"),
              show_default=True, help="JSONL file to write, one record per document.")
@click.option("--encoding", default=None, help="Force the text encoding (e.g. gb18030).")
@click.option("--review-threshold", type=float, default=None,
              help="Cells under this confidence need review (default 0.8).")
@click.option("--review-db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Queue the flagged cells in this SQLite review database.")
def extract(inputs: tuple[Path, ...], output: Path, encoding: str | None,
            review_threshold: float | None, review_db: Path | None) -> None:
    """Extract every .txt/.md/.html/.htm report under INPUTS (files or folders)."""
    settings = _settings(encoding=encoding, review_threshold=review_threshold)
    paths = discover(inputs)
    if not paths:
        raise click.UsageError("no .txt, .md, .html or .htm documents found in the inputs")
    with Progress(TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.description}"), console=err,
                  transient=True) as progress:
        task = progress.add_task("", total=len(paths))

        def advance(record: Record) -> None:
            progress.update(task, advance=1, description=record.document[:40])

        summary = run_batch(paths, output, settings, on_record=advance)
    _print_summary(summary, output)
    if review_db is not None:
        from .output import read_records
        from .review import sync_records

        queued = sync_records(review_db, read_records(output), settings.review_threshold)
        err.print(f"review queue {review_db}: {queued}")
    sys.exit(1 if summary.statuses["failed"] else 0)


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--stage", type=click.Choice(["text", "sections", "grids", "cells", "all"]),
              default="all", show_default=True)
def debug(path: Path, stage: str) -> None:
    """Print every stage of the pipeline for one document."""
    from .debug import render_debug

    render_debug(path, stage, Console(), _settings())


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings.from_env(**overrides)
    except NianbaoError as exc:
        raise click.UsageError(str(exc)) from exc


def _print_summary(summary: BatchSummary, output: Path) -> None:
    table = Table(title=f"{summary.documents} documents → {output}", show_header=True)
    for col in ("ok", "needs_review", "failed", "cells", "flagged cells", "seconds"):
        table.add_column(col, justify="right")
    s = summary.statuses
    table.add_row(str(s["ok"]), str(s["needs_review"]), str(s["failed"]), str(summary.cells),
                  str(summary.flagged_cells), f"{summary.seconds:.2f}")
    err.print(table)
    slow = Table(title="slowest documents", show_header=True)
    slow.add_column("document")
    slow.add_column("seconds", justify="right")
    for secs, name in summary.slowest(5):
        slow.add_row(name, f"{secs:.3f}")
    err.print(slow)
    for name, error in summary.failures:
        err.print(f"[red]failed[/red] {name}: {error}")


def _attach_eval() -> None:
    try:
        from .cli_eval import eval_cmd, golden_group
    except ImportError:  # pragma: no cover - the eval commands ship with the package
        return
    main.add_command(eval_cmd)
    main.add_command(golden_group)


_attach_eval()
