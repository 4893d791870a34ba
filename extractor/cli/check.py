"""``nianbao check``: the cross-year identity over a results file, its records updated in place."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from ..crossyear import CrossYearResult, check_file, load_groups
from ..errors import ConfigError
from .common import err, settings_from

GROUP_BY_HELP = ("JSON file mapping agency names or document file names to one group name, for bodies "
                 'renamed or written several ways: {"杭州市教育局": "hz-edu", "2019_hz.txt": "hz-edu"}.')


@click.command("check")
@click.argument("results", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--group-by", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help=GROUP_BY_HELP)
@click.option("--review-threshold", type=float, default=None,
              help="Cells under this confidence need review (default 0.8), for the records' status.")
def check_cmd(results: Path, group_by: Path | None, review_threshold: float | None) -> None:
    """Check each agency's consecutive years in RESULTS.jsonl: this year's 上年结转 must equal last year's
    结转下年度继续办理, column by column. Disagreeing cells are flagged cross_year_mismatch, agreeing ones
    gain confidence; the file is updated in place. Running it again gives the same file."""
    settings = settings_from(review_threshold=review_threshold)
    try:
        groups = load_groups(group_by) if group_by is not None else None
    except ConfigError as exc:
        raise click.UsageError(exc.message) from exc
    print_check(check_file(results, groups, settings.review_threshold), results)


def print_check(result: CrossYearResult, results: Path) -> None:
    err.print(f"cross-year check of {results}: {result.agencies} agencies with consecutive years, "
              f"{result.compared} cell pairs compared, {result.agreed} agree, {len(result.mismatched)} disagree",
              markup=False)
    for line in [*result.mismatched, *result.notes]:
        err.print(f"  {escape(line)}", highlight=False)
