"""``nianbao extract``: files and folders → one JSONL record per document, a summary, optional CSV and review queue."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import FrameType

import click
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.markup import escape
from rich.progress import Progress, ProgressColumn, Task
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from ..batch import BatchSummary, discover, run_batch, worker_count
from ..batch.writers import Finished, iter_records, write_csv_long, write_csv_wide
from ..config import Settings
from ..crossyear import check_file
from ..errors import ConfigError, MissingExtra, NianbaoError
from ..llm.stage import LLMStage, TableProgress
from ..read.formats import listing
from ..records import Usage
from ..review import sync_records
from .check import print_check
from .cluster import closing_pool, cluster_options, connect
from .common import err, settings_from
from .limits import limit_options

INTERRUPTED = 130
"""The exit code of a batch stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)."""


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("results.jsonl"),
              show_default=True, help="JSONL file to write, one record per document.")
@click.option("--encoding", default=None, help="Force the text encoding (e.g. gb18030).")
@click.option("--review-threshold", type=float, default=None,
              help="Cells under this confidence need review (default 0.8).")
@click.option("--review-db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Queue the flagged cells in this SQLite review database.")
@click.option("--llm", "llm_mode", type=click.Choice(["none", "fallback", "force"]), default=None,
              help="LLM for broken tables (fallback, the default when NIANBAO_LLM_BASE_URL is set), "
                   "for every table (force), or never (none).")
@click.option("--force-llm", is_flag=True, help="Same as --llm force: every table through the LLM (evals).")
@click.option("--llm-base-url", default=None, help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1.")
@click.option("--llm-model", default=None, help="Model name the endpoint serves.")
@click.option("--prompt-version", "llm_prompt_version", default=None, help="Prompt files to use (default v1).")
@click.option("--no-cache", "llm_no_cache", is_flag=True, default=None, help="Bypass the LLM response cache.")
@click.option("-w", "--workers", type=click.IntRange(min=0), default=None,
              help="Processes for the rule path (default: one per core; 0 too). With an LLM the batch "
                   "runs in one process, its calls async.")
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Keep the records already in OUTPUT (same file and sha256, made with the same version and "
                   "settings) and extract only the rest; --no-resume writes OUTPUT afresh.")
@click.option("--csv-long", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the records as a long CSV: one row per document and cell.")
@click.option("--csv-wide", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a wide CSV: one row per document, one column per cell.")
@click.option("--parquet", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write the records as Parquet under this folder: long/ (partitioned by year) and wide/.")
@click.option("--max-file-mb", type=float, default=None,
              help="Documents larger than this fail without being read (default 50; 0: no limit).")
@limit_options
@cluster_options(send="paths")
def extract_cmd(inputs: tuple[Path, ...], output: Path, encoding: str | None,
                review_threshold: float | None, review_db: Path | None, llm_mode: str | None,
                force_llm: bool, llm_base_url: str | None, llm_model: str | None,
                llm_prompt_version: str | None, llm_no_cache: bool | None, workers: int | None,
                resume: bool, csv_long: Path | None, csv_wide: Path | None,
                max_file_mb: float | None, limits: dict[str, float | None], parquet: Path | None = None,
                cluster: str | None = None, cluster_send: str = "paths") -> None:
    """Extract every report (.txt .md .html .htm .pdf .docx …) under INPUTS (files or folders).

    Re-running the same command resumes: documents already in OUTPUT are skipped.
    """
    settings = settings_from(encoding=encoding, review_threshold=review_threshold,
                             llm="force" if force_llm else llm_mode, llm_base_url=llm_base_url,
                             llm_model=llm_model, llm_prompt_version=llm_prompt_version,
                             llm_no_cache=llm_no_cache, workers=workers, max_file_mb=max_file_mb, **limits)
    try:
        llm_used = settings.llm_mode != "none"
    except NianbaoError as exc:
        raise click.UsageError(str(exc)) from exc
    paths = discover(inputs)
    if not paths:
        raise click.UsageError(f"no documents ({listing()}) found in the inputs")
    if llm_used and (workers or 0) > 1:
        err.print("note: with an LLM the batch runs in one process (its calls are async); --workers is not used")
    if llm_used and cluster:
        err.print("note: with an LLM the batch runs in one process (its calls are async); --cluster is not used")
    if parquet is not None:
        try:
            import pyarrow  # noqa: F401 - the writer's; checked before anything is extracted
        except ImportError as exc:
            raise click.UsageError(MissingExtra.of(exc, "--parquet").message) from exc
    pool = connect(cluster, cluster_send, settings) if cluster and not llm_used else None
    try:
        stage = LLMStage(settings) if llm_used else None
    except ConfigError as exc:  # e.g. the [llm] extra missing: nothing was extracted yet
        raise click.UsageError(exc.message) from exc
    written = 0
    summary: BatchSummary | None = None
    with Progress(BatchColumn(stage.progress if stage is not None else None), console=err, transient=True,
                  expand=True, disable=not err.is_terminal) as progress, _sigterm_as_interrupt(), \
            closing_pool(pool):
        task = progress.add_task("", total=len(paths))

        def advance(done: Finished) -> None:
            nonlocal written
            written += 1
            progress.update(task, advance=1, description=done.document[:40])

        def skipped(n: int) -> None:
            progress.update(task, advance=n, description="done earlier")

        try:
            summary = run_batch(paths, output, settings, on_record=advance, llm=stage,
                                workers=worker_count(settings), resume=resume, on_skip=skipped, pool=pool,
                                parquet=parquet)
        except ConfigError as exc:
            raise click.UsageError(exc.message) from exc
        except KeyboardInterrupt:
            pass
    if summary is None:
        print_interrupted(written, output, stage, settings)
        sys.exit(INTERRUPTED)
    print_summary(summary, output, stage.progress if stage is not None else None)
    checked = check_file(output, review_threshold=settings.review_threshold)
    print_check(checked, output)
    if parquet is not None and checked.links:  # the tables streamed during the batch are stale now
        from ..batch.parquet import parquet_from_results  # imported (the extra checked) before the batch

        err.print(f"cross-year check applied: Parquet written again, {parquet_from_results(output, parquet)} "
                  f"documents → {parquet}")
    for path, write in ((csv_long, write_csv_long), (csv_wide, write_csv_wide)):
        if path is not None:
            err.print(f"{write(iter_records(output), path)} rows → {path}")
    if review_db is not None:
        queued = sync_records(review_db, iter_records(output), settings.review_threshold)
        err.print(f"review queue {review_db}: {queued}")
    sys.exit(1 if summary.statuses["failed"] else 0)


class BatchColumn(ProgressColumn):
    """The whole progress line, laid out for the width it gets (see ``_BatchLine``)."""

    def __init__(self, tables: TableProgress | None):
        super().__init__()
        self.tables = tables

    def render(self, task: Task) -> RenderableType:
        return _BatchLine(task, self.tables)


class _BatchLine:
    """Documents done, time, the LLM tables (asked, answered, re-asked, tokens) and the last document,
    cut short at the end on a narrow terminal, never wrapped; a bar in front where there is room."""

    def __init__(self, task: Task, tables: TableProgress | None):
        self.task = task
        self.tables = tables

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        task = self.task
        elapsed = timedelta(seconds=int(task.finished_time or task.elapsed or 0))
        parts = [f"{task.completed:.0f}/{task.total or 0:.0f}", str(elapsed),
                 self.tables.describe() if self.tables is not None else "", task.description]
        text = Text(" ".join(p for p in parts if p), no_wrap=True, overflow="ellipsis")
        room = options.max_width - text.cell_len - 1
        if room < 10:
            yield text
            return
        line = Table.grid(padding=(0, 1))
        line.add_row(ProgressBar(total=task.total, completed=task.completed, width=min(room, 40)), text)
        yield line


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """A ``kill`` stops the batch like Ctrl-C: what is written stays, and the summary says so."""
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def print_interrupted(written: int, output: Path, stage: LLMStage | None, settings: Settings) -> None:
    """What an interrupted batch kept: every record written; only the documents in flight are lost."""
    err.print(f"interrupted: {written} documents written to {output}; only the documents in flight were "
              "lost. Run the same command again to resume after them.", markup=False)
    if stage is not None:
        answered = stage.progress.answered
        where = ("they are in the LLM cache, so a re-run does not ask for them again"
                 if settings.cache_path() else "the cache is off (--no-cache): a re-run asks for them again")
        err.print(f"LLM: {answered} of {stage.progress.asked} tables answered; {where}", markup=False)


def print_summary(summary: BatchSummary, output: Path, tables: TableProgress | None = None) -> None:
    """One line that says it all (never wrapped: scripts and logs can read it), then tables for a person."""
    s = summary.statuses
    line = f"{summary.documents} documents → {output}"
    if summary.skipped:
        line += f" ({summary.skipped} done earlier, {summary.extracted} extracted now)"
    err.print(f"{line}: {s['ok']} ok, {s['needs_review']} needs_review, {s['failed']} failed; "
              f"{summary.cells} cells, {summary.flagged_cells} flagged; {summary.seconds:.2f} s", markup=False)
    if summary.redone:
        reasons = ", ".join(f"{n} because {why}" for why, n in summary.redone.most_common())
        err.print(f"redone: {summary.redone.total()} documents that had a record ({reasons})", markup=False)
    table = Table(show_header=True)
    for col in ("ok", "needs_review", "failed", "cells", "flagged cells", "seconds"):
        table.add_column(col, justify="right")
    table.add_row(str(s["ok"]), str(s["needs_review"]), str(s["failed"]), str(summary.cells),
                  str(summary.flagged_cells), f"{summary.seconds:.2f}")
    if summary.workers > 1:
        table.caption = f"rule path on {summary.workers} worker processes"
    err.print(table)
    slow = Table(title="slowest documents", show_header=True)
    slow.add_column("document")
    slow.add_column("seconds", justify="right")
    for secs, name in summary.slowest(5):
        slow.add_row(name, f"{secs:.3f}")
    err.print(slow)
    if summary.llm != Usage():
        u = summary.llm
        err.print(f"LLM: {u.calls} calls, {u.cached_calls} answered from the cache, {u.input_tokens} input + "
                  f"{u.output_tokens} output tokens, ${u.cost_usd:.4f}, {u.latency_s:.1f} s waiting on the model; "
                  f"{u.reasks} re-asks, {u.transport_retries} transport retries", markup=False)
    if tables is not None and tables.asked:
        err.print(f"LLM {tables.describe()}", markup=False)
    for name, error in summary.failures[:20]:
        err.print(f"[red]failed[/red] {escape(name)}: {escape(error)}", highlight=False)
    if summary.statuses["failed"] > 20:
        err.print(f"… and {summary.statuses['failed'] - 20} more failed documents (their records say why)")
