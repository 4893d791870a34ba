"""``nianbao export``: a results JSONL file → long and/or wide CSV."""

from __future__ import annotations

from pathlib import Path

import click

from ..batch.writers import iter_records, write_csv_long, write_csv_wide
from .common import err


@click.command("export")
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--csv-long", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="One row per document and cell: document, sha256, cell, value, confidence, method, flags.")
@click.option("--csv-wide", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="One row per document: status, template, then one column per cell of cells.csv.")
def export_cmd(results: Path, csv_long: Path | None, csv_wide: Path | None) -> None:
    """Write the records of a RESULTS.jsonl file as long and/or wide CSV (UTF-8)."""
    if csv_long is None and csv_wide is None:
        raise click.UsageError("name at least one of --csv-long FILE and --csv-wide FILE")
    for path, write in ((csv_long, write_csv_long), (csv_wide, write_csv_wide)):
        if path is not None:
            err.print(f"{write(iter_records(results), path)} rows → {path}")
