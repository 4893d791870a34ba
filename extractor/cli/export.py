"""``nianbao export``: a results JSONL file → long and/or wide CSV, and Parquet."""

from __future__ import annotations

from pathlib import Path

import click

from ..batch.writers import iter_records, write_csv_long, write_csv_wide
from ..errors import MissingExtra
from .common import err


@click.command("export")
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--csv-long", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="One row per document and cell: document, sha256, cell, value, confidence, method, flags.")
@click.option("--csv-wide", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="One row per document: status, template, then one column per cell of cells.csv.")
@click.option("--parquet", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Parquet under this folder: long/ (partitioned by year) and wide/.")
def export_cmd(results: Path, csv_long: Path | None, csv_wide: Path | None, parquet: Path | None) -> None:
    """Write the records of a RESULTS.jsonl file as long and/or wide CSV (UTF-8), or as Parquet."""
    if csv_long is None and csv_wide is None and parquet is None:
        raise click.UsageError("name at least one of --csv-long FILE, --csv-wide FILE and --parquet DIR")
    if parquet is not None:
        try:
            from ..batch.parquet import parquet_from_results
        except ImportError as exc:
            raise click.UsageError(MissingExtra.of(exc, "--parquet").message) from exc
        err.print(f"{parquet_from_results(results, parquet)} documents → {parquet}")
    for path, write in ((csv_long, write_csv_long), (csv_wide, write_csv_wide)):
        if path is not None:
            err.print(f"{write(iter_records(results), path)} rows → {path}")
