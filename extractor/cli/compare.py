"""``nianbao compare``: one agency's reports over the years as a table (with changes and flags), a CSV and
a chart."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..batch.writers import read_records, write_csv
from ..crossyear import Comparison, agencies, compare, load_groups
from ..crossyear.compare import CSV_COLUMNS, DEFAULT_CELLS
from ..errors import ConfigError
from ..template import cell_specs
from .check import GROUP_BY_HELP
from .common import console, err


@click.command("compare")
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agency", required=True, help="The agency as its reports name it (杭州市教育局), or a group "
                                             "name of --group-by.")
@click.option("--cells", "cell_list", default=",".join(DEFAULT_CELLS), show_default=True,
              help="Comma-separated cell ids to show.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the table as CSV: agency, year, document, cell, value, change, flags.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also draw the main series (new, handled, carried forward) as a PNG ([plots] extra).")
@click.option("--group-by", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help=GROUP_BY_HELP)
def compare_cmd(results: Path, agency: str, cell_list: str, csv_path: Path | None, plot: Path | None,
                group_by: Path | None) -> None:
    """Show AGENCY's cells in RESULTS.jsonl year by year, with the change from the year before and the
    flags (a flagged value is marked !)."""
    cells = tuple(c.strip() for c in cell_list.split(",") if c.strip())
    unknown = [c for c in cells if c not in cell_specs()]
    if unknown:
        raise click.UsageError(f"unknown cell ids: {', '.join(unknown)} (see cells.csv)")
    try:
        groups = load_groups(group_by) if group_by is not None else None
    except ConfigError as exc:
        raise click.UsageError(exc.message) from exc
    records = read_records(results)
    comparison = compare(records, agency, cells, groups)
    if comparison is None:
        known = ", ".join(sorted(agencies(records, groups))) or "none"
        raise click.UsageError(f"no report of {agency} in {results}; agencies there: {known}")
    console().print(comparison_table(comparison))
    for note in comparison.notes:
        err.print(f"note: {escape(note)}", highlight=False)
    if csv_path is not None:
        err.print(f"{write_csv(csv_path, CSV_COLUMNS, comparison.csv_rows())} rows → {csv_path}", markup=False)
    if plot is not None:
        from ..crossyear.plot import plot_comparison  # matplotlib only when a chart is asked for
        try:
            plot_comparison(comparison, plot)
        except ConfigError as exc:
            raise click.UsageError(exc.message) from exc
        err.print(f"chart → {plot}", markup=False)


def comparison_table(c: Comparison) -> Table:
    table = Table(title=f"{c.agency}, {c.years[0]}–{c.years[-1]}", show_header=True)
    table.add_column("cell")
    table.add_column("row / column")
    for year in c.years:
        table.add_column(str(year), justify="right")
    for cell in c.cells:
        spec = cell_specs()[cell]
        shown = []
        for p in c.points[cell]:
            value = "—" if p.value is None else str(p.value)
            change = "" if p.change is None else f" ({p.change:+g})"
            mark = f" [red]! {escape(', '.join(p.flags))}[/red]" if p.flags else ""
            shown.append(escape(value + change) + mark)
        label = spec.row_zh.split(" / ")[-1] + (f" / {spec.col_zh.split(' / ')[-1]}" if spec.col_zh else "")
        table.add_row(cell, escape(label), *shown)
    table.caption = "documents: " + ", ".join(f"{y} {d}" for y, d in zip(c.years, c.documents, strict=True))
    return table
